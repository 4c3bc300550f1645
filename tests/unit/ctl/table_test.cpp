#include "ctl/table.hpp"

#include <gtest/gtest.h>

namespace switchyard::ctl {
namespace {

TEST(Table, AlignsColumnsTwoSpacesApartWithoutTrailingSpaces) {
    Table table({"TENANT", "STAGE", "OWNER"});
    table.add_row({"acme", "new", "new"});
    table.add_row({"globex-industries", "reads", "legacy"});
    EXPECT_EQ(table.render(),
              "TENANT             STAGE  OWNER\n"
              "acme               new    new\n"
              "globex-industries  reads  legacy\n");
}

TEST(Table, RightAlignsTheColumnsAskedFor) {
    Table table({"SIDE", "REQUESTS"}, {Align::left, Align::right});
    table.add_row({"legacy", "1200"});
    table.add_row({"new", "7"});
    EXPECT_EQ(table.render(),
              "SIDE    REQUESTS\n"
              "legacy      1200\n"
              "new            7\n");
}

TEST(Table, WithoutHeadersIsAKeyValueList) {
    Table table;
    table.add_row({"tenant", "acme"});
    table.add_row({"version", "3f2a"});
    EXPECT_EQ(table.render(), "tenant   acme\nversion  3f2a\n");
}

TEST(Table, ShortRowsArePaddedAndEmptyLastCellsLeaveNoSpaces) {
    Table table({"A", "B", "C"});
    table.add_row({"x"});
    table.add_row({"longer", "", ""});
    EXPECT_EQ(table.render(), "A       B  C\nx\nlonger\n");
}

TEST(Table, CountsCharactersNotBytes) {
    Table table;
    table.add_row({"a → b", "x"});
    table.add_row({"abcde", "y"});
    EXPECT_EQ(table.render(), "a → b  x\nabcde  y\n");
    EXPECT_EQ(display_width("→"), 1u);
}

TEST(Table, EmptyTableWithHeadersPrintsTheHeaderOnly) {
    EXPECT_EQ(Table({"TENANT", "STAGE"}).render(), "TENANT  STAGE\n");
    EXPECT_EQ(Table().render(), "");
}

}  // namespace
}  // namespace switchyard::ctl
