// `switchyard ctl init-table | import | export` against dynalite, as an operator's shell runs
// them; outputs compared with golden files (tests/ctl/golden/table_*.txt, see tests/ctl/README.md).
#include <fstream>

#include "golden.hpp"
#include "store_fixture.hpp"

namespace switchyard::test {
namespace {

namespace fs = std::filesystem;

class CtlTableTest : public TableStoreTest {
  protected:
    void SetUp() override {
        TableStoreTest::SetUp();
        std::string pattern = (fs::temp_directory_path() / "switchyard-ctl-test-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        scratch_ = pattern;
    }
    void TearDown() override {
        TableStoreTest::TearDown();
        std::error_code ignored;
        if (!scratch_.empty()) fs::remove_all(scratch_, ignored);
    }

    std::string write_file(const std::string& name, const std::string& text) {
        const auto path = scratch_ / name;
        std::ofstream(path) << text;
        return path.string();
    }
    // The command with this test's table, run, its exit code checked and output compared.
    void expect_golden_ctl(const std::string& golden, std::vector<std::string> args, int exit_code,
                           const std::string& stdin_text = {}) {
        for (const auto& arg : table_args()) args.push_back(arg);
        const auto result = ctl(args, stdin_text);
        EXPECT_EQ(result.exit_code, exit_code) << result.out << result.err;
        expect_golden(golden, golden_text(args, result));
    }

    fs::path scratch_;
};

constexpr const char* kDocument = R"({
  "default_stage": "legacy",
  "rollout": {"stage": "new", "percent": 5, "salt": "wave-1"},
  "tenants": {
    "acme":   {"stage": "new", "note": "moved 2026-11-20, ticket OPS-112"},
    "globex": {"stage": "reads"}
  }
})";

TEST_F(CtlTableTest, InitTableIsIdempotentAndSaysWhatItMade) {
    std::vector<std::string> args{"init-table", "--table",    "store-fresh",        "--region",
                                  "us-east-1",  "--endpoint", dynalite_->endpoint()};
    const auto first = ctl(args);
    EXPECT_EQ(first.exit_code, 0) << first.err;
    expect_golden("table_init", golden_text(args, first));
    const auto again = ctl(args);
    EXPECT_EQ(again.exit_code, 0) << again.err;
    expect_golden("table_init_again", golden_text(args, again));
}

TEST_F(CtlTableTest, ImportThenExportGivesTheDocumentBack) {
    const auto file = write_file("flags.json", kDocument);
    expect_golden_ctl("table_import", {"import", file, "--reason", "first wave"}, 0);
    expect_golden_ctl("table_export", {"export"}, 0);
    // What export prints, the file store loads, and a second import of it changes nothing.
    auto args = std::vector<std::string>{"export"};
    for (const auto& arg : table_args()) args.push_back(arg);
    const auto exported = ctl(args);
    const auto again = write_file("exported.json", exported.out);
    expect_golden_ctl("table_import_unchanged", {"import", again, "--reason", "same again"}, 0);
    // Audited in the table, one entry per tenant and one for the rollout, newest first.
    const auto audit = table_->read_audit({10, ""});
    ASSERT_TRUE(audit) << audit.error().message;
    ASSERT_EQ(audit->size(), 3u);
    EXPECT_EQ((*audit)[0]["tenant"], "globex");
    EXPECT_EQ((*audit)[0]["token"], "ctl import (alice)");
    EXPECT_EQ((*audit)[0]["reason"], "first wave");
    EXPECT_EQ((*audit)[2]["action"], "set_rollout");
}

TEST_F(CtlTableTest, AnInvalidDocumentIsRefusedBeforeTheTableIsTouched) {
    const auto file = write_file("bad.json", R"({"tenants": {"acme": {"stage": "nwe"}}})");
    expect_golden_ctl("table_import_invalid", {"import", file, "--reason", "typo"}, 2);
    EXPECT_EQ(load_table().seq, 0);
}

TEST_F(CtlTableTest, AnImportNeedsAReason) {
    const auto file = write_file("flags.json", kDocument);
    expect_golden_ctl("table_import_no_reason", {"import", file}, 2);
}

TEST_F(CtlTableTest, ARollbackPastAClosedDoorIsRefusedUnlessForced) {
    write_table(R"({"tenants": {"acme": {"stage": "new"}}})");
    ASSERT_TRUE(table_->close_doors(
        {{"acme", 1795417751567, "0123456789abcdef0123456789abcdef", "proxy-1", "POST", "/orders"}},
        std::chrono::seconds(5)));
    const auto file = write_file("rollback.json", R"({"tenants": {"acme": {"stage": "legacy"}}})");
    expect_golden_ctl("table_import_door_closed", {"import", file, "--reason", "rollback INC-9"},
                      6);
    EXPECT_EQ(load_table().flags->find("acme")->stage, Stage::new_);

    expect_golden_ctl("table_import_forced",
                      {"import", file, "--reason", "restored from backup, OPS-912", "--force"}, 0);
    const auto after = load_table();
    EXPECT_EQ(after.flags->find("acme")->stage, Stage::legacy);
    EXPECT_TRUE(after.doors.empty());  // reopened: its next write on new closes it again
    const auto audit = table_->read_audit({1, "acme"});
    ASSERT_TRUE(audit && audit->size() == 1u);
    EXPECT_EQ((*audit)[0]["force"], true);
}

TEST_F(CtlTableTest, ExportReadsTheTableFromTheProxysConfig) {
    write_table(R"({"default_stage": "shadow", "tenants": {"acme": {"stage": "final"}}})");
    const auto config = write_file("switchyard.json", table_config("proxy-1").dump());
    const auto result = ctl({"export", "--config", config});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find(R"("default_stage": "shadow")"), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(R"("acme": {"stage": "final"})"), std::string::npos) << result.out;
}

TEST_F(CtlTableTest, ATableThatIsNotThereIsNotFound) {
    std::vector<std::string> args{"export",    "--table",    "store-missing",      "--region",
                                  "us-east-1", "--endpoint", dynalite_->endpoint()};
    const auto result = ctl(args);
    EXPECT_EQ(result.exit_code, 5);
    expect_golden("table_export_missing", golden_text(args, result));
}

}  // namespace
}  // namespace switchyard::test
