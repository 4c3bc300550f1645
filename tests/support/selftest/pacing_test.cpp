// The slow ends of a transfer and the peak sampler that watches memory during it.
#include <gtest/gtest.h>

#include <atomic>

#include "body_digest.hpp"
#include "http_client.hpp"
#include "peak_sampler.hpp"
#include "test_origin.hpp"
#include "wait.hpp"

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;
constexpr std::uint64_t kMiB = 1024 * 1024;

TEST(Pacing, OriginReadsRequestBodiesNoFasterThanItsRate) {
    TestOrigin origin;
    origin.set_body_read_rate(4 * kMiB);
    ClientRequest upload = ClientRequest::make("PUT", "/");
    upload.generated_body_bytes = kMiB;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(HttpClient(origin.port()).request(upload).status, 200);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 240ms);  // 1 MiB at 4 MiB/s: 250 ms
    EXPECT_EQ(origin.last_request().body_digest, pattern_digest(kMiB));
}

TEST(Pacing, ClientReadsResponseBodiesNoFasterThanItsRate) {
    TestOrigin origin;
    origin.set_reply(OriginReply::streamed(kMiB));
    ClientRequest download;
    download.read_bytes_per_second = 4 * kMiB;
    const auto start = std::chrono::steady_clock::now();
    const auto response = HttpClient(origin.port()).request(download);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 240ms);
    EXPECT_EQ(response.body_digest, pattern_digest(kMiB));
}

TEST(PeakSampler, KeepsTheHighestSample) {
    std::atomic<std::uint64_t> value{5};
    PeakSampler sampler([&] { return value.load(); }, 1ms);
    value = 50;
    ASSERT_TRUE(wait_until([&] { return sampler.peak() == 50; }, 5s));
    value = 7;
    sampler.stop();
    EXPECT_EQ(sampler.peak(), 50u);
    EXPECT_GE(sampler.samples(), 2u);
}

}  // namespace
}  // namespace switchyard::test
