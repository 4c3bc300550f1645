#include "flags/file_source.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <system_error>
#include <utility>

#include "common/thread_name.hpp"
#include "flags/directory_watch.hpp"
#include "flags/flag_document.hpp"
#include "flags/read_file.hpp"
#include "flags/tenant_table.hpp"
#include "flags/text_digest.hpp"
#include "flags/text_window.hpp"

namespace switchyard::flags {
namespace {

using Clock = std::chrono::steady_clock;

// A burst that never settles (a writer looping) is still read at this pace.
constexpr std::chrono::milliseconds kMaxDebounce{500};
// A zero interval would spin the watcher on stat().
constexpr std::chrono::milliseconds kMinPollInterval{10};

// poll()'s timeout: an int of milliseconds, never negative (that would mean "forever").
int milliseconds_until(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(
        left.count(), 0, std::numeric_limits<int>::max()));
}

}  // namespace

FileSource::FileSource(std::filesystem::path path, std::chrono::milliseconds poll_interval,
                       SnapshotCallback on_snapshot, ErrorCallback on_error, Watch watch)
    : path_(std::move(path)),
      poll_interval_(std::max(poll_interval, kMinPollInterval)),
      on_snapshot_(std::move(on_snapshot)),
      on_error_(std::move(on_error)),
      watch_(watch) {}

FileSource::~FileSource() { stop(); }

Result<std::shared_ptr<const FlagSnapshot>> FileSource::load_now() { return check(false); }

Result<std::shared_ptr<const FlagSnapshot>> FileSource::check(bool from_watcher) {
    const std::lock_guard lock(check_mutex_);
    auto result = read_and_publish(from_watcher);
    checks_.fetch_add(1, std::memory_order_release);  // after publishing: see checks()
    return result;
}

// Null when the watcher finds the bytes it already parsed.
Result<std::shared_ptr<const FlagSnapshot>> FileSource::read_and_publish(bool from_watcher) {
    const auto report = [&](std::string message) -> Error {
        Error error{path_.string() + ": " + message};
        // A deleted file stays deleted for many polls: say so once, until something changes.
        if (from_watcher && on_error_ && error.message != last_error_) on_error_(error);
        last_error_ = error.message;
        return error;
    };
    last_identity_ = identity_of_file(path_);
    ReloadPacer* const pacer = from_watcher ? &pacer_ : nullptr;
    if (pacer) pacer->begin();
    // Tables freed on the way (the one the callback replaces, one that failed) are paced too.
    const ReloadPacer::ThreadScope paced(pacer);
    auto file = open_for_reading(path_);
    TextDigester digester;
    if (file) {
        // A first pass for the digest: unchanged bytes are not parsed, and the parser sizes the
        // table from the '{' count. The parse reads the file again through a window: two
        // copies from the page cache into buffers that stay in cache cost less than 40 MB of
        // fresh pages to map and give back (text_window.hpp).
        auto read = read_blocks(file->open.fd(), TextDigester::kBlockBytes, pacer,
                                [&](std::string_view block) { digester.add(block); });
        if (!read) file = read.error();
    }
    if (!file) {
        last_content_hash_.reset();  // the same content coming back is news again
        return report(file.error().message);
    }
    const TextDigest digest = digester.digest();
    // The watcher wakes for touches and same-content saves too; only new bytes are news.
    if (from_watcher && last_content_hash_ == digest.hash) {
        return std::shared_ptr<const FlagSnapshot>{};
    }
    last_content_hash_ = digest.hash;
    TextWindow window{file->open.fd(), static_cast<std::size_t>(file->identity.size), pacer};
    auto parsed = parse_flag_document(window, digest, pacer);
    if (!parsed) return report(parsed.error().message);
    last_error_.clear();
    if (on_snapshot_) on_snapshot_(*parsed, file->identity);  // the file still open
    return parsed;
}

void FileSource::start() {
    if (watcher_.joinable()) return;
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // Without it stop() could not wake the watcher: refuse to start rather than hang later.
    if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    watcher_ = std::thread([this] {
        name_this_thread("sy-flags");
        watch();
    });
}

void FileSource::stop() {
    if (!watcher_.joinable()) return;
    pacer_.stop_pacing();  // a reload under way finishes at full speed
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
    watcher_.join();
    ::close(wake_fd_);
    wake_fd_ = -1;
}

void FileSource::watch() {
    std::optional<DirectoryWatch> directory;
    if (watch_ == Watch::inotify_and_poll) directory.emplace(path_);
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {directory ? directory->fd() : -1, POLLIN, 0}};
    const nfds_t fd_count = directory && directory->valid() ? 2 : 1;
    auto next_poll = Clock::now();  // first look at once: load_now() may not have run
    constexpr auto kNotSettling = Clock::time_point::max();
    auto settle_at = kNotSettling;  // end of the current burst of events, if any
    Clock::time_point burst_started{};
    auto keep_from = Clock::now();
    // Housekeeping between reloads, paced as a reload is.
    const auto paced = [this](auto&& work) {
        pacer_.begin();
        const ReloadPacer::ThreadScope scope(&pacer_);
        work();
    };
    const auto reload = [&](Clock::time_point now) {
        check(true);
        keep_from = now;
    };

    for (;;) {
        // A replaced table's buffers, kept for the next reload, until none came for a while.
        spare_bytes_.store(TenantTable::spare_bytes(), std::memory_order_relaxed);
        const auto give_back_at = spare_bytes_.load(std::memory_order_relaxed) > 0
                                      ? keep_from + keep_spare_
                                      : Clock::time_point::max();
        if (Clock::now() >= give_back_at) {
            paced([this] { TenantTable::release_spare(&pacer_); });
            keep_from = Clock::now();  // had anything stayed, not again at once: no busy loop
            continue;
        }
        const auto wake_at = std::min({settle_at, next_poll, give_back_at});
        if (::poll(fds, fd_count, milliseconds_until(wake_at)) < 0 && errno != EINTR) {
            // poll() itself failing is not worth a busy loop: fall back to sleeping polls.
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        }
        if (fds[0].revents & POLLIN) return;  // stop()
        const auto now = Clock::now();
        const auto heard = fd_count == 2 && (fds[1].revents & POLLIN)
                               ? directory->drain()
                               : DirectoryWatch::Heard::nothing;
        if (heard == DirectoryWatch::Heard::replaced) {
            settle_at = now;  // renamed into place whole: the burst is over, read it at once
        } else if (heard == DirectoryWatch::Heard::changed) {
            if (settle_at == kNotSettling) burst_started = now;
            settle_at = std::min(now + kDebounce, burst_started + kMaxDebounce);
        }
        if (now >= settle_at) {
            settle_at = kNotSettling;
            reload(now);
            next_poll = now + poll_interval_;
        } else if (now >= next_poll) {
            const bool changed = [&] {
                const std::lock_guard lock(check_mutex_);
                return last_identity_ != identity_of_file(path_);
            }();
            if (changed) {
                reload(now);
            } else if (idle_work_) {
                const std::lock_guard lock(check_mutex_);
                paced(idle_work_);
            }
            next_poll = now + poll_interval_;
        }
    }
}

}  // namespace switchyard::flags
