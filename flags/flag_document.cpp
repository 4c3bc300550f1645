#include "flags/flag_document.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/quote_for_error.hpp"
#include "flags/json_reader.hpp"
#include "flags/paced_pages.hpp"
#include "flags/percent.hpp"
#include "flags/plain_entry_shape.hpp"
#include "flags/plain_tenant_entry.hpp"
#include "flags/reload_pacer.hpp"
#include "flags/tenant_id.hpp"
#include "flags/text_digest.hpp"
#include "flags/text_window.hpp"

namespace switchyard::flags {
namespace {

// A key as a path piece: as written when it is a plain word, quoted when it could mislead.
std::string path_piece(std::string_view key) {
    return is_valid_tenant_id(key) ? std::string{key} : quote_for_error(key);
}

std::string join(std::string_view path, std::string_view key) {
    return path.empty() ? path_piece(key) : std::string{path} + "." + path_piece(key);
}

// Reads one document; the first problem found stops it and becomes the error.
class DocumentParser {
  public:
    DocumentParser(TextWindow& window, const TextDigest& digest, ReloadPacer* pacer)
        : window_(window), reader_(window.text()), digest_(digest), pacer_(pacer) {}

    Result<std::shared_ptr<const FlagSnapshot>> parse();

  private:
    bool read_ahead(std::string_view path);
    bool read_root();
    bool read_rollout();
    bool read_tenants();
    bool read_plain_entry(PlainEntryShape& shape);
    bool read_force();
    bool read_tenant_entry(std::size_t id_line);
    void add_tenant(std::string_view id, Stage stage, std::string_view note, std::size_t id_line);
    bool read_stage(std::string_view path_prefix, std::string_view key, Stage& stage);
    bool read_text(std::string_view path_prefix, std::string_view key, std::string& text);
    bool expect_object(std::string_view path);
    int known_member(std::string_view path_prefix, std::string_view key,
                     std::initializer_list<std::string_view> fields, unsigned& seen);

    bool fail(std::string_view path, std::string_view problem, std::size_t line);
    bool fail_syntax(std::string_view path) { return fail(path, reader_.error(), reader_.line()); }
    bool fail_type(std::string_view path, std::string_view expected);

    TextWindow& window_;
    JsonReader reader_;
    const TextDigest digest_;
    ReloadPacer* const pacer_;  // null: no pauses
    std::string error_;
    Stage default_stage_ = Stage::legacy;
    Rollout rollout_;
    TenantTable::Builder tenants_;
    std::vector<std::uint32_t> id_lines_;  // of each tenant added, for a repeat found at the end
    std::string_view tenant_id_;           // the entry being read
    std::string tenant_id_copy_;           // reused buffers: a million tenants, no allocation each
    std::string entry_path_ = "tenants.";
    std::string note_;
    FlagSnapshot::ForceReasons force_;
};

bool DocumentParser::fail(std::string_view path, std::string_view problem, std::size_t line) {
    error_ =
        std::string{path} + ": " + std::string{problem} + " (line " + std::to_string(line) + ")";
    return false;
}

// A value of the wrong type, or no value at all (then the syntax error is the better message).
bool DocumentParser::fail_type(std::string_view path, std::string_view expected) {
    if (reader_.peek() == JsonType::invalid) {
        reader_.skip_value();
        return fail_syntax(path);
    }
    return fail(path, "must be " + std::string{expected}, reader_.line());
}

bool DocumentParser::expect_object(std::string_view path) {
    if (reader_.peek() != JsonType::object) return fail_type(path, "an object");
    return reader_.begin_object() || fail_syntax(path);
}

// The index of `key` among the object's fields, the first time it is seen; -1 after an error.
int DocumentParser::known_member(std::string_view path_prefix, std::string_view key,
                                 std::initializer_list<std::string_view> fields, unsigned& seen) {
    int field = 0;
    for (const std::string_view name : fields) {
        if (name == key) break;
        ++field;
    }
    if (field == static_cast<int>(fields.size())) {
        fail(join(path_prefix, key), "unknown field", reader_.line());
        return -1;
    }
    if (seen & (1U << field)) {
        fail(join(path_prefix, key), "duplicate key", reader_.line());
        return -1;
    }
    seen |= 1U << field;
    return field;
}

bool DocumentParser::read_stage(std::string_view path_prefix, std::string_view key, Stage& stage) {
    std::string_view text;
    if (reader_.peek() != JsonType::string) return fail_type(join(path_prefix, key), "a string");
    const std::size_t line = reader_.line();
    if (!reader_.read_string(text)) return fail_syntax(join(path_prefix, key));
    const auto parsed = parse_stage(text);
    if (!parsed)
        return fail(join(path_prefix, key), "unknown stage " + quote_for_error(text), line);
    stage = *parsed;
    return true;
}

bool DocumentParser::read_text(std::string_view path_prefix, std::string_view key,
                               std::string& text) {
    std::string_view value;
    if (reader_.peek() != JsonType::string) return fail_type(join(path_prefix, key), "a string");
    if (!reader_.read_string(value)) return fail_syntax(join(path_prefix, key));
    text.assign(value);
    return true;
}

// Between members, where no view into the text is still in use: keeps a member's worth of the
// document ahead of the reader (text_window.hpp).
bool DocumentParser::read_ahead(std::string_view path) {
    if (!window_.wants_more(reader_.position())) return true;
    const auto moved = window_.read_ahead(reader_.position());
    if (!moved) return fail(path, moved.error().message, reader_.line());
    reader_.rebase(window_.text(), *moved);
    return true;
}

Result<std::shared_ptr<const FlagSnapshot>> DocumentParser::parse() {
    const bool read = read_ahead("document") && read_root();
    // Repeated ids are looked for once all are in (tenant_table.hpp). A repeat comes before any
    // problem that stopped the reading (entries are added once read whole), so it is the error.
    if (const auto repeat = tenants_.index(pacer_)) {
        fail("tenants." + std::string{tenants_.id(*repeat)}, "duplicate tenant id",
             id_lines_[*repeat]);
        return Error{std::move(error_)};
    }
    if (!read) return Error{std::move(error_)};
    return std::make_shared<const FlagSnapshot>(default_stage_, std::move(rollout_),
                                                std::move(tenants_).take(pacer_), std::move(force_),
                                                digest_.hash);
}

bool DocumentParser::read_root() {
    if (reader_.peek() != JsonType::object) {
        return fail("document", "must be a JSON object", reader_.line());
    }
    if (!reader_.begin_object()) return fail_syntax("document");
    enum Field { default_stage, rollout, tenants, force };
    unsigned seen = 0;
    std::string_view key;
    for (;;) {
        if (!read_ahead("document")) return false;
        if (!reader_.next_member(key)) break;
        const int field =
            known_member("", key, {"default_stage", "rollout", "tenants", "force"}, seen);
        if (field < 0) return false;
        const bool ok = field == default_stage ? read_stage("", "default_stage", default_stage_)
                        : field == rollout     ? read_rollout()
                        : field == tenants     ? read_tenants()
                                               : read_force();
        if (!ok) return false;
    }
    if (reader_.failed()) return fail_syntax("document");
    if (!read_ahead("document")) return false;
    if (!reader_.finish()) return fail_syntax("document");
    // Whitespace to the window's end, then more of the file: parse() reads it whole to judge.
    return window_.at_end() || fail("document", "longer than its window", reader_.line());
}

bool DocumentParser::read_rollout() {
    reader_.peek();  // to the opening brace: "missing" errors point at it
    const std::size_t line = reader_.line();
    if (!expect_object("rollout")) return false;
    enum Field { stage, percent, salt };
    unsigned seen = 0;
    Stage rollout_stage = Stage::legacy;
    std::uint32_t hundredths = 0;
    std::string salt_text;
    std::string_view key;
    for (;;) {
        if (!read_ahead("rollout")) return false;
        if (!reader_.next_member(key)) break;
        const int field = known_member("rollout", key, {"stage", "percent", "salt"}, seen);
        if (field < 0) return false;
        if (field == stage) {
            if (!read_stage("rollout", "stage", rollout_stage)) return false;
        } else if (field == salt) {
            if (!read_text("rollout", "salt", salt_text)) return false;
        } else {
            if (reader_.peek() != JsonType::number) return fail_type("rollout.percent", "a number");
            double value = 0;
            std::string_view written;
            const std::size_t value_line = reader_.line();
            if (!reader_.read_number(value, &written)) return fail_syntax("rollout.percent");
            const auto converted = percent_to_hundredths(value);
            if (!converted) {
                return fail("rollout.percent",
                            std::string{written} + " " + converted.error().message, value_line);
            }
            hundredths = *converted;
        }
    }
    if (reader_.failed()) return fail_syntax("rollout");
    if (!(seen & (1U << stage))) return fail("rollout", "missing required field \"stage\"", line);
    if (!(seen & (1U << percent))) {
        return fail("rollout", "missing required field \"percent\"", line);
    }
    rollout_ = Rollout{rollout_stage, hundredths, std::move(salt_text)};
    return true;
}

bool DocumentParser::read_tenants() {
    if (!expect_object("tenants")) return false;
    // Each entry is an object, so there are at most as many tenants as opening braces, and
    // each takes at least the bytes of `"a":{"stage":"new"},` (braces in notes count too).
    constexpr std::size_t kLeastEntryBytes = 20;
    const std::size_t left = window_.left_from(reader_.position());
    const auto most = std::min<std::size_t>(digest_.open_braces, left / kLeastEntryBytes + 1);
    // Ids and notes are copied from the text, never longer than written.
    tenants_.reserve(most, left, pacer_);
    id_lines_.reserve(most);
    populate(id_lines_.data(), most * sizeof id_lines_[0], pacer_);
    std::string_view key;
    PlainEntryShape shape;  // this document's, learned from its entries
    for (std::size_t entries = 1;; ++entries) {
        constexpr std::size_t kEntriesAStep = 256;
        if (pacer_ && entries % kEntriesAStep == 0) pacer_->pause_point();
        if (!read_ahead("tenants")) return false;
        if (read_plain_entry(shape)) continue;
        if (!reader_.next_member(key)) break;
        const std::size_t line = reader_.line();
        if (const auto problem = tenant_id_problem(key); !problem.empty()) {
            return fail("tenants", "tenant id " + quote_for_error(key) + " " + std::string{problem},
                        line);
        }
        tenant_id_ = key;
        if (!reader_.in_text(key)) {  // the entry's own keys may reuse the reader's key buffer
            tenant_id_copy_.assign(key);
            tenant_id_ = tenant_id_copy_;
        }
        if (!read_tenant_entry(line)) return false;
    }
    return !reader_.failed() || fail_syntax("tenants");
}

// The next member of the tenants object, added, when it is a plain entry: in the shape of the
// last one (most of a big document), or else as the scanner reads it (and then its shape learned).
bool DocumentParser::read_plain_entry(PlainEntryShape& shape) {
    const std::string_view text = window_.text();
    const std::size_t position = reader_.position();
    const std::size_t line = reader_.line();
    const bool first = reader_.at_first_member();
    PlainTenantEntry plain;
    if (first || !shape.match(text, position, line, plain)) {
        if (!scan_plain_tenant_entry(text, position, line, first, plain)) return false;
        if (!first) shape.learn(text, position, line, plain);
    }
    reader_.skip_member_read(plain.end, plain.end_line);
    add_tenant(plain.id, plain.stage, plain.note, plain.id_line);
    return true;
}

// "force": {"acme": "why"}: the operator accepts moving a closed-door tenant back (door_rule.hpp).
bool DocumentParser::read_force() {
    if (!expect_object("force")) return false;
    std::string_view key;
    for (;;) {
        if (!read_ahead("force")) return false;
        if (!reader_.next_member(key)) break;
        const std::size_t line = reader_.line();
        if (const auto problem = tenant_id_problem(key); !problem.empty()) {
            return fail("force", "tenant id " + quote_for_error(key) + " " + std::string{problem},
                        line);
        }
        const std::string path = join("force", key);
        std::string tenant{key};
        if (reader_.peek() != JsonType::string) return fail_type(path, "a string: the reason");
        std::string reason;
        if (!read_text("force", tenant, reason)) return false;
        if (reason.empty()) return fail(path, "the reason must not be empty", line);
        if (!force_.emplace(std::move(tenant), std::move(reason)).second) {
            return fail(path, "duplicate key", line);
        }
    }
    return !reader_.failed() || fail_syntax("force");
}

bool DocumentParser::read_tenant_entry(std::size_t id_line) {
    entry_path_.resize(std::string_view{"tenants."}.size());
    entry_path_.append(tenant_id_);  // valid ids need no quoting
    const std::string_view path = entry_path_;
    if (!expect_object(path)) return false;
    enum Field { stage, note };
    unsigned seen = 0;
    Stage tenant_stage = Stage::legacy;
    note_.clear();
    std::string_view key;
    while (reader_.next_member(key)) {
        const int field = known_member(path, key, {"stage", "note"}, seen);
        if (field < 0) return false;
        const bool ok = field == stage ? read_stage(path, "stage", tenant_stage)
                                       : read_text(path, "note", note_);
        if (!ok) return false;
    }
    if (reader_.failed()) return fail_syntax(path);
    if (!(seen & (1U << stage))) return fail(path, "missing required field \"stage\"", id_line);
    add_tenant(tenant_id_, tenant_stage, note_, id_line);
    return true;
}

void DocumentParser::add_tenant(std::string_view id, Stage stage, std::string_view note,
                                std::size_t id_line) {
    tenants_.add(id, stage, note);
    id_lines_.push_back(static_cast<std::uint32_t>(id_line));  // under 4 GiB: under 2^32 lines
}

}  // namespace

Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(std::string_view text) {
    return parse_flag_document(text, digest_of(text));
}

Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(std::string_view text,
                                                                const TextDigest& digest,
                                                                ReloadPacer* pacer) {
    TextWindow whole{text};
    return parse_flag_document(whole, digest, pacer);
}

Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(TextWindow& window,
                                                                const TextDigest& digest,
                                                                ReloadPacer* pacer) {
    // The tenant table addresses its bytes with 32-bit offsets; no real document comes close.
    if (window.left_from(0) >= std::numeric_limits<std::uint32_t>::max()) {
        return Error{"document: larger than 4 GiB (line 1)"};
    }
    auto parsed = DocumentParser{window, digest, pacer}.parse();
    if (parsed || window.whole()) return parsed;
    // The problem may be the window's end inside a member longer than what it keeps ahead (a
    // note of megabytes): only the whole text can tell.
    if (auto read = window.read_whole(); !read) return Error{"document: " + read.error().message};
    return DocumentParser{window, digest, pacer}.parse();
}

}  // namespace switchyard::flags
