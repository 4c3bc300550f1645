#pragma once
// One dynalite per test suite (starting node costs about a second), a client on it, and a
// fresh table per test. Skips when node is missing; fails when dynalite is.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "dynalite_process.hpp"
#include "test_client.hpp"

namespace switchyard::dynamo::test {

class DynaliteTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite();
    static void TearDownTestSuite();
    void SetUp() override;

    // A table "pk" (S) [+ "sk" (S)], created and ACTIVE.
    std::string create_table(const std::string& purpose, bool with_sort_key = false);

    static std::unique_ptr<switchyard::test::DynaliteProcess> dynalite_;
    std::unique_ptr<Client> client_;
};

}  // namespace switchyard::dynamo::test
