#include "traffic_stream.hpp"

#include "http_client.hpp"

namespace switchyard::test {

std::string TrafficReport::describe() const {
    std::string text = std::to_string(requests) + " requests, " + std::to_string(failures) +
                       " failed, legacy " + std::to_string(legacy_answers) + ", new " +
                       std::to_string(new_answers);
    for (const auto& failure : first_failures) text += "\n  " + failure;
    return text;
}

TrafficStream::TrafficStream(std::uint16_t port, HeaderList headers, std::size_t max_requests,
                             std::chrono::seconds max_duration)
    : port_(port),
      headers_(std::move(headers)),
      max_requests_(max_requests),
      deadline_(std::chrono::steady_clock::now() + max_duration) {
    threads_.emplace_back([this] { run(true); });
    threads_.emplace_back([this] { run(false); });
}

TrafficStream::~TrafficStream() { stop(); }

void TrafficStream::run(bool keep_alive) {
    HttpClient client(port_);
    while (!stopping_ && requests_ < max_requests_ &&
           std::chrono::steady_clock::now() < deadline_) {
        if (!keep_alive) client.close();
        const auto response = client.get("/stream", headers_);
        ++requests_;
        const std::string side = response.headers.value_or_empty("X-Origin");
        std::lock_guard lock(mutex_);
        ++report_.requests;
        if (response.status < 200 || response.status > 299) {
            ++report_.failures;
            if (report_.first_failures.size() < 5) {
                report_.first_failures.push_back(response.describe());
            }
        }
        report_.legacy_answers += side == "legacy";
        report_.new_answers += side == "new";
    }
}

TrafficReport TrafficStream::stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    std::lock_guard lock(mutex_);
    return report_;
}

}  // namespace switchyard::test
