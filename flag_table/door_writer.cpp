#include "flag_table/door_writer.hpp"

namespace switchyard::flag_table {

DoorWriter::DoorWriter(FlagTable& table, LiveDoors& doors, std::chrono::milliseconds timeout)
    : table_(table), doors_(doors), timeout_(timeout) {
    writer_ = std::thread([this] { write_loop(); });
}

DoorWriter::~DoorWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (writer_.joinable()) writer_.join();
}

void DoorWriter::close_before_forwarding(flags::DoorClosing closing, Done done) {
    if (doors_.closed(closing.tenant)) {
        done(nullptr);  // durable already: later writes pay nothing
        return;
    }
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        const Error error{"the door writer is shutting down"};
        done(&error);
        return;
    }
    auto [it, fresh] = pending_.try_emplace(closing.tenant);
    it->second.waiters.push_back(std::move(done));
    if (fresh) {
        it->second.closing = std::move(closing);
        queue_.push_back(it->first);
        wake_.notify_one();
    }
}

void DoorWriter::write_loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) break;
        // Everything queued so far (up to one transaction's worth) shares one write.
        std::vector<flags::DoorClosing> batch;
        while (!queue_.empty() && batch.size() < FlagTable::kMaxDoorsPerWrite) {
            batch.push_back(pending_.at(queue_.front()).closing);
            queue_.pop_front();
        }
        lock.unlock();
        auto written = table_.close_doors(batch, timeout_);
        if (written) {
            doors_.add(written->closed, written->seq);
            doors_.add(written->already_closed, table_.seq_hint());
        }
        lock.lock();
        std::vector<Done> waiters;
        for (const auto& closing : batch) {
            auto node = pending_.extract(closing.tenant);
            for (auto& waiter : node.mapped().waiters) waiters.push_back(std::move(waiter));
        }
        lock.unlock();
        const Error failure{written ? std::string() : written.error().message};
        for (auto& waiter : waiters) waiter(written ? nullptr : &failure);
        lock.lock();
    }
    // Shutting down: whatever still waits is answered, never forwarded.
    std::vector<Done> waiters;
    for (auto& [_, pending] : pending_) {
        for (auto& waiter : pending.waiters) waiters.push_back(std::move(waiter));
    }
    pending_.clear();
    queue_.clear();
    lock.unlock();
    const Error error{"the door writer is shutting down"};
    for (auto& waiter : waiters) waiter(&error);
}

}  // namespace switchyard::flag_table
