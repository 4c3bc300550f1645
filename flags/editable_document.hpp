#pragma once
// The flag document as something to change and write back: what the admin API edits. Rendered
// one tenant per line, sorted, so a hand edit and a diff stay easy, and written atomically
// with flags/file_replace.hpp, so a crash leaves the old or the new file.
#include <cstdint>
#include <map>
#include <string>

#include "common/result.hpp"
#include "common/stage.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

struct EditableEntry {
    Stage stage = Stage::legacy;
    std::string note;
    bool operator==(const EditableEntry&) const = default;
};

struct EditableRollout {
    Stage stage = Stage::legacy;
    std::uint32_t percent_hundredths = 0;
    std::string salt;
    bool present = false;  // the document has a "rollout" object
};

struct EditableDocument {
    Stage default_stage = Stage::legacy;
    EditableRollout rollout;
    std::map<std::string, EditableEntry> tenants;
    std::map<std::string, std::string> force;

    static EditableDocument from(const FlagSnapshot& snapshot);
    std::string render() const;
};

// "12.5" for 1250, "5" for 500, "0.01" for 1.
std::string format_percent(std::uint32_t hundredths);

}  // namespace switchyard::flags
