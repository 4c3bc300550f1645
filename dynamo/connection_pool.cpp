#include "dynamo/connection_pool.hpp"

namespace switchyard::dynamo {

ConnectionPool::ConnectionPool(Url origin, ConnectionOptions options, std::size_t max_idle)
    : origin_(std::move(origin)), options_(std::move(options)), max_idle_(max_idle) {}

std::unique_ptr<HttpConnection> ConnectionPool::take() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return connection;
        }
    }
    return std::make_unique<HttpConnection>(origin_, options_);
}

void ConnectionPool::give_back(std::unique_ptr<HttpConnection> connection) {
    if (!connection || !connection->is_open()) return;
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

}  // namespace switchyard::dynamo
