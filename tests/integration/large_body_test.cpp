// 256 MiB each way through the proxy: every byte arrives, and the proxy's memory stays flat
// because bodies stream (ARCHITECTURE.md invariant 6). The slow end is the test's own, so a
// proxy that buffered instead of pushing back would show it in its RSS.
#include "body_digest.hpp"
#include "peak_sampler.hpp"
#include "proxy_fixture.hpp"

namespace switchyard::test {
namespace {

constexpr std::uint64_t kBodyBytes = 256ull * 1024 * 1024;
constexpr std::uint64_t kMaxGrowthBytes = 32ull * 1024 * 1024;
// Slow enough that a buffering proxy would hoard most of the body, fast enough for ~2 s.
constexpr std::uint64_t kSlowEndBytesPerSecond = 128ull * 1024 * 1024;

std::string mib(std::uint64_t bytes) {
    return std::to_string(static_cast<double>(bytes) / (1024.0 * 1024.0)) + " MiB";
}

class LargeBody : public ProxyTest {
  protected:
    // Starts the proxy and notes its RSS once it has served a request: its pools and buffers
    // exist from then on.
    void launch_warm() {
        ASSERT_NO_FATAL_FAILURE(launch());
        const auto warmup = get_as("globex");
        ASSERT_EQ(warmup.status, 200) << warmup.describe();
        baseline_rss_ = proxy().rss_bytes();
    }

    // Sends `request` while sampling the proxy's RSS; its peak must stay near the baseline.
    ClientResponse send_watching_memory(ClientRequest request) {
        request.headers.add("X-Tenant-Id", "globex");
        request.timeout = std::chrono::seconds(120);
        PeakSampler rss([this] { return proxy().rss_bytes(); }, std::chrono::milliseconds(5));
        const auto response = HttpClient(port()).request(request);
        rss.stop();
        EXPECT_GT(rss.samples(), 10u);
        EXPECT_LT(rss.peak() - std::min(rss.peak(), baseline_rss_), kMaxGrowthBytes)
            << "baseline " << mib(baseline_rss_) << ", peak " << mib(rss.peak());
        return response;
    }

    std::uint64_t baseline_rss_ = 0;
};

TEST_F(LargeBody, UploadOf256MiBStreamsWithBoundedMemory) {
    ASSERT_NO_FATAL_FAILURE(launch_warm());
    legacy_.set_body_read_rate(kSlowEndBytesPerSecond);
    ClientRequest upload = ClientRequest::make("PUT", "/upload");
    upload.generated_body_bytes = kBodyBytes;
    const auto response = send_watching_memory(upload);

    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body, "legacy");
    const auto received = legacy_.last_request();
    EXPECT_EQ(received.method, "PUT");
    EXPECT_EQ(received.body_bytes, kBodyBytes);
    EXPECT_EQ(received.body_digest, pattern_digest(kBodyBytes));
}

TEST_F(LargeBody, DownloadOf256MiBStreamsWithBoundedMemory) {
    ASSERT_NO_FATAL_FAILURE(launch_warm());
    legacy_.set_reply(OriginReply::streamed(kBodyBytes));
    ClientRequest download = ClientRequest::make("GET", "/download");
    download.keep_body = false;
    download.read_bytes_per_second = kSlowEndBytesPerSecond;
    const auto response = send_watching_memory(download);

    ASSERT_EQ(response.status, 200) << response.describe();
    EXPECT_EQ(response.body_bytes, kBodyBytes);
    EXPECT_EQ(response.body_digest, pattern_digest(kBodyBytes));
    EXPECT_EQ(legacy_.last_request().target, "/download");
}

}  // namespace
}  // namespace switchyard::test
