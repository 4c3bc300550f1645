// A flag document parsed in paced steps (the watcher's way, flags/reload_pacer.hpp) is the very
// document an unpaced parse gives, and a problem found late in it still rejects it whole.
#include <gtest/gtest.h>

#include <string>

#include "flags/flag_document.hpp"
#include "flags/reload_pacer.hpp"
#include "flags/text_digest.hpp"
#include "still_clock.hpp"
#include "varied_document.hpp"

namespace switchyard::flags {
namespace {

Result<std::shared_ptr<const FlagSnapshot>> parse_paced(std::string_view text, ReloadPacer& pacer) {
    pacer.begin();
    return parse_flag_document(text, digest_of(text, &pacer), &pacer);
}

TEST(PacedParse, GivesTheDocumentAnUnpacedParseGives) {
    const auto text = varied_document(40'000);
    ASSERT_GT(text.size(), std::size_t{1} << 20);
    const auto unpaced = parse_flag_document(text);
    ASSERT_TRUE(unpaced.ok()) << unpaced.error().message;
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    const auto paced = parse_paced(text, pacer);
    ASSERT_TRUE(paced.ok()) << paced.error().message;
    // Paused at least every 256 tenants while reading them, and in every other pass.
    EXPECT_GT(pacer.steps(), 40'000U / 256 + 40'000U / 1024);

    const auto& a = **unpaced;
    const auto& b = **paced;
    EXPECT_EQ(b.content_hash(), content_hash(text));
    ASSERT_EQ(b.tenant_count(), 40'000U);
    expect_same_snapshot(a, b);
    EXPECT_FALSE(b.find("tenant-40000").has_value());
}

TEST(PacedParse, AProblemInTheLastEntryRejectsTheWholeDocument) {
    const auto text = varied_document(40'000, "nwe");
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    const auto paced = parse_paced(text, pacer);
    ASSERT_FALSE(paced.ok());
    const auto unpaced = parse_flag_document(text);
    ASSERT_FALSE(unpaced.ok());
    EXPECT_EQ(paced.error().message, unpaced.error().message);
    EXPECT_NE(paced.error().message.find(R"(tenants.tenant-39999.stage: unknown stage "nwe")"),
              std::string::npos)
        << paced.error().message;
}

TEST(PacedParse, ARepeatedIdFoundWhileIndexingRejectsTheWholeDocument) {
    auto text = varied_document(40'000);
    // The last entry takes the id of the first: found only once all are in.
    const auto last = text.rfind("\"tenant-39999\"");
    ASSERT_NE(last, std::string::npos);
    text.replace(last, 14, "\"tenant-0\"");
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    const auto paced = parse_paced(text, pacer);
    ASSERT_FALSE(paced.ok());
    EXPECT_NE(paced.error().message.find("tenants.tenant-0: duplicate tenant id"),
              std::string::npos)
        << paced.error().message;
}

TEST(PacedParse, ATableFreedOnAThreadWithAPacerGivesItsPagesBackInPacedSteps) {
    const auto text = varied_document(40'000);
    auto paced_free = parse_flag_document(text);
    auto plain_free = parse_flag_document(text);
    ASSERT_TRUE(paced_free.ok() && plain_free.ok());
    StillClock clock;
    auto pacer = pacer_of_steps(clock);
    pacer.begin();
    plain_free.value().reset();
    EXPECT_EQ(pacer.steps(), 0U) << "no pacer on this thread";
    {
        const ReloadPacer::ThreadScope scope(&pacer);
        paced_free.value().reset();
    }
    // Entries (320 KB), index (1 MiB) and ids and notes (~0.6 MB), 128 KiB a step.
    EXPECT_GE(pacer.steps(), 14U);
    EXPECT_EQ(ReloadPacer::on_this_thread(), nullptr);
}

}  // namespace
}  // namespace switchyard::flags
