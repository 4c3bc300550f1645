#include "dynamo/credentials_cache.hpp"

namespace switchyard::dynamo {

CredentialsCache::CredentialsCache(std::shared_ptr<CredentialsProvider> source, Clock clock,
                                   std::chrono::seconds refresh_margin,
                                   std::chrono::seconds retry_after)
    : source_(std::move(source)),
      clock_(clock ? std::move(clock) : Clock(&std::chrono::system_clock::now)),
      refresh_margin_(refresh_margin),
      retry_after_(retry_after) {}

bool CredentialsCache::fresh(std::chrono::system_clock::time_point now) const {
    return cached_ && (!cached_->expiration || now < *cached_->expiration - refresh_margin_);
}

bool CredentialsCache::usable(std::chrono::system_clock::time_point now) const {
    return cached_ && (!cached_->expiration || now < *cached_->expiration);
}

Result<Credentials> CredentialsCache::get() {
    std::lock_guard lock(mutex_);
    const auto now = clock_();
    if (fresh(now)) return *cached_;
    if (usable(now) && now < next_refresh_attempt_) return *cached_;

    auto found = source_->load();
    if (found && found.value()) {
        cached_ = std::move(*found.value());
        return *cached_;
    }
    next_refresh_attempt_ = now + retry_after_;
    // Still valid for a while: sign with them and try again later.
    if (usable(now)) return *cached_;
    cached_.reset();
    if (!found) return found.error();
    return Error{source_->name() + " found no credentials"};
}

void CredentialsCache::invalidate() {
    std::lock_guard lock(mutex_);
    cached_.reset();
    next_refresh_attempt_ = {};
}

}  // namespace switchyard::dynamo
