#include "store_fixture.hpp"

#include <cstdlib>
#include <iostream>

#include "flag_table/change_set.hpp"
#include "flags/flag_document.hpp"
#include "test_client.hpp"

namespace switchyard::test {

std::unique_ptr<DynaliteProcess> TableStoreTest::dynalite_;

namespace {

// The AWS chain's first source, for the proxies and ctl this test starts (dynalite checks
// nothing), and no instance metadata lookups off the box.
void set_test_credentials() {
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "test-secret", 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    ::setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

std::string test_table_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("store-") + info->name();
    for (auto& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '-';
    }
    return name;
}

}  // namespace

void TableStoreTest::SetUpTestSuite() {
    set_test_credentials();
    if (!DynaliteProcess::node_available() || !DynaliteProcess::script_installed()) return;
    dynalite_ = std::make_unique<DynaliteProcess>();
    dynalite_->start();
}

void TableStoreTest::TearDownTestSuite() { dynalite_.reset(); }

void TableStoreTest::SetUp() {
    if (!DynaliteProcess::node_available()) GTEST_SKIP() << DynaliteProcess::kNodeMissing;
    ASSERT_TRUE(DynaliteProcess::script_installed()) << DynaliteProcess::kDynaliteMissing;
    ASSERT_TRUE(dynalite_);
    if (!dynalite_->running()) dynalite_->restart();  // a test before killed it
    table_name_ = test_table_name();
    flag_table::TableSettings settings;
    settings.table = table_name_;
    settings.client = dynamo::test::test_config(dynalite_->endpoint());
    settings.call_timeout = std::chrono::seconds(5);
    settings.instance = "test";
    auto table = flag_table::FlagTable::open(settings);
    ASSERT_TRUE(table) << table.error().message;
    table_ = std::move(*table);
    const auto made = table_->init_table(std::chrono::seconds(10));
    ASSERT_TRUE(made) << made.error().message;

    std::string pattern =
        (std::filesystem::temp_directory_path() / "switchyard-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    tokens_dir_ = pattern;
    ProcessRun add;
    add.argv = {
        SWITCHYARD_BINARY, "token",    "add",           "alice",
        "--role",          "operator", "--tokens-file", (tokens_dir_ / "tokens.json").string()};
    const auto added = run_process(add);
    ASSERT_EQ(added.exit_code, 0) << added.err;
    operator_token_ = added.out.substr(0, added.out.find('\n'));
}

void TableStoreTest::TearDown() {
    if (HasFailure()) {
        for (const auto& instance : instances_) std::cerr << instance->describe() << "\n";
    }
    instances_.clear();
    ProxyTest::TearDown();
    std::error_code ignored;
    if (!tokens_dir_.empty()) std::filesystem::remove_all(tokens_dir_, ignored);
}

nlohmann::json TableStoreTest::table_config(const std::string& instance) const {
    auto config = base_config();
    config["flags"] = {{"dynamodb",
                        {{"table", table_name_},
                         {"region", "us-east-1"},
                         {"endpoint", dynalite_->endpoint()},
                         {"call_timeout_ms", 1000}}},
                       {"poll_interval_ms", 100}};
    config["instance"] = instance;
    config["admin"] = {{"address", "127.0.0.1:0"},
                       {"tokens_file", (tokens_dir_ / "tokens.json").string()}};
    config["timeouts"]["door_journal_ms"] = 2000;
    config["read_your_writes_ms"] = 0;  // a write's own reads route by the stage alone here
    return config;
}

ProxyProcess& TableStoreTest::start_instance(const std::string& instance) {
    instances_.push_back(std::make_unique<ProxyProcess>(
        ProxyLaunch{SWITCHYARD_BINARY, table_config(instance), "{}", {}}));
    auto& process = *instances_.back();
    EXPECT_TRUE(process.wait_ready(std::chrono::seconds(20)))
        << "switchyard " << instance << " did not become ready\n"
        << process.describe();
    return process;
}

flag_table::Loaded TableStoreTest::load_table() {
    auto loaded = table_->load();
    if (!loaded) throw std::runtime_error("load: " + loaded.error().message);
    return std::move(*loaded);
}

void TableStoreTest::write_table(const std::string& document) {
    const auto base = load_table();
    auto after = flags::parse_flag_document(document);
    ASSERT_TRUE(after) << after.error().message;
    const auto doors = std::make_shared<const flags::DoorSet>()->with(base.doors);
    auto change = flag_table::plan_change(*base.flags, **after, *doors,
                                          flag_table::changed_tenants(*base.flags, **after), {});
    change.by = "test";
    const auto result = table_->commit(change);
    ASSERT_EQ(result.status, flag_table::CommitStatus::committed) << result.message;
}

std::string TableStoreTest::side_through(const ProxyProcess& instance, const std::string& tenant,
                                         const std::string& method) {
    const auto response =
        http_request(instance.port(), method, "/orders", {{"X-Tenant-Id", tenant}},
                     method == "GET" ? "" : "order=" + tenant);
    return side_of(response);
}

bool TableStoreTest::routes_to(const ProxyProcess& instance, const std::string& tenant,
                               const std::string& side) {
    return wait_until([&] { return side_through(instance, tenant) == side; }, 10s, 20ms);
}

void TableStoreTest::close_door_through(const ProxyProcess& instance, const std::string& tenant,
                                        const std::string& request_id) {
    const auto response =
        http_request(instance.port(), "POST", "/orders",
                     {{"X-Tenant-Id", tenant}, {"X-Request-Id", request_id}}, "order=" + tenant);
    ASSERT_EQ(response.status, 200) << response.describe();
    ASSERT_EQ(side_of(response), "new") << response.describe();
    // Durable before it was forwarded: the table has it now, not later.
    const auto loaded = load_table();
    bool closed = false;
    for (const auto& door : loaded.doors) closed = closed || door.tenant == tenant;
    ASSERT_TRUE(closed) << tenant << "'s door is not in the table";
}

std::uint16_t TableStoreTest::admin_port(const ProxyProcess& instance) {
    const auto ready =
        nlohmann::json::parse(instance.read_file(ProxyProcess::kReadyFile), nullptr, false);
    const auto address = parse_listen_address(ready.value("admin", std::string()));
    return address ? address->port : 0;
}

ClientResponse TableStoreTest::as_operator(const ProxyProcess& instance, const std::string& method,
                                           const std::string& target, const nlohmann::json& body,
                                           HeaderList headers) const {
    headers.add("Authorization", "Bearer " + operator_token_);
    return http_request(admin_port(instance), method, target, std::move(headers),
                        body.is_null() ? std::string() : body.dump());
}

nlohmann::json TableStoreTest::readiness(const ProxyProcess& instance) {
    const auto response = http_request(admin_port(instance), "GET", "/readyz");
    return nlohmann::json::parse(response.body, nullptr, false);
}

std::string TableStoreTest::metrics(const ProxyProcess& instance) {
    return http_request(admin_port(instance), "GET", "/metrics").body;
}

ProcessResult TableStoreTest::ctl(const std::vector<std::string>& args,
                                  const std::string& stdin_text) {
    ProcessRun run;
    run.argv = {SWITCHYARD_BINARY, "ctl"};
    run.argv.insert(run.argv.end(), args.begin(), args.end());
    run.stdin_text = stdin_text;
    run.environment = {{"USER", "alice"}};
    auto result = run_process(run);
    EXPECT_FALSE(result.timed_out) << "switchyard ctl did not finish";
    return result;
}

std::vector<std::string> TableStoreTest::table_args() const {
    return {"--table", table_name_, "--region", "us-east-1", "--endpoint", dynalite_->endpoint()};
}

}  // namespace switchyard::test
