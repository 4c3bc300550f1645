#include "dynalite_fixture.hpp"

namespace switchyard::dynamo::test {

using switchyard::test::DynaliteProcess;

std::unique_ptr<DynaliteProcess> DynaliteTest::dynalite_;

void DynaliteTest::SetUpTestSuite() {
    if (!DynaliteProcess::node_available() || !DynaliteProcess::script_installed()) return;
    dynalite_ = std::make_unique<DynaliteProcess>();
    dynalite_->start();
}

void DynaliteTest::TearDownTestSuite() { dynalite_.reset(); }

void DynaliteTest::SetUp() {
    if (!DynaliteProcess::node_available()) {
        GTEST_SKIP() << DynaliteProcess::kNodeMissing;
    }
    ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
    ASSERT_TRUE(dynalite_ && dynalite_->running());
    client_ = make_client(test_config(dynalite_->endpoint()));
}

std::string DynaliteTest::create_table(const std::string& purpose, bool with_sort_key) {
    const std::string table = unique_table_name(purpose);
    CreateTableRequest request{table, KeyAttribute{"pk", "S"}, std::nullopt, "PAY_PER_REQUEST"};
    if (with_sort_key) request.sort_key = KeyAttribute{"sk", "S"};
    const auto created = client_->create_table(request);
    EXPECT_TRUE(created) << created.error().message;
    const auto active = client_->wait_until_active(table, std::chrono::seconds(10));
    EXPECT_TRUE(active) << active.error().message;
    return table;
}

}  // namespace switchyard::dynamo::test
