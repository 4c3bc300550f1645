#pragma once
// The fast path through a big document's tenants. Nearly every entry has one plain shape,
// `"acme": {"stage": "new"}` (with any whitespace, perhaps a note), and the general JsonReader
// spends ~100 ns on each; this recognizes exactly that shape in one pass over its bytes. It
// accepts nothing the general reader would refuse and decides nothing else: anything unusual
// (escapes, non-ASCII, other or repeated fields, an unknown stage, any syntax error) makes it
// give up without consuming a byte, and the general reader reads that member from the same
// place, with the result or the error it always gave.
#include <cstddef>
#include <string_view>

#include "common/stage.hpp"

namespace switchyard::flags {

struct PlainTenantEntry {
    std::string_view id;  // a valid tenant id (flags/tenant_id.hpp), a view into the text
    Stage stage = Stage::legacy;
    std::string_view stage_text;  // the stage as written, a view into the text
    std::string_view note;        // a view into the text; empty when the entry has none
    std::size_t id_line = 0;      // the line of the colon after the id, as JsonReader tells it
    std::size_t end = 0;          // just past the entry's closing brace
    std::size_t end_line = 0;
};

// The member of the tenants object at `position` (on `line`), its leading comma included unless
// it is the object's first member; false, and `entry` unspecified, when it is not plain.
bool scan_plain_tenant_entry(std::string_view text, std::size_t position, std::size_t line,
                             bool first_member, PlainTenantEntry& entry) noexcept;

}  // namespace switchyard::flags
