#include "flags/door_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/thread_name.hpp"
#include "common/write_all.hpp"

namespace switchyard::flags {

namespace {

std::string errno_text() { return std::strerror(errno); }

std::string closing_line(const DoorClosing& c) {
    nlohmann::json line{{"event", "door_closed"}, {"tenant", c.tenant},
                        {"unix_ms", c.unix_ms},   {"request_id", c.request_id},
                        {"instance", c.instance}, {"method", c.method},
                        {"path", c.path}};
    return line.dump() + "\n";
}

// Flushes the directory entry too, so a just-created journal survives a power cut.
void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// A line as the journal writes it: reading one of another shape must not throw (a hand-edited
// or damaged line is reported with its place instead).
bool well_formed(const nlohmann::json& entry) {
    if (!entry.is_object()) return false;
    const auto text = [&](const char* key, bool required) {
        const auto it = entry.find(key);
        return it == entry.end() ? !required : it->is_string();
    };
    const auto unix_ms = entry.find("unix_ms");
    return text("event", true) && !entry["event"].get_ref<const std::string&>().empty() &&
           text("tenant", true) && text("request_id", false) && text("instance", false) &&
           text("method", false) && text("path", false) &&
           (unix_ms == entry.end() || unix_ms->is_number());
}

struct LoadedJournal {
    std::vector<DoorClosing> closings;
    std::vector<std::string> warnings;
    std::size_t good_bytes = 0;  // where a torn tail, if any, begins
};

Result<LoadedJournal> read_journal(const std::filesystem::path& file, const std::string& text) {
    LoadedJournal loaded;
    std::size_t start = 0;
    std::size_t line_number = 0;
    while (start < text.size()) {
        ++line_number;
        const auto end = text.find('\n', start);
        const bool terminated = end != std::string::npos;
        const std::string_view line(text.data() + start, (terminated ? end : text.size()) - start);
        nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
        const bool valid = !entry.is_discarded() && well_formed(entry);
        if (!valid || !terminated) {
            const bool last = !terminated || end + 1 == text.size();
            if (!last) {
                return Error{file.string() + ": line " + std::to_string(line_number) +
                             " is damaged and is not the last line; refusing to start rather "
                             "than forget a closed door. Repair or restore the file."};
            }
            loaded.warnings.push_back(
                file.string() + ": line " + std::to_string(line_number) +
                " is incomplete (a write cut short by a crash?); it was dropped, the " +
                std::to_string(loaded.closings.size()) + " door closing(s) before it are kept");
            break;
        }
        if (entry["event"] == "forced_move") {
            // A forced move back reopened the door: forget the closing before it.
            const auto tenant = entry["tenant"].get<std::string>();
            std::erase_if(loaded.closings,
                          [&](const DoorClosing& closing) { return closing.tenant == tenant; });
        }
        if (entry["event"] == "door_closed") {
            DoorClosing closing;
            closing.tenant = entry["tenant"].get<std::string>();
            closing.unix_ms = entry.value("unix_ms", std::int64_t{0});
            closing.request_id = entry.value("request_id", "");
            closing.instance = entry.value("instance", "");
            closing.method = entry.value("method", "");
            closing.path = entry.value("path", "");
            loaded.closings.push_back(std::move(closing));
        }
        start = end + 1;
        loaded.good_bytes = start;
    }
    return loaded;
}

}  // namespace

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Result<std::unique_ptr<DoorJournal>> DoorJournal::open(std::filesystem::path file,
                                                       std::string instance,
                                                       DoorsChanged on_doors_changed) {
    const bool existed = std::filesystem::exists(file);
    std::string text;
    if (existed) {
        std::ifstream in(file, std::ios::binary);
        if (!in) return Error{file.string() + ": cannot read the door journal"};
        std::ostringstream content;
        content << in.rdbuf();
        text = content.str();
    }
    auto loaded = read_journal(file, text);
    if (!loaded) return loaded.error();

    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) return Error{file.string() + ": cannot open the door journal: " + errno_text()};
    if (loaded->good_bytes < text.size()) {
        // Cut the torn tail so the next append starts on a line of its own.
        if (::ftruncate(fd, static_cast<off_t>(loaded->good_bytes)) != 0 || ::fsync(fd) != 0) {
            const auto why = errno_text();
            ::close(fd);
            return Error{file.string() + ": cannot cut the damaged last line: " + why};
        }
    }
    if (!existed) sync_directory(std::filesystem::absolute(file).parent_path());

    auto doors = std::make_shared<const DoorSet>()->with(loaded->closings);
    std::unique_ptr<DoorJournal> journal(new DoorJournal(std::move(file), std::move(instance), fd,
                                                         doors, std::move(on_doors_changed)));
    journal->warnings_ = std::move(loaded->warnings);
    return journal;
}

DoorJournal::DoorJournal(std::filesystem::path file, std::string instance, int fd,
                         std::shared_ptr<const DoorSet> doors, DoorsChanged on_doors_changed)
    : file_(std::move(file)),
      instance_(std::move(instance)),
      fd_(fd),
      on_doors_changed_(std::move(on_doors_changed)),
      doors_(std::move(doors)) {
    writer_ = std::thread([this] {
        name_this_thread("sy-doors");
        write_loop();
    });
}

DoorJournal::~DoorJournal() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
    ::close(fd_);
}

std::shared_ptr<const DoorSet> DoorJournal::doors() const {
    std::lock_guard lock(mutex_);
    return doors_;
}

void DoorJournal::close_before_forwarding(DoorClosing closing, Done done) {
    {
        std::unique_lock lock(mutex_);
        if (!doors_->closed(closing.tenant)) {
            if (stopping_) {
                lock.unlock();
                const Error error{"the door journal is shutting down"};
                done(&error);
                return;
            }
            auto [it, fresh] = pending_.try_emplace(closing.tenant);
            it->second.waiters.push_back(std::move(done));
            if (fresh) {
                closing.instance = instance_;
                it->second.closing = std::move(closing);
                queue_.push_back(it->first);
                wake_.notify_one();
            }
            return;
        }
    }
    done(nullptr);  // already durable: later writes pay nothing
}

Result<bool> DoorJournal::append_durably(const std::string& lines) {
    const off_t before = ::lseek(fd_, 0, SEEK_END);
    if (auto written =
            write_all(fd_, lines, file_.string() + ": cannot append to the door journal");
        !written) {
        // Leave no half line behind for the next append to glue onto.
        if (before >= 0 && ::ftruncate(fd_, before) != 0) { /* the error below says enough */
        }
        return written.error();
    }
    if (::fdatasync(fd_) != 0) {
        return Error{file_.string() + ": cannot make the door journal durable: " + errno_text()};
    }
    return true;
}

void DoorJournal::write_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty() && stopping_) return;
        // Everything queued so far shares one write and one fsync (group commit).
        std::vector<DoorClosing> batch;
        std::string lines;
        for (const auto& tenant : queue_) {
            const auto& closing = pending_.at(tenant).closing;
            lines += closing_line(closing);
            batch.push_back(closing);
        }
        queue_.clear();
        lock.unlock();
        // File, doors_ and the published set change in one order under append_mutex_, so a
        // forced move racing this batch is replayed at the next start as it applies now.
        std::unique_lock append_lock(append_mutex_);
        const auto appended = append_durably(lines);
        lock.lock();

        std::vector<Done> waiters;
        for (const auto& closing : batch) {
            auto node = pending_.extract(closing.tenant);
            for (auto& waiter : node.mapped().waiters) waiters.push_back(std::move(waiter));
        }
        std::shared_ptr<const DoorSet> published;
        if (appended) {
            doors_ = doors_->with(batch);
            published = doors_;
        }
        lock.unlock();
        if (published && on_doors_changed_) on_doors_changed_(published);
        append_lock.unlock();
        for (auto& waiter : waiters) waiter(appended ? nullptr : &appended.error());
        lock.lock();
    }
}

Result<bool> DoorJournal::record_forced_move(const ForcedMove& move) {
    nlohmann::json line{
        {"event", "forced_move"}, {"tenant", move.tenant}, {"unix_ms", unix_now_ms()},
        {"from", move.from},      {"to", move.to},         {"reason", move.reason},
        {"by", move.by},          {"instance", instance_}};
    std::lock_guard append_lock(append_mutex_);  // see write_loop()
    auto appended = append_durably(line.dump() + "\n");
    if (!appended) return appended;
    std::shared_ptr<const DoorSet> published;
    {
        std::lock_guard lock(mutex_);
        doors_ = doors_->without(move.tenant);
        published = doors_;
    }
    if (on_doors_changed_) on_doors_changed_(published);
    return appended;
}

}  // namespace switchyard::flags
