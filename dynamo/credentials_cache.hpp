#pragma once
// Keeps the credentials a provider found and loads new ones shortly before they expire, so a
// call never signs with an expired token. Thread-safe. The clock is injected for tests.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "dynamo/credentials.hpp"

namespace switchyard::dynamo {

class CredentialsCache {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    // Refreshes `refresh_margin` before expiry (the SDKs use 5 minutes for instance and task
    // roles); a failed refresh is not tried again for `retry_after` while the old ones last.
    explicit CredentialsCache(std::shared_ptr<CredentialsProvider> source, Clock clock = {},
                              std::chrono::seconds refresh_margin = std::chrono::minutes(5),
                              std::chrono::seconds retry_after = std::chrono::seconds(10));

    Result<Credentials> get();
    // Forget them: after DynamoDB said the token expired or the key is unknown.
    void invalidate();

  private:
    bool fresh(std::chrono::system_clock::time_point now) const;
    bool usable(std::chrono::system_clock::time_point now) const;

    std::shared_ptr<CredentialsProvider> source_;
    Clock clock_;
    std::chrono::seconds refresh_margin_;
    std::chrono::seconds retry_after_;
    std::mutex mutex_;
    std::optional<Credentials> cached_;
    std::chrono::system_clock::time_point next_refresh_attempt_{};
};

}  // namespace switchyard::dynamo
