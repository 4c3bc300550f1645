#include "dynalite_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef SWITCHYARD_SOURCE_DIR
#error "SWITCHYARD_SOURCE_DIR must name the source tree (node_modules/ is there)"
#endif

namespace switchyard::test {
namespace {

using namespace std::chrono_literals;

std::uint16_t free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("cannot bind a loopback port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

// dynalite answers GET / with "healthy: dynamodb..."; anything else on the port is not ours.
bool answers_health_check(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    timeval timeout{0, 500000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    bool healthy = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
        const std::string request =
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size())) {
            std::string answer;
            char buffer[512];
            for (int reads = 0; reads < 16; ++reads) {
                const auto got = ::recv(fd, buffer, sizeof buffer, 0);
                if (got <= 0) break;
                answer.append(buffer, static_cast<std::size_t>(got));
                if (answer.find("healthy: dynamodb") != std::string::npos) break;
            }
            healthy = answer.find("healthy: dynamodb") != std::string::npos;
        }
    }
    ::close(fd);
    return healthy;
}

}  // namespace

bool DynaliteProcess::node_available() {
    return std::system("command -v node >/dev/null 2>&1") == 0;
}

std::string DynaliteProcess::script_path() {
    return std::string(SWITCHYARD_SOURCE_DIR) + "/node_modules/dynalite/cli.js";
}

bool DynaliteProcess::script_installed() { return std::filesystem::exists(script_path()); }

DynaliteProcess::DynaliteProcess() : DynaliteProcess(Options{}) {}

DynaliteProcess::DynaliteProcess(Options options) : options_(std::move(options)) {
    char pattern[] = "/tmp/switchyard-dynalite-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
}

DynaliteProcess::~DynaliteProcess() {
    kill_hard();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
}

std::string DynaliteProcess::endpoint() const {
    return std::string(tls() ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

// Over HTTP it must answer dynalite's health check; over HTTPS its log line has to do.
bool DynaliteProcess::ready() const {
    if (!tls()) return answers_health_check(port_);
    return log().find("listening at: https://127.0.0.1:" + std::to_string(port_)) !=
           std::string::npos;
}

std::string DynaliteProcess::log() const {
    std::ifstream file(directory_ + "/dynalite.log");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

void DynaliteProcess::start() {
    // A port taken between our probe and node's bind makes node exit: try another, a few times.
    for (int tries = 0; tries < 5; ++tries) {
        port_ = free_loopback_port();
        if (launch_and_wait(15s)) return;
    }
    throw std::runtime_error("dynalite did not start; its log:\n" + log());
}

void DynaliteProcess::restart() {
    kill_hard();
    bool started = false;
    for (int tries = 0; tries < 3 && !started; ++tries) started = launch_and_wait(15s);
    if (!started) {
        throw std::runtime_error("dynalite did not restart on port " + std::to_string(port_) +
                                 "; its log:\n" + log());
    }
}

void DynaliteProcess::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

bool DynaliteProcess::launch_and_wait(std::chrono::milliseconds timeout) {
    const std::string port = std::to_string(port_);
    const std::string data = directory_ + "/data";
    const std::string log_path = directory_ + "/dynalite.log";
    // dynalite's own server with its cli.js flags, plus TransactWriteItems (dynalite_server.js).
    const std::string script =
        std::string(SWITCHYARD_SOURCE_DIR) + "/tests/dynamo/dynalite_server.js";
    std::vector<std::string> arguments = {
        "node",   script, "--host",          "127.0.0.1", "--port",          port,
        "--path", data,   "--createTableMs", "50",        "--deleteTableMs", "50"};
    if (tls()) {
        arguments.insert(arguments.end(), {"--ssl", "--cert", options_.certificate_file, "--key",
                                           options_.key_file});
    }
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    std::filesystem::remove(log_path);  // ready() reads this run's log only
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        std::FILE* out = std::freopen(log_path.c_str(), "a", stdout);
        if (out != nullptr) ::dup2(::fileno(stdout), STDERR_FILENO);
        ::execvp("node", argv.data());
        std::_Exit(127);
    }
    pid_ = child;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // exited: the port was taken
            pid_ = -1;
            return false;
        }
        if (ready()) return true;
        std::this_thread::sleep_for(50ms);
    }
    kill_hard();
    return false;
}

}  // namespace switchyard::test
