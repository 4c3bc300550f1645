#pragma once
// The flag document's tenants, built for a million of them: ids and notes live back to back in
// one buffer, entries are 8 bytes, and an open-addressing index finds an id by string_view
// without allocating. Built once per document, then read-only (shared by request threads).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/stage.hpp"

namespace switchyard::flags {

class ReloadPacer;

struct TenantFlag {
    std::string_view id;
    Stage stage;
    std::string_view note;  // for operators; empty when the entry has none
};

class TenantTable {
  public:
    class Builder;

    TenantTable() = default;
    TenantTable(TenantTable&&) noexcept = default;
    TenantTable& operator=(TenantTable&&) noexcept = default;
    // On a thread with a reload's pacer (ReloadPacer::on_this_thread()), a big table's
    // buffers are kept for the next table built there (see spare_bytes()); the ones kept
    // before, and a small table's, give their pages back in paced steps first: freed at once,
    // a million tenants' are munmaps of milliseconds on a core request threads need.
    ~TenantTable();

    // What this thread keeps of a replaced table for its next build: a million tenants' ~55 MB
    // would otherwise be mapped afresh (page faults) and given back on every reload, a fifth of
    // its CPU. A build takes them when they fit without being more than twice too big, and
    // gives back what it did not take; the watcher gives them back after a while without
    // reloads (file_source.cpp).
    static std::size_t spare_bytes() noexcept;
    static void release_spare(ReloadPacer* pacer);

    // False when the id is already present (the table is left unchanged). Ids are at most
    // kMaxTenantIdBytes; the whole table at most 4 GiB (the document's size bounds it).
    bool insert(std::string_view id, Stage stage, std::string_view note);
    // Once the table is built: gives back the ids' spare room, and trims the entries' when
    // there is enough to be worth a copy.
    void shrink_to_fit();

    bool find(std::string_view id, TenantFlag& flag) const noexcept;
    std::size_t size() const noexcept { return entries_.size(); }
    std::size_t memory_bytes() const noexcept;  // in memory, after shrink_to_fit()

    template <typename Visit>
    void for_each(Visit&& visit) const {
        for (const Entry& entry : entries_) visit(flag_of(entry));
    }

  private:
    friend class Builder;

    // 8 bytes: the note follows the id in bytes_, so its offset is implied. A note of
    // kLongNote bytes or more has its size written in 4 bytes between the two.
    struct Entry {
        std::uint32_t id_offset;
        std::uint8_t id_size;
        Stage stage;
        std::uint16_t note_size;
    };
    static constexpr std::uint16_t kLongNote = 0xffff;
    // A slot holds entry index + 1 (0 = empty) and the id's hash, so probes rarely touch entries.
    struct Slot {
        std::uint32_t entry_plus_one = 0;
        std::uint32_t hash = 0;
    };

    struct Buffers {
        std::string bytes;
        std::vector<Entry> entries;
        std::vector<Slot> slots;
    };
    static Buffers& spare() noexcept;  // this thread's
    static void release(Buffers& buffers, ReloadPacer* pacer);

    std::string_view id_of(const Entry& entry) const noexcept;
    TenantFlag flag_of(const Entry& entry) const noexcept;
    Entry append(std::string_view id, Stage stage, std::string_view note);  // to bytes_
    void shrink_to_fit(ReloadPacer* pacer);
    std::size_t find_slot(std::string_view id, std::uint32_t hash) const noexcept;
    void grow();

    std::string bytes_;
    std::vector<Entry> entries_;
    std::vector<Slot> slots_;  // size is 0 or a power of two, at most half full
};

// A whole table at once (a document's tenants): entries are added in order without an index,
// which is built once at the end at its final size. A million inserts into a growing index
// spend most of their time waiting on cache misses into it and rehashing it; built at once, it
// never rehashes and each entry's slot is fetched while earlier entries are placed.
class TenantTable::Builder {
  public:
    // Room for `count` entries holding `bytes` of ids and notes (estimates: more is trimmed at
    // take(); room for bytes is not touched until used). With a pacer, in steps.
    void reserve(std::size_t count, std::size_t bytes, ReloadPacer* pacer = nullptr);
    // Ids are at most kMaxTenantIdBytes, checked by the caller; repeats are found by index().
    void add(std::string_view id, Stage stage, std::string_view note);
    std::size_t size() const noexcept { return table_.entries_.size(); }
    std::string_view id(std::size_t position) const noexcept {
        return table_.id_of(table_.entries_[position]);
    }

    // Indexes what was added (call once, after the last add()): the position, in add() order,
    // of the first entry whose id an earlier entry already has, or nothing.
    // With a pacer, both work in steps between its pause points.
    std::optional<std::size_t> index(ReloadPacer* pacer = nullptr);
    // The indexed table, trimmed; only after index() found no repeat.
    TenantTable take(ReloadPacer* pacer = nullptr) &&;

  private:
    TenantTable table_;
};

}  // namespace switchyard::flags
