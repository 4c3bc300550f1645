#pragma once
// Kept-alive connections to one origin, for concurrent callers: each call takes one (or a new
// one) and gives it back when it is still open. At most `max_idle` wait between calls.
#include <memory>
#include <mutex>
#include <vector>

#include "dynamo/http_connection.hpp"

namespace switchyard::dynamo {

class ConnectionPool {
  public:
    ConnectionPool(Url origin, ConnectionOptions options, std::size_t max_idle = 4);

    std::unique_ptr<HttpConnection> take();
    void give_back(std::unique_ptr<HttpConnection> connection);

  private:
    Url origin_;
    ConnectionOptions options_;
    std::size_t max_idle_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<HttpConnection>> idle_;
};

}  // namespace switchyard::dynamo
