#pragma once
// Publishes the flag file's snapshots as the file changes. Editors save in different ways (write
// in place, or write a temp file and rename it over), so the watcher follows the directory with
// inotify, filtered to the file's name, and polls stat() as a fallback in case inotify is
// unavailable or misses an event. Only new content is parsed, and only a good document is ever
// published: after a bad edit or a deletion the caller keeps serving the last good snapshot.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "flags/flag_snapshot.hpp"
#include "flags/read_file.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {

class FileSource {
  public:
    // With the identity of the very file the document was read from, which stays open until the
    // callback returns (see latest_document()).
    using SnapshotCallback =
        std::function<void(std::shared_ptr<const FlagSnapshot>, const FileIdentity& read_from)>;
    using ErrorCallback = std::function<void(const Error&)>;

    static constexpr std::chrono::milliseconds kDefaultPollInterval{1000};
    // Editors write in bursts (truncate, write, close); one parse after the burst settles. A
    // file renamed into place is whole already: it is read at once.
    static constexpr std::chrono::milliseconds kDebounce{50};
    // The buffers of a big table the watcher replaced are kept for its next reload
    // (TenantTable::spare_bytes()): reloads come in bursts while tenants move. After this long
    // without one, they are given back.
    static constexpr std::chrono::milliseconds kKeepSpareTable{30'000};

    // poll_only: for file systems where inotify hears nothing (NFS, some FUSE), and for tests.
    enum class Watch : std::uint8_t { inotify_and_poll, poll_only };

    // Callbacks run on the watcher thread (or in load_now()'s caller), never two at once. The
    // watcher reads, hashes and parses a new document in steps paced by a ReloadPacer, so that
    // it never holds a core a busy request thread needs for long; load_now() at full speed.
    FileSource(std::filesystem::path path, std::chrono::milliseconds poll_interval,
               SnapshotCallback on_snapshot, ErrorCallback on_error,
               Watch watch = Watch::inotify_and_poll);
    ~FileSource();  // stops the watcher
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    // Reads and parses the file now. A good document goes to on_snapshot and is returned; a bad
    // or missing one is returned (not passed to on_error), so startup can refuse to start.
    Result<std::shared_ptr<const FlagSnapshot>> load_now();

    // Watches on a background thread until stop(). Call at most once. Throws std::system_error
    // when the process is out of file descriptors.
    void start();
    // Wakes the watcher at once and joins it; safe to call twice.
    void stop();

    // How many times the file was looked at, changed or not, counted once the outcome is
    // published: for metrics, and for tests that must know an unchanged save was seen.
    std::uint64_t checks() const noexcept { return checks_.load(std::memory_order_acquire); }
    // What the watcher keeps of a replaced table for its next reload, as of its last wake-up.
    std::size_t spare_bytes() const noexcept {
        return spare_bytes_.load(std::memory_order_relaxed);
    }
    // Before start(): how long that is kept without a reload (kKeepSpareTable); for tests.
    void keep_spare_table_for(std::chrono::milliseconds keep) noexcept { keep_spare_ = keep; }
    // Before start(): work for the watcher at every poll that finds the file unchanged, paced
    // like a reload and never beside a callback: letting go of what a reload could not free
    // at once (runtime.cpp: flags an idle request thread still held when they were replaced).
    void on_idle(std::function<void()> work) { idle_work_ = std::move(work); }

  private:
    // Reads the file and publishes what is new; reports a problem once, not at every poll.
    Result<std::shared_ptr<const FlagSnapshot>> check(bool from_watcher);
    Result<std::shared_ptr<const FlagSnapshot>> read_and_publish(bool from_watcher);
    void watch();

    const std::filesystem::path path_;
    const std::chrono::milliseconds poll_interval_;
    const SnapshotCallback on_snapshot_;
    const ErrorCallback on_error_;
    const Watch watch_;

    std::mutex check_mutex_;  // load_now() may race the watcher; callbacks stay serial
    // What stat() said at the last read (a change in any of it means "read it again"); none
    // inside when there was no file, none at all before the first read.
    std::optional<std::optional<FileIdentity>> last_identity_;
    std::optional<std::uint64_t> last_content_hash_;  // of the last content parsed, good or bad
    std::string last_error_;
    std::atomic<std::uint64_t> checks_{0};
    std::chrono::milliseconds keep_spare_ = kKeepSpareTable;
    std::atomic<std::size_t> spare_bytes_{0};
    std::function<void()> idle_work_;
    ReloadPacer pacer_{ReloadPacer::system_clock()};  // the watcher's

    int wake_fd_ = -1;  // eventfd: stop() wakes the watcher's poll() at once
    std::thread watcher_;
};

}  // namespace switchyard::flags
