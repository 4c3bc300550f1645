#pragma once
// Puts text an operator wrote into an error message: quoted, control bytes escaped, cut short,
// so a stray newline or a 1 MB value cannot garble the log line that reports it.
#include <string>
#include <string_view>

namespace switchyard {

std::string quote_for_error(std::string_view text);

}  // namespace switchyard
