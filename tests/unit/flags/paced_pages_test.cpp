// populate() maps the whole pages of a buffer ahead of its filling, and changes nothing in it;
// release_pages() gives them back before a free. Both leave the partial pages at its ends alone.
#include "flags/paced_pages.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "flags/reload_pacer.hpp"
#include "still_clock.hpp"

namespace switchyard::flags {
namespace {

class PacedPagesTest : public testing::Test {
  protected:
    void SetUp() override {
        mapping_ = static_cast<char*>(
            ::mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        ASSERT_NE(mapping_, MAP_FAILED);
    }
    void TearDown() override { ::munmap(mapping_, kBytes); }

    // Which of the mapping's pages are in memory.
    std::vector<bool> resident() const {
        std::vector<unsigned char> pages(kBytes / page_);
        EXPECT_EQ(::mincore(mapping_, kBytes, pages.data()), 0);
        std::vector<bool> in_memory;
        for (const auto page : pages) in_memory.push_back((page & 1) != 0);
        return in_memory;
    }

    // The pages wholly inside [mapping_ + 10, mapping_ + kBytes - page_ + 10) are `inside`;
    // the partial pages at both ends are not.
    void expect_inner_pages_resident(bool inside) const {
        const auto in_memory = resident();
        EXPECT_EQ(in_memory.front(), !inside);
        EXPECT_EQ(in_memory.back(), !inside);
        for (std::size_t page = 1; page + 1 < in_memory.size(); ++page) {
            ASSERT_EQ(in_memory[page], inside) << "page " << page;
        }
    }

    static constexpr std::size_t kBytes = 4 << 20;
    const std::size_t page_ = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    char* mapping_ = nullptr;
};

TEST_F(PacedPagesTest, MapsTheWholePagesInsideTheBufferInPacedStepsAndKeepsWhatTheyHold) {
    std::strcpy(mapping_ + page_ + 100, "kept");
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    pacer.begin();
    // From inside the first page to inside the last: those two are partial, left alone.
    populate(mapping_ + 10, kBytes - page_, &pacer);
    expect_inner_pages_resident(true);
    EXPECT_STREQ(mapping_ + page_ + 100, "kept");
    EXPECT_EQ(mapping_[2 * page_], 0);
    EXPECT_GE(pacer.steps(), 31U) << "a pause point after every 128 KiB";
}

TEST_F(PacedPagesTest, ReleasesTheWholePagesInsideTheBufferInPacedSteps) {
    std::memset(mapping_, 'x', kBytes);
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    pacer.begin();
    release_pages(mapping_ + 10, kBytes - page_, &pacer);
    expect_inner_pages_resident(false);
    EXPECT_EQ(mapping_[10], 'x');
    EXPECT_EQ(mapping_[page_], 0) << "a page given back reads as zeroes";
    EXPECT_EQ(mapping_[kBytes - 1], 'x');
    EXPECT_GE(pacer.steps(), 31U) << "a pause point after every 128 KiB";
}

}  // namespace
}  // namespace switchyard::flags
