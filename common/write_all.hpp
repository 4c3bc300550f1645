#pragma once
// Writing every byte to a file descriptor, through short writes and EINTR: the loop the audit
// log, the door journal and the flag file replacement each need before they fsync.
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace switchyard {

// On failure the error says `what` ("flags.json.switchyard-tmp: cannot write") and why.
Result<bool> write_all(int fd, std::string_view bytes, std::string_view what);

}  // namespace switchyard
