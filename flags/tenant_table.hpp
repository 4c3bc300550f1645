#pragma once
// The flag document's tenants, built for a million of them: ids and notes live back to back in
// one buffer, entries are 16 bytes, and an open-addressing index finds an id by string_view
// without allocating. Built once per document, then read-only (shared by request threads).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/stage.hpp"

namespace switchyard::flags {

struct TenantFlag {
    std::string_view id;
    Stage stage;
    std::string_view note;  // for operators; empty when the entry has none
};

class TenantTable {
  public:
    // False when the id is already present (the table is left unchanged). Ids are at most
    // kMaxTenantIdBytes; the whole table at most 4 GiB (the document's size bounds it).
    bool insert(std::string_view id, Stage stage, std::string_view note);
    // Trims spare capacity once the document is read.
    void shrink_to_fit();

    bool find(std::string_view id, TenantFlag& flag) const noexcept;
    std::size_t size() const noexcept { return entries_.size(); }
    std::size_t memory_bytes() const noexcept;

    template <typename Visit>
    void for_each(Visit&& visit) const {
        for (const Entry& entry : entries_) visit(flag_of(entry));
    }

  private:
    struct Entry {
        std::uint32_t id_offset;
        std::uint32_t note_offset;
        std::uint32_t note_size;
        std::uint8_t id_size;
        Stage stage;
    };
    // A slot holds entry index + 1 (0 = empty) and the id's hash, so probes rarely touch entries.
    struct Slot {
        std::uint32_t entry_plus_one = 0;
        std::uint32_t hash = 0;
    };

    TenantFlag flag_of(const Entry& entry) const noexcept;
    std::size_t find_slot(std::string_view id, std::uint32_t hash) const noexcept;
    void grow();

    std::string bytes_;
    std::vector<Entry> entries_;
    std::vector<Slot> slots_;  // size is 0 or a power of two, at most half full
};

}  // namespace switchyard::flags
