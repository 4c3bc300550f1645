#include "flag_table/store_error.hpp"

namespace switchyard::flag_table {

const char* to_string(StoreErrorKind kind) noexcept {
    switch (kind) {
        case StoreErrorKind::unavailable:
            return "unavailable";
        case StoreErrorKind::not_initialized:
            return "not_initialized";
        case StoreErrorKind::invalid_item:
            return "invalid_item";
        case StoreErrorKind::refused:
            return "refused";
    }
    return "unknown";
}

}  // namespace switchyard::flag_table
