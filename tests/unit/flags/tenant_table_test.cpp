// What a tenant table gives back is what was put in: ids, stages and notes of every size (a
// note's size is kept in two bytes up to 65,534, and beside the note from 65,535 on).
#include "flags/tenant_table.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flags/flag_document.hpp"

namespace switchyard::flags {
namespace {

const std::vector<std::size_t> kNoteSizes{0, 1, 255, 65'534, 65'535, 65'536, 200'000};

std::string note_of(std::size_t size, char fill) { return std::string(size, fill); }

TEST(TenantTable, NotesOfEverySizeComeBackWhole) {
    TenantTable table;
    for (std::size_t i = 0; i < kNoteSizes.size(); ++i) {
        ASSERT_TRUE(table.insert("tenant-" + std::to_string(i), i % 2 ? Stage::new_ : Stage::reads,
                                 note_of(kNoteSizes[i], static_cast<char>('a' + i))));
    }
    EXPECT_FALSE(table.insert("tenant-3", Stage::final_, "again")) << "an id already present";
    for (std::size_t i = 0; i < kNoteSizes.size(); ++i) {
        TenantFlag flag;
        ASSERT_TRUE(table.find("tenant-" + std::to_string(i), flag));
        EXPECT_EQ(flag.id, "tenant-" + std::to_string(i));
        EXPECT_EQ(flag.stage, i % 2 ? Stage::new_ : Stage::reads);
        EXPECT_EQ(flag.note, note_of(kNoteSizes[i], static_cast<char>('a' + i)))
            << "a note of " << kNoteSizes[i] << " bytes";
    }
    TenantFlag flag;
    EXPECT_FALSE(table.find("tenant-99", flag));
}

TEST(TenantTable, ADocumentsNotesOfEverySizeComeBackWhole) {
    std::string text = R"({"tenants": {)";
    for (std::size_t i = 0; i < kNoteSizes.size(); ++i) {
        text += (i ? ", \"t" : "\"t") + std::to_string(i) + R"(": {"stage": "new", "note": ")" +
                note_of(kNoteSizes[i], static_cast<char>('a' + i)) + "\"}";
    }
    text += "}}";
    const auto parsed = parse_flag_document(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    std::size_t seen = 0;
    (*parsed)->tenants().for_each([&](const TenantFlag& flag) {
        const auto i = static_cast<std::size_t>(std::stoul(std::string{flag.id.substr(1)}));
        EXPECT_EQ(flag.note, note_of(kNoteSizes[i], static_cast<char>('a' + i))) << flag.id;
        ++seen;
    });
    EXPECT_EQ(seen, kNoteSizes.size());
}

}  // namespace
}  // namespace switchyard::flags
