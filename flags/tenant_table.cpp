#include "flags/tenant_table.hpp"

#include <functional>

namespace switchyard::flags {
namespace {

// In-process only, so it need not be stable: std::hash reads 8 bytes at a time, FNV one.
std::uint32_t hash_of(std::string_view id) noexcept {
    return static_cast<std::uint32_t>(std::hash<std::string_view>{}(id));
}

}  // namespace

TenantFlag TenantTable::flag_of(const Entry& entry) const noexcept {
    const std::string_view bytes{bytes_};
    return {bytes.substr(entry.id_offset, entry.id_size), entry.stage,
            bytes.substr(entry.note_offset, entry.note_size)};
}

// Linear probing: the slot holding `id`, or the empty slot where it would go.
std::size_t TenantTable::find_slot(std::string_view id, std::uint32_t hash) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (slot.entry_plus_one == 0) return i;
        if (slot.hash == hash) {
            const Entry& entry = entries_[slot.entry_plus_one - 1];
            if (std::string_view{bytes_}.substr(entry.id_offset, entry.id_size) == id) return i;
        }
    }
}

bool TenantTable::find(std::string_view id, TenantFlag& flag) const noexcept {
    if (slots_.empty()) return false;
    const Slot& slot = slots_[find_slot(id, hash_of(id))];
    if (slot.entry_plus_one == 0) return false;
    flag = flag_of(entries_[slot.entry_plus_one - 1]);
    return true;
}

void TenantTable::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (slot.entry_plus_one == 0) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].entry_plus_one != 0) i = (i + 1) & mask;
        slots_[i] = slot;
    }
}

bool TenantTable::insert(std::string_view id, Stage stage, std::string_view note) {
    if ((entries_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint32_t hash = hash_of(id);
    Slot& slot = slots_[find_slot(id, hash)];
    if (slot.entry_plus_one != 0) return false;
    Entry entry{};
    entry.id_offset = static_cast<std::uint32_t>(bytes_.size());
    entry.id_size = static_cast<std::uint8_t>(id.size());
    bytes_.append(id);
    entry.note_offset = static_cast<std::uint32_t>(bytes_.size());
    entry.note_size = static_cast<std::uint32_t>(note.size());
    bytes_.append(note);
    entry.stage = stage;
    entries_.push_back(entry);
    slot = Slot{static_cast<std::uint32_t>(entries_.size()), hash};
    return true;
}

void TenantTable::shrink_to_fit() {
    bytes_.shrink_to_fit();
    entries_.shrink_to_fit();
}

std::size_t TenantTable::memory_bytes() const noexcept {
    return bytes_.capacity() + entries_.capacity() * sizeof(Entry) +
           slots_.capacity() * sizeof(Slot);
}

}  // namespace switchyard::flags
