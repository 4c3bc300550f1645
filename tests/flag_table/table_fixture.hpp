#pragma once
// The flag table against dynalite (tests/dynamo/dynalite_server.js): one dynalite per suite
// (starting node costs about a second) and a fresh, initialised table per test. Skips when node
// is missing; fails when dynalite is.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "dynalite_process.hpp"
#include "flag_table/flag_table.hpp"

namespace switchyard::flag_table::test {

using namespace std::chrono_literals;

// Settings for `table` on `endpoint`, with fixed test credentials and test-sized timeouts.
TableSettings test_settings(const std::string& endpoint, const std::string& table,
                            const std::string& instance,
                            std::chrono::milliseconds call_timeout = 5s);
std::unique_ptr<FlagTable> open_table(const TableSettings& settings);

// The change that takes the table from `base` to the flag document `after` (all its tenants
// that differ), with one audit entry per tenant; `forced` tenants reopen their doors.
ChangeSet change_to(const Loaded& base, const std::string& after,
                    const std::set<std::string>& forced = {}, const std::string& by = "test");

// Fails the test (with the message) unless the table loads; returns what it loaded.
Loaded load_or_fail(FlagTable& table);

class FlagTableTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;

    // Another instance's handle on the same table: its own client and connections.
    std::unique_ptr<FlagTable> second_instance(const std::string& instance = "proxy-2") const;

    static std::unique_ptr<switchyard::test::DynaliteProcess> dynalite_;
    std::string table_name_;
    std::unique_ptr<FlagTable> table_;  // instance "proxy-1"
};

}  // namespace switchyard::flag_table::test
