// Each of switchyard's threads carries a name (`top -H`, `ps -L`, perf): on a busy core the person
// on call sees whether request threads, the flag watcher, the door journal or the admin listener
// is using it. The swap bench finds the watcher's CPU time by its name.
#include <gmock/gmock.h>

#include "admin_fixture.hpp"

namespace switchyard::test {
namespace {

using testing::Contains;

class ThreadNames : public AdminTest {};

TEST_F(ThreadNames, EveryPartOfTheProxyRunsOnAThreadNamedForIt) {
    auto config = admin_config();
    config["threads"] = 2;
    ASSERT_NO_FATAL_FAILURE(launch_admin(FlagDocument{}.tenant("acme", "new"), config));
    const auto names = proxy().thread_names();
    EXPECT_THAT(names, Contains("sy-worker-0"));
    EXPECT_THAT(names, Contains("sy-worker-1"));
    EXPECT_THAT(names, Contains("sy-flags"));
    EXPECT_THAT(names, Contains("sy-doors"));
    EXPECT_THAT(names, Contains("sy-admin"));
}

}  // namespace
}  // namespace switchyard::test
