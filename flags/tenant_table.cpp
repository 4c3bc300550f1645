#include "flags/tenant_table.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "flags/hash.hpp"
#include "flags/paced_pages.hpp"
#include "flags/reload_pacer.hpp"

namespace switchyard::flags {
namespace {

// In-process only, so it need not be stable. Ids are short: 8 bytes a step (the last ones
// from overlapping loads, wyhash's way), each stirred in with MurmurHash3's finalizer, inline
// (std::hash is a call and a byte loop for the tail: a tenth of a million-tenant parse).
std::uint32_t hash_of(std::string_view id) noexcept {
    const char* at = id.data();
    std::size_t left = id.size();
    std::uint64_t state = kFnvOffsetBasis ^ left;
    for (; left > 8; left -= 8, at += 8) state = fmix64(state ^ load64(at));
    std::uint64_t last = 0;
    if (left >= 4) {
        last = load32(at) << 32 | load32(at + left - 4);
    } else if (left > 0) {
        last = static_cast<std::uint64_t>(static_cast<unsigned char>(at[0])) << 16 |
               static_cast<std::uint64_t>(static_cast<unsigned char>(at[left / 2])) << 8 |
               static_cast<unsigned char>(at[left - 1]);
    }
    return static_cast<std::uint32_t>(fmix64(state ^ last));
}

// Smaller buffers cost little to map afresh: not worth holding on to.
constexpr std::size_t kSpareAbove = 1 << 20;  // an index of over 65,536 tenants

// A buffer of `capacity` for a need of `needed`: enough, and not more than twice too big.
bool fits(std::size_t capacity, std::size_t needed) noexcept {
    return capacity >= needed && capacity / 2 <= needed;
}

// Frees the buffer's memory: assigning an empty string would keep it (libstdc++ copies a short
// string into the buffer it has).
template <typename Buffer>
void free_buffer(Buffer& buffer) noexcept {
    Buffer{}.swap(buffer);
}

template <typename Buffer>
void take_if_fits(Buffer& into, Buffer& spare, std::size_t needed) {
    if (!fits(spare.capacity(), needed)) return;
    into.swap(spare);
    into.clear();
    free_buffer(spare);  // what `into` held, if anything
}

}  // namespace

TenantTable::Buffers& TenantTable::spare() noexcept {
    thread_local Buffers buffers;
    return buffers;
}

std::size_t TenantTable::spare_bytes() noexcept {
    const Buffers& kept = spare();
    const std::size_t in_place = std::string{}.capacity();  // held inside the string itself
    return (kept.bytes.capacity() > in_place ? kept.bytes.capacity() : 0) +
           kept.entries.capacity() * sizeof(Entry) + kept.slots.capacity() * sizeof(Slot);
}

void TenantTable::release(Buffers& buffers, ReloadPacer* pacer) {
    release_pages(buffers.bytes.data(), buffers.bytes.capacity(), pacer);
    release_pages(buffers.entries.data(), buffers.entries.capacity() * sizeof(Entry), pacer);
    release_pages(buffers.slots.data(), buffers.slots.capacity() * sizeof(Slot), pacer);
    free_buffer(buffers.bytes);
    free_buffer(buffers.entries);
    free_buffer(buffers.slots);
}

void TenantTable::release_spare(ReloadPacer* pacer) { release(spare(), pacer); }

TenantTable::~TenantTable() {
    auto* const pacer = ReloadPacer::on_this_thread();
    if (!pacer) return;
    Buffers mine{std::move(bytes_), std::move(entries_), std::move(slots_)};
    if (mine.slots.capacity() * sizeof(Slot) <= kSpareAbove) {  // its biggest buffer
        release(mine, pacer);
        return;
    }
    Buffers& kept = spare();
    release(kept, pacer);
    kept.bytes.swap(mine.bytes);
    kept.entries.swap(mine.entries);
    kept.slots.swap(mine.slots);
}

// Offsets are in range by construction: no checked substr() on every lookup.
std::string_view TenantTable::id_of(const Entry& entry) const noexcept {
    return {bytes_.data() + entry.id_offset, entry.id_size};
}

TenantFlag TenantTable::flag_of(const Entry& entry) const noexcept {
    const char* note = bytes_.data() + entry.id_offset + entry.id_size;
    std::size_t note_size = entry.note_size;
    if (note_size == kLongNote) {
        std::uint32_t size = 0;
        std::memcpy(&size, note, sizeof size);
        note += sizeof size;
        note_size = size;
    }
    return {id_of(entry), entry.stage, {note, note_size}};
}

TenantTable::Entry TenantTable::append(std::string_view id, Stage stage, std::string_view note) {
    Entry entry{static_cast<std::uint32_t>(bytes_.size()), static_cast<std::uint8_t>(id.size()),
                stage, static_cast<std::uint16_t>(std::min<std::size_t>(note.size(), kLongNote))};
    bytes_.append(id);
    if (entry.note_size == kLongNote) {
        const auto size = static_cast<std::uint32_t>(note.size());
        bytes_.append(reinterpret_cast<const char*>(&size), sizeof size);
    }
    if (!note.empty()) bytes_.append(note);  // most have none: a call saved a tenant
    return entry;
}

// Linear probing: the slot holding `id`, or the empty slot where it would go.
std::size_t TenantTable::find_slot(std::string_view id, std::uint32_t hash) const noexcept {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const Slot& slot = slots_[i];
        if (slot.entry_plus_one == 0) return i;
        if (slot.hash == hash && id_of(entries_[slot.entry_plus_one - 1]) == id) return i;
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
    entries_.push_back(append(id, stage, note));
    slot = Slot{static_cast<std::uint32_t>(entries_.size()), hash};
    return true;
}

void TenantTable::Builder::add(std::string_view id, Stage stage, std::string_view note) {
    table_.entries_.push_back(table_.append(id, stage, note));
}

std::optional<std::size_t> TenantTable::Builder::index(ReloadPacer* pacer) {
    auto& table = table_;
    const std::size_t count = table.entries_.size();
    std::size_t capacity = 16;  // the size insert() would have grown to: at most half full
    while (capacity < 2 * count) capacity *= 2;
    if (count == 0) capacity = 0;
    if (pacer) take_if_fits(table.slots_, spare().slots, capacity);
    table.slots_.clear();
    table.slots_.reserve(capacity);
    populate(table.slots_.data(), capacity * sizeof(Slot), pacer);
    constexpr std::size_t kSlotsAStep = 32 * 1024;  // 256 KiB of zeroes and their page faults
    while (table.slots_.size() < capacity) {
        table.slots_.resize(std::min(capacity, table.slots_.size() + kSlotsAStep));
        if (pacer) pacer->pause_point();
    }
    const std::size_t mask = capacity - 1;
    // Far enough ahead that the slot arrives from memory before its entry is placed. The ids
    // lie in order in one buffer, so each is hashed here as the index reaches it (kept for the
    // next kPrefetchAhead entries), not stored a million at a time beside the table.
    constexpr std::size_t kPrefetchAhead = 16;
    constexpr std::size_t kEntriesAStep = 1024;
    std::array<std::uint32_t, kPrefetchAhead> ahead{};  // by position % kPrefetchAhead
    const auto look_ahead = [&](std::size_t position) {
        const std::uint32_t hash = hash_of(id(position));
        ahead[position % kPrefetchAhead] = hash;
        __builtin_prefetch(&table.slots_[hash & mask], 1);
    };
    for (std::size_t position = 0; position < std::min(count, kPrefetchAhead); ++position) {
        look_ahead(position);
    }
    for (std::size_t position = 0; position < count; ++position) {
        const std::uint32_t hash = ahead[position % kPrefetchAhead];
        if (position + kPrefetchAhead < count) look_ahead(position + kPrefetchAhead);
        Slot& slot = table.slots_[table.find_slot(id(position), hash)];
        if (slot.entry_plus_one != 0) return position;
        slot = Slot{static_cast<std::uint32_t>(position + 1), hash};
        if (pacer && position % kEntriesAStep == kEntriesAStep - 1) pacer->pause_point();
    }
    return std::nullopt;
}

TenantTable TenantTable::Builder::take(ReloadPacer* pacer) && {
    if (pacer) release_spare(pacer);  // what this build did not take
    table_.shrink_to_fit(pacer);
    return std::move(table_);
}

namespace {

// Copying a buffer to trim it costs as much as filling it did: only for more than 1/8 spare,
// and in steps of 128 KiB for a pacer.
template <typename Buffer>
void trim(Buffer& buffer, ReloadPacer* pacer) {
    if (buffer.capacity() - buffer.size() <= buffer.size() / 8) return;
    constexpr std::size_t kStepBytes = 128 * 1024;
    const std::size_t step = std::max<std::size_t>(1, kStepBytes / sizeof buffer[0]);
    Buffer trimmed;
    trimmed.reserve(buffer.size());
    for (std::size_t at = 0; at < buffer.size(); at += step) {
        const auto from = buffer.begin() + static_cast<std::ptrdiff_t>(at);
        trimmed.insert(trimmed.end(), from,
                       from + static_cast<std::ptrdiff_t>(std::min(step, buffer.size() - at)));
        if (pacer) pacer->pause_point();
    }
    buffer = std::move(trimmed);
}

}  // namespace

void TenantTable::shrink_to_fit() { shrink_to_fit(nullptr); }

void TenantTable::shrink_to_fit(ReloadPacer* pacer) {
    // The ids' and notes' room was reserved for the rest of the document (~40 MB for a million
    // tenants, ~7 MB of it written when they have no notes). Never written, the rest was never
    // mapped: given back in case it was (a buffer the heap used before), never copied, which would
    // map a fresh page for every one written.
    release_pages(bytes_.data() + bytes_.size(), bytes_.capacity() - bytes_.size(), pacer);
    trim(entries_, pacer);
}

void TenantTable::Builder::reserve(std::size_t count, std::size_t bytes, ReloadPacer* pacer) {
    if (pacer) {
        take_if_fits(table_.entries_, spare().entries, count);
        take_if_fits(table_.bytes_, spare().bytes, bytes);
    }
    table_.entries_.reserve(count);
    table_.bytes_.reserve(bytes);
    populate(table_.entries_.data(), count * sizeof(Entry), pacer);
}

std::size_t TenantTable::memory_bytes() const noexcept {
    // The ids' room beyond what was written is not in memory (shrink_to_fit()).
    return bytes_.size() + entries_.capacity() * sizeof(Entry) + slots_.capacity() * sizeof(Slot);
}

}  // namespace switchyard::flags
