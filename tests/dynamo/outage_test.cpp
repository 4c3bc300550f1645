// dynalite killed and restarted around a call: the client retries connection errors with
// backoff, within the call's time, and gives up when that is spent.
#include <gtest/gtest.h>

#include <thread>

#include "dynalite_process.hpp"
#include "test_client.hpp"

namespace switchyard::dynamo::test {
namespace {

using namespace std::chrono_literals;
using switchyard::test::DynaliteProcess;

class OutageTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (!DynaliteProcess::node_available()) GTEST_SKIP() << DynaliteProcess::kNodeMissing;
        ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
        dynalite_.start();
        client_ = make_client(test_config(dynalite_.endpoint()));
        ASSERT_TRUE(client_->create_table(
            CreateTableRequest{.table = table_, .partition_key = KeyAttribute{"pk", "S"}}));
        ASSERT_TRUE(client_->wait_until_active(table_, 10s));
        ASSERT_TRUE(
            client_->put_item(PutItemRequest{.table = table_, .item = {{"pk", av::s("before")}}}));
    }

    DynaliteProcess dynalite_;
    std::unique_ptr<Client> client_;
    const std::string table_ = unique_table_name("outage");
};

TEST_F(OutageTest, CallSpanningAKillAndRestartSucceeds) {
    dynalite_.kill_hard();
    std::thread restarter([this] {
        std::this_thread::sleep_for(300ms);
        dynalite_.restart();
    });
    const auto started = std::chrono::steady_clock::now();
    const auto put =
        client_->put_item(PutItemRequest{.table = table_, .item = {{"pk", av::s("during")}}},
                          CallOptions{.timeout = 40s, .max_attempts = 30});
    restarter.join();
    ASSERT_TRUE(put) << put.error().message;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 40s);

    // The kept-alive connection died with the old process; the data survived it.
    const auto before =
        client_->get_item(GetItemRequest{.table = table_, .key = {{"pk", av::s("before")}}});
    const auto during =
        client_->get_item(GetItemRequest{.table = table_, .key = {{"pk", av::s("during")}}});
    ASSERT_TRUE(before && during);
    EXPECT_TRUE(before.value());
    EXPECT_TRUE(during.value());
}

TEST_F(OutageTest, OutageLongerThanTheCallGivesUpInTime) {
    dynalite_.kill_hard();
    const auto started = std::chrono::steady_clock::now();
    const auto put =
        client_->put_item(PutItemRequest{.table = table_, .item = {{"pk", av::s("lost")}}},
                          CallOptions{.timeout = 1500ms, .max_attempts = 100});
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().kind, ErrorKind::connection) << put.error().message;
    EXPECT_GT(put.error().attempts, 1);
    EXPECT_LT(took, 3s);
    EXPECT_NE(put.error().message.find("did not answer"), std::string::npos) << put.error().message;
}

TEST_F(OutageTest, TheLastRetryEndingAtTheDeadlineKeepsTheReason) {
    // No backoff: attempts follow each other up to the deadline, so one ends within the call's
    // last millisecond, too late for another: the error still says why, not only "time ran out".
    auto config = test_config(dynalite_.endpoint());
    config.retry.base_delay = std::chrono::milliseconds(0);
    config.retry.max_delay = std::chrono::milliseconds(0);
    const auto client = make_client(config);
    dynalite_.kill_hard();
    const auto put =
        client->put_item(PutItemRequest{.table = table_, .item = {{"pk", av::s("lost")}}},
                         CallOptions{.timeout = 50ms, .max_attempts = 1000000});
    ASSERT_FALSE(put);
    EXPECT_NE(put.error().message.find("did not answer"), std::string::npos) << put.error().message;
}

TEST_F(OutageTest, AttemptsAreBounded) {
    dynalite_.kill_hard();
    const auto put =
        client_->put_item(PutItemRequest{.table = table_, .item = {{"pk", av::s("lost")}}},
                          CallOptions{.timeout = 60s, .max_attempts = 4});
    ASSERT_FALSE(put);
    EXPECT_EQ(put.error().attempts, 4);
}

}  // namespace
}  // namespace switchyard::dynamo::test
