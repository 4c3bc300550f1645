#pragma once
// What a flag table operation can fail with, in the terms its callers branch on: the table did
// not answer in time (keep serving, answer 503, retry later), it is not a switchyard table yet
// (run `ctl init-table`), an item is not as switchyard writes it, or the request itself was
// refused (access denied, a change too big for one transaction).
#include <string>

#include "common/result.hpp"

namespace switchyard::flag_table {

enum class StoreErrorKind {
    unavailable,      // unreachable, throttled past the call's time, 5xx: nothing was changed
    not_initialized,  // no table, or no marker item: `switchyard ctl init-table`
    invalid_item,     // an item switchyard cannot read (edited by hand?)
    refused,          // access denied, a validation error, a change too big for one transaction
};

struct StoreError {
    StoreErrorKind kind = StoreErrorKind::unavailable;
    std::string message;
};

template <typename T>
using StoreResult = Result<T, StoreError>;

const char* to_string(StoreErrorKind kind) noexcept;

}  // namespace switchyard::flag_table
