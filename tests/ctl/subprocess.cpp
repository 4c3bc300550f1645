#include "subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace switchyard::test {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> out;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string text(*entry);
        const auto name = text.substr(0, text.find('='));
        if (name.rfind("SWITCHYARD_", 0) == 0 || overrides.count(name)) continue;
        out.push_back(text);
    }
    for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
    return out;
}

int remaining_ms(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

ProcessResult run_process(const ProcessRun& run) {
    // Everything the child needs is built before fork: only async-signal-safe calls follow it.
    auto args = run.argv;
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    auto env = child_environment(run.environment);
    std::vector<char*> envp;
    for (auto& entry : env) envp.push_back(entry.data());
    envp.push_back(nullptr);

    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) != 0 || ::pipe2(out_pipe, O_CLOEXEC) != 0 ||
        ::pipe2(err_pipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe2 failed");
    }
    // A child that exits before reading its stdin must fail the write, not kill the test.
    std::signal(SIGPIPE, SIG_IGN);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test leaves nothing behind
        if (::getppid() != parent) ::_exit(127);
        struct sigaction default_pipe {};
        default_pipe.sa_handler = SIG_DFL;
        ::sigaction(SIGPIPE, &default_pipe, nullptr);  // an ignored signal would survive execve
        ::dup2(in_pipe[0], STDIN_FILENO);
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        ::close_range(3, ~0U, 0);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);

    ProcessResult result;
    const auto deadline = Clock::now() + run.timeout;
    std::size_t stdin_written = 0;
    int stdin_fd = in_pipe[1];
    if (run.stdin_text.empty()) {
        ::close(stdin_fd);
        stdin_fd = -1;
    }
    int out_fd = out_pipe[0], err_fd = err_pipe[0];
    while ((out_fd >= 0 || err_fd >= 0) && remaining_ms(deadline) > 0) {
        pollfd fds[3] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}, {stdin_fd, POLLOUT, 0}};
        if (::poll(fds, 3, remaining_ms(deadline)) < 0 && errno != EINTR) break;
        char buffer[8192];
        for (int i = 0; i < 2; ++i) {
            int& fd = i == 0 ? out_fd : err_fd;
            if (fd < 0 || fds[i].revents == 0) continue;
            const auto n = ::read(fd, buffer, sizeof buffer);
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                ::close(fd);
                fd = -1;
            }
        }
        if (stdin_fd >= 0 && fds[2].revents != 0) {
            const auto n = ::write(stdin_fd, run.stdin_text.data() + stdin_written,
                                   run.stdin_text.size() - stdin_written);
            if (n > 0) stdin_written += static_cast<std::size_t>(n);
            if (n < 0 && errno != EAGAIN && errno != EINTR) stdin_written = run.stdin_text.size();
            if (stdin_written == run.stdin_text.size()) {
                ::close(stdin_fd);
                stdin_fd = -1;
            }
        }
    }
    for (const int fd : {out_fd, err_fd, stdin_fd}) {
        if (fd >= 0) ::close(fd);
    }
    int status = 0;
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (remaining_ms(deadline) == 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        ::usleep(2000);
    }
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
    return result;
}

}  // namespace switchyard::test
