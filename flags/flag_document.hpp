#pragma once
// The hand-edited flag document (ARCHITECTURE.md), validated whole before anything is served:
//
//   { "default_stage": "legacy",                         optional, default "legacy"
//     "rollout": { "stage": "new",                       required in a rollout
//                  "percent": 5,                         required, 0..100 in steps of 0.01
//                  "salt": "wave-1" },                   optional, default "" (a new salt
//                                                        reshuffles the cohort); no rollout = 0 %
//     "tenants": { "acme": { "stage": "new",             required
//                            "note": "moved on call" }}} optional, for operators; default {}
//
// Any stage is allowed anywhere. Unknown fields and duplicate keys are errors at every level;
// tenant ids follow flags/tenant_id.hpp. An error names the place and line:
//   tenants.acme.stage: unknown stage "nwe" (line 7)
#include <cstdint>
#include <memory>
#include <string_view>

#include "common/result.hpp"
#include "flags/flag_snapshot.hpp"

namespace switchyard::flags {

class ReloadPacer;
class TextWindow;
struct TextDigest;

// The snapshot carries the text's content_hash() (flags/text_digest.hpp).
Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(std::string_view text);
// For a caller that has digested the text already: `digest` must be digest_of(text). With a
// pacer, the work runs in steps between its pause points (every few hundred tenants).
Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(std::string_view text,
                                                                const TextDigest& digest,
                                                                ReloadPacer* pacer = nullptr);
// The same, from a file read through `window` (flags/text_window.hpp): the result is the
// one the whole text gives. `digest` must be that of the file's bytes.
Result<std::shared_ptr<const FlagSnapshot>> parse_flag_document(TextWindow& window,
                                                                const TextDigest& digest,
                                                                ReloadPacer* pacer = nullptr);

}  // namespace switchyard::flags
