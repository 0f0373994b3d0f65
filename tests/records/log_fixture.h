// A synthetic audit log of the 汉阴 example session (examples/sessions/hanyin-county.toml) for the records
// tests: V1 13选10 with a tie at the 10th place decided by a run-off in round 2, V2 满意度测评 of last year's
// 10 projects, V3 the 决定 motion. Results come from the real rules engine; payloads are exactly what the
// ballot server writes (protocol::result_outcome, protocol::Certification), each result decrypted by 3 trustees
// and certified by every scrutineer (C01, S01–S03), then 3 presidium members, as docs/rules.md §9 requires
// (checked with protocol/certification.h while building). Signatures are zero: collect_records does not verify
// them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hallvote/session/definition.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::records::testing {

// 2025-01-09 09:00:00 China Standard Time.
inline constexpr std::int64_t kStartMs = 1736384400000;

struct FixtureOptions {
  bool certify_v2 = true;       // append V2's completing certification
  bool include_v3 = true;       // hold V3 at all
  std::size_t extra_items = 0;  // add this many generated projects to V3 (pagination of long tables)
};

struct SyntheticLog {
  session::SessionDefinition session;
  std::vector<audit::Entry> entries;
  std::vector<std::string> notes;  // signed checkpoint notes, increasing size; the last covers every entry

  // The sequence of the first entry of `type` for `vote_id` (and `round`, for certification and result).
  [[nodiscard]] std::uint64_t find(audit::EntryType type, const std::string& vote_id,
                                   std::uint32_t round = 0) const;
  // A signed checkpoint note of this log at `size` (root: a placeholder hash of the size).
  [[nodiscard]] static std::string note(std::uint64_t size);
  // Re-computes the result_hash of every certification (after a test edited a result entry).
  void rehash_certifications();
};

// Loads the session and builds the log; aborts the test binary if the example session does not load.
[[nodiscard]] SyntheticLog make_log(const FixtureOptions& options = {});

// The canonical JSON (nlohmann dump()) of `payload`.
[[nodiscard]] std::string dump(const nlohmann::json& payload);

}  // namespace hallvote::records::testing
