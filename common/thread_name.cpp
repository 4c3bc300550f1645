#include "common/thread_name.hpp"

#include <pthread.h>

#include <algorithm>

namespace switchyard {

void name_this_thread(std::string_view name) noexcept {
    char kept[16] = {};
    name.copy(kept, std::min(name.size(), sizeof kept - 1));
    ::pthread_setname_np(::pthread_self(), kept);  // a name is a help, never worth a failure
}

}  // namespace switchyard
