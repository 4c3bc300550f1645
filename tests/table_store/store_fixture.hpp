#pragma once
// switchyard instances on one DynamoDB table (dynalite): the real binary, its flags in the
// table, between the integration tests' two loopback origins. One dynalite per suite, a table
// per test named after it (so golden files can show it), credentials from the environment as
// the AWS chain reads them.
#include <memory>
#include <string>
#include <vector>

#include "dynalite_process.hpp"
#include "flag_table/flag_table.hpp"
#include "proxy_fixture.hpp"
#include "subprocess.hpp"

namespace switchyard::test {

class TableStoreTest : public ProxyTest {
  protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;
    void TearDown() override;

    // base_config() with flags in this test's table, polled every 100 ms, named `instance`,
    // with an admin listener on port 0 and the test's tokens (an operator, alice).
    nlohmann::json table_config(const std::string& instance) const;
    // Starts an instance on the table and waits until it is ready; fatal on failure.
    ProxyProcess& start_instance(const std::string& instance);

    // The table holds `document` from now on (through the change log, as `ctl import` does).
    void write_table(const std::string& document);
    flag_table::Loaded load_table();

    // Which origin `tenant`'s request reaches through `instance`: "legacy", "new" or "".
    static std::string side_through(const ProxyProcess& instance, const std::string& tenant,
                                    const std::string& method = "GET");
    // Polls (bounded) until `tenant`'s GETs through `instance` reach `side`.
    static bool routes_to(const ProxyProcess& instance, const std::string& tenant,
                          const std::string& side);
    // A first write on new through `instance`: closes the door; waits until the table has it.
    void close_door_through(const ProxyProcess& instance, const std::string& tenant,
                            const std::string& request_id);

    static std::uint16_t admin_port(const ProxyProcess& instance);
    // One admin API call through `instance` as the operator.
    ClientResponse as_operator(const ProxyProcess& instance, const std::string& method,
                               const std::string& target, const nlohmann::json& body = nullptr,
                               HeaderList headers = {}) const;
    static nlohmann::json readiness(const ProxyProcess& instance);
    static std::string metrics(const ProxyProcess& instance);

    // `switchyard ctl ARGS` as a process, with the AWS environment of the test.
    ProcessResult ctl(const std::vector<std::string>& args, const std::string& stdin_text = {});
    // --table/--region/--endpoint of this test's table.
    std::vector<std::string> table_args() const;

    static std::unique_ptr<DynaliteProcess> dynalite_;
    std::filesystem::path tokens_dir_;
    std::string operator_token_;
    std::string table_name_;
    std::unique_ptr<flag_table::FlagTable> table_;
    std::vector<std::unique_ptr<ProxyProcess>> instances_;
};

}  // namespace switchyard::test
