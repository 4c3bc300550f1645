// The digest is what decides "the same document, skip the reload": any change to the bytes
// must change it, or an edit would be silently ignored.
#include "flags/text_digest.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace switchyard::flags {
namespace {

std::string document_of(std::size_t tenants) {
    std::string text = "{\"tenants\": {";
    for (std::size_t i = 0; i < tenants; ++i) {
        text += (i ? ", \"t" : "\"t") + std::to_string(i) + "\": {\"stage\": \"new\"}";
    }
    return text + "}}\n";
}

TEST(TextDigest, EveryBitFlippedChangesTheHash) {
    const std::string text = document_of(3);  // under a word-step's 32 bytes at its end
    const auto hash = digest_of(text).hash;
    std::set<std::uint64_t> seen{hash};
    for (std::size_t at = 0; at < text.size(); ++at) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string changed = text;
            changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
            EXPECT_TRUE(seen.insert(digest_of(changed).hash).second)
                << "byte " << at << " bit " << bit;
        }
    }
}

TEST(TextDigest, TwoChangesOneStepApartDoNotCancel) {
    // The same bit changed in two words that meet the same lane one step apart: a multiply
    // alone carries only upwards, so the top bit's change would cancel the next one's.
    const std::string text = document_of(4000);  // more than one block
    const auto hash = digest_of(text).hash;
    for (const std::size_t at : {std::size_t{7}, std::size_t{1000}, TextDigester::kBlockBytes - 30,
                                 TextDigester::kBlockBytes + 7, text.size() - 40}) {
        for (int bit = 0; bit < 8; ++bit) {
            std::string changed = text;
            changed[at] = static_cast<char>(changed[at] ^ (1 << bit));
            changed[at + 32] = static_cast<char>(changed[at + 32] ^ (1 << bit));
            EXPECT_NE(digest_of(changed).hash, hash) << "bytes " << at << "+32, bit " << bit;
        }
    }
}

TEST(TextDigest, ALongerTextIsAnotherText) {
    std::set<std::uint64_t> seen;
    std::string text;
    for (int length = 0; length < 100; ++length) {  // zeros: what a padded tail would add
        EXPECT_TRUE(seen.insert(digest_of(text).hash).second) << length << " zero bytes";
        text += '\0';
    }
}

TEST(TextDigest, CountsTheOpeningBraces) {
    const std::string text = document_of(5000);
    std::size_t braces = 0;
    for (const char c : text) braces += c == '{';
    EXPECT_EQ(digest_of(text).open_braces, braces);
    EXPECT_EQ(braces, 5002U);
}

}  // namespace
}  // namespace switchyard::flags
