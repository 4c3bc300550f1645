#include "table_fixture.hpp"

#include "flags/flag_document.hpp"
#include "test_client.hpp"

namespace switchyard::flag_table::test {

using switchyard::test::DynaliteProcess;

std::unique_ptr<DynaliteProcess> FlagTableTest::dynalite_;

TableSettings test_settings(const std::string& endpoint, const std::string& table,
                            const std::string& instance, std::chrono::milliseconds call_timeout) {
    TableSettings settings;
    settings.table = table;
    settings.client = dynamo::test::test_config(endpoint);
    settings.client.connect_timeout = 500ms;
    settings.client.attempt_timeout = call_timeout;
    settings.call_timeout = call_timeout;
    settings.instance = instance;
    return settings;
}

std::unique_ptr<FlagTable> open_table(const TableSettings& settings) {
    auto table = FlagTable::open(settings);
    if (!table) throw std::runtime_error(table.error().message);
    return std::move(*table);
}

ChangeSet change_to(const Loaded& base, const std::string& after_text,
                    const std::set<std::string>& forced, const std::string& by) {
    auto after = flags::parse_flag_document(after_text);
    if (!after) throw std::runtime_error(after.error().message);
    const auto doors = std::make_shared<const flags::DoorSet>()->with(base.doors);
    const auto tenants = changed_tenants(*base.flags, **after);
    auto change = plan_change(*base.flags, **after, *doors, tenants, forced);
    for (const auto& tenant : tenants) {
        change.audit.push_back(
            {{"action", "set_tenant"}, {"tenant", tenant}, {"token", by}, {"reason", "test"}});
    }
    change.by = by;
    return change;
}

Loaded load_or_fail(FlagTable& table) {
    auto loaded = table.load();
    if (!loaded) {
        ADD_FAILURE() << "load: " << loaded.error().message;
        Loaded empty;
        empty.flags = std::make_shared<const flags::FlagSnapshot>();
        return empty;
    }
    return std::move(*loaded);
}

void FlagTableTest::SetUpTestSuite() {
    if (!DynaliteProcess::node_available() || !DynaliteProcess::script_installed()) return;
    dynalite_ = std::make_unique<DynaliteProcess>();
    dynalite_->start();
}

void FlagTableTest::TearDownTestSuite() { dynalite_.reset(); }

void FlagTableTest::SetUp() {
    if (!DynaliteProcess::node_available()) GTEST_SKIP() << DynaliteProcess::kNodeMissing;
    ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
    ASSERT_TRUE(dynalite_ && dynalite_->running());
    table_name_ = dynamo::test::unique_table_name("flags");
    table_ = open_table(test_settings(dynalite_->endpoint(), table_name_, "proxy-1"));
    const auto made = table_->init_table(10s);
    ASSERT_TRUE(made) << made.error().message;
}

std::unique_ptr<FlagTable> FlagTableTest::second_instance(const std::string& instance) const {
    return open_table(test_settings(dynalite_->endpoint(), table_name_, instance));
}

}  // namespace switchyard::flag_table::test
