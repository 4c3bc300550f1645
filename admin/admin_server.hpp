#pragma once
// The admin listener: its own thread and event loop, so no admin call can slow the request path
// and no request flood can lock the operator out. Boost-free header.
#include <memory>
#include <string>

#include "admin/api.hpp"
#include "proxy/settings.hpp"

namespace switchyard::admin {

class AdminServer {
  public:
    AdminServer(proxy::ListenAddress address, AdminServices services, std::size_t max_body_bytes);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    void start();  // binds; throws std::runtime_error with the reason
    std::string bound_address() const;
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::admin
