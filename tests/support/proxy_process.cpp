#include "proxy_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "wait.hpp"

namespace switchyard::test {

namespace fs = std::filesystem;

namespace {

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "switchyard-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<ListenAddress> parse_listen_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 >= text.size()) return std::nullopt;
    ListenAddress address;
    address.host = text.substr(0, colon);
    if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']') {
        address.host = address.host.substr(1, address.host.size() - 2);
    }
    try {
        const int port = std::stoi(text.substr(colon + 1));
        if (port <= 0 || port > 65535) return std::nullopt;
        address.port = static_cast<std::uint16_t>(port);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    return address;
}

ProxyProcess::ProxyProcess(ProxyLaunch launch) : dir_(make_temp_dir()) {
    write_text(dir_ / kConfigFile, launch.config.dump(2));
    write_text(dir_ / kFlagsFile, launch.flags_document);

    // Everything the child needs is built before fork: only async-signal-safe calls follow it.
    std::vector<std::string> args{launch.binary, "--config", (dir_ / kConfigFile).string(),
                                  "--ready-file", (dir_ / kReadyFile).string()};
    args.insert(args.end(), launch.extra_args.begin(), launch.extra_args.end());
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string out_path = (dir_ / "stdout.log").string();
    const std::string err_path = (dir_ / "stderr.log").string();
    const pid_t parent = ::getpid();

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test leaves no proxy behind
        if (::getppid() != parent) ::_exit(127);
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0) ::_exit(127);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(err, STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        ::close_range(3, ~0U, 0);  // the test's own sockets (origins) must not leak into it
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
}

ProxyProcess::~ProxyProcess() {
    if (running()) {
        kill();
        wait_exit(std::chrono::seconds(5));
    }
    if (std::getenv("SWITCHYARD_KEEP_TEST_DIRS") == nullptr) {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
}

bool ProxyProcess::wait_ready(std::chrono::milliseconds timeout) {
    const fs::path ready = dir_ / kReadyFile;
    const bool found = wait_until(
        [&] {
            if (!running()) return true;
            std::error_code ec;
            if (!fs::exists(ready, ec)) return false;
            // The binary writes it atomically; a parse failure would mean it did not.
            const auto document = nlohmann::json::parse(slurp(ready), nullptr, false);
            if (document.is_discarded() || !document.contains("listen")) return false;
            listening_.clear();
            for (const auto& entry : document["listen"]) {
                if (auto address = parse_listen_address(entry.get<std::string>())) {
                    listening_.push_back(*address);
                }
            }
            return true;
        },
        timeout, std::chrono::milliseconds(10));
    return found && !listening_.empty() && running();
}

std::uint16_t ProxyProcess::port(std::size_t listener) const {
    return listener < listening_.size() ? listening_[listener].port : 0;
}

void ProxyProcess::send_signal(int signal) const {
    if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}
void ProxyProcess::terminate() const { send_signal(SIGTERM); }
void ProxyProcess::kill() const { send_signal(SIGKILL); }
void ProxyProcess::hangup() const { send_signal(SIGHUP); }

void ProxyProcess::reap(int status) {
    if (WIFEXITED(status)) exit_code_ = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) exit_code_ = 128 + WTERMSIG(status);
}

bool ProxyProcess::running() {
    if (pid_ <= 0 || exit_code_) return false;
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) reap(status);
    return !exit_code_;
}

std::optional<int> ProxyProcess::wait_exit(std::chrono::milliseconds timeout) {
    wait_until([&] { return !running(); }, timeout, std::chrono::milliseconds(5));
    return exit_code_;
}

void ProxyProcess::write_flags_in_place(const std::string& document) const {
    write_text(dir_ / kFlagsFile, document);
}

void ProxyProcess::write_flags_by_rename(const std::string& document) const {
    const fs::path aside = dir_ / "flags.json.next";
    write_text(aside, document);
    fs::rename(aside, dir_ / kFlagsFile);
}

void ProxyProcess::write_config(const nlohmann::json& config) const {
    write_text(dir_ / kConfigFile, config.dump(2));
}

std::uint64_t ProxyProcess::rss_bytes() const {
    std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::stoull(line.substr(6)) * 1024;  // reported in kB
        }
    }
    return 0;
}

std::vector<std::string> ProxyProcess::thread_names() const {
    std::vector<std::string> names;
    std::error_code ignored;  // threads come and go while we list them
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid_) + "/task", ignored)) {
        std::ifstream comm(task.path() / "comm");
        std::string name;
        if (std::getline(comm, name)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string ProxyProcess::stdout_text() const { return slurp(dir_ / "stdout.log"); }
std::string ProxyProcess::stderr_text() const { return slurp(dir_ / "stderr.log"); }
std::string ProxyProcess::read_file(const std::string& relative) const {
    return slurp(dir_ / relative);
}

std::string ProxyProcess::describe() const {
    return "--- switchyard stdout (" + dir_.string() + ") ---\n" + stdout_text() +
           "--- switchyard stderr ---\n" + stderr_text() + "--- end ---";
}

}  // namespace switchyard::test
