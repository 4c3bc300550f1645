#include "raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace switchyard::test {

RawConnection::RawConnection(std::uint16_t port, std::string host) {
    const bool ipv6 = host.find(':') != std::string::npos;
    sockaddr_storage address{};
    socklen_t length = 0;
    if (ipv6) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&address);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        inet_pton(AF_INET6, host.c_str(), &in6->sin6_addr);
        length = sizeof(sockaddr_in6);
    } else {
        auto* in4 = reinterpret_cast<sockaddr_in*>(&address);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        inet_pton(AF_INET, host.c_str(), &in4->sin_addr);
        length = sizeof(sockaddr_in);
    }
    fd_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
        error_ = std::string("connect: ") + std::strerror(errno);
        close();
    }
}

RawConnection::~RawConnection() { close(); }

bool RawConnection::send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
        const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            error_ = std::string("send: ") + std::strerror(errno);
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return fd_ >= 0;
}

bool RawConnection::read_some(std::chrono::steady_clock::time_point deadline) {
    if (fd_ < 0 || peer_closed_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd waiting{fd_, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) return true;
    if (ready <= 0) return false;
    char block[16 * 1024];
    const auto n = ::recv(fd_, block, sizeof block, 0);
    if (n < 0 && errno == EINTR) return true;
    if (n <= 0) {  // a reset counts as a close: the peer is gone either way
        peer_closed_ = true;
        return false;
    }
    received_.append(block, static_cast<std::size_t>(n));
    return true;
}

bool RawConnection::read_until(std::string_view marker, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(marker) == std::string::npos) {
        if (!read_some(deadline)) return received_.find(marker) != std::string::npos;
    }
    return true;
}

bool RawConnection::read_until_close(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (read_some(deadline)) {
    }
    return peer_closed_;
}

void RawConnection::shutdown_write() {
    if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

void RawConnection::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::string raw_exchange(std::uint16_t port, std::string_view bytes,
                         std::chrono::milliseconds timeout) {
    RawConnection connection(port);
    if (!connection.send(bytes)) return {};
    connection.read_until_close(timeout);
    return connection.received();
}

int status_of(std::string_view bytes) {
    if (bytes.size() < 12 || bytes.substr(0, 7) != "HTTP/1.") return 0;
    int status = 0;
    for (std::size_t i = 9; i < 12; ++i) {
        if (bytes[i] < '0' || bytes[i] > '9') return 0;
        status = status * 10 + (bytes[i] - '0');
    }
    return status;
}

}  // namespace switchyard::test
