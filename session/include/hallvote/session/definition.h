// The definition of one congress session (一次人民代表大会会议): who may vote, who holds the decryption key,
// what is proposed, and which votes are held. Loaded from the session file (loader.h, format in
// docs/session-format.md) and immutable afterwards: every value here is plain data, safe to share between
// threads for reading.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/session/record_wording.h"
#include "hallvote/session/rules_config.h"

namespace hallvote::session {

// Length in hex characters of a credential public key (an Ed25519 key of 32 bytes). The loader checks format
// only; the key itself is checked by the crypto layer.
inline constexpr std::size_t kPublicKeyHexLength = 64;

enum class Level {
  county,    // 县级
  township,  // 乡镇级
};

struct Deputy {
  std::string id;              // unique within the session, e.g. "D0001"
  std::string name;            // 姓名
  std::string delegation;      // 代表团 (may be empty at township level)
  std::string seat;            // 座位号
  std::string credential_key;  // 64 lower-case hex chars: the IC card's Ed25519 public key
  bool in_office = true;       // counted in 实有代表数; deputies not in office never vote
};

enum class OfficialRole {
  presidium_member,  // 主席团成员
  chief_scrutineer,  // 总监票人
  scrutineer,        // 监票人
};

// A holder of a decryption-key share and signer of ballot approvals and counts.
struct Official {
  std::string id;
  std::string name;
  OfficialRole role = OfficialRole::presidium_member;
  std::string public_key;  // 64 lower-case hex chars
  std::string deputy_id;   // the roster entry of this person, or empty
};

// The presidium members and scrutineers who hold the vote key in shares: any `quorum` of them decrypt.
// Invariant (checked by the loader): 0 < quorum <= members.size().
struct KeyCommittee {
  std::vector<Official> members;
  std::uint32_t quorum = 0;
};

// A candidate livelihood project (民生实事候选项目).
struct Project {
  std::string id;
  std::string title;             // 项目名称
  std::string category;          // 类别, e.g. 教育, 医疗卫生
  std::int64_t budget_yuan = 0;  // 预算; files give it in 万元, kept here exactly in 元 (1 万元 = 10000 元)
  std::string lead_department;  // 牵头单位
  std::string summary;          // 项目简介
};

// A motion voted on as one item, e.g. adopting the 决定 itself.
struct Motion {
  std::string id;
  std::string title;
  std::string summary;
};

enum class VoteKind {
  choose,        // 差额票决: choose at most N of M projects (optional minimum)
  per_item,      // 逐项表决: 赞成/反对/弃权 on each item (a single motion is the one-item case)
  satisfaction,  // 满意度测评: 满意/基本满意/不满意 (optionally 弃权) on each project
};

struct VoteDefinition {
  std::string id;
  std::string title;
  std::string description;  // 说明: the presidium's text for the vote, shown on the ballot; may be empty
  VoteKind kind = VoteKind::per_item;
  std::vector<std::string> items;    // project ids (choose, satisfaction) or project/motion ids (per_item), in
                                     // ballot order
  std::uint32_t places = 0;          // choose: N, the most projects a ballot may select and the places to fill
  std::uint32_t min_selections = 0;  // choose: the fewest projects a ballot must select
  bool allow_abstain = false;        // satisfaction: 弃权 offered as a fourth option
  std::optional<std::uint32_t> max_satisfied;  // satisfaction: at most k projects rated 满意 per ballot
  bool replacement_allowed = false;            // a deputy may cast again before close; the last ballot counts
  ThresholdBase threshold_base = ThresholdBase::in_office;
  ShortfallPolicy shortfall = ShortfallPolicy::run_off;         // choose
  TieRevoteRule tie_revote = TieRevoteRule::plurality;          // choose
  std::uint32_t shortfall_run_offs = kDefaultShortfallRunOffs;  // choose, with ShortfallPolicy::run_off
};

struct SessionInfo {
  std::string id;    // short stable identifier, e.g. "hanyin-18-3"
  std::string body;  // 汉阴县第十八届人民代表大会第三次会议
  Level level = Level::county;
  std::string date;  // ISO date of the first sitting, "2025-01-08"
  std::string hall;  // 会场
};

struct SessionDefinition {
  std::uint32_t format_version = 1;
  SessionInfo info;
  RulesConfig rules;
  std::vector<Deputy> roster;
  KeyCommittee key_committee;
  std::vector<Project> projects;
  std::vector<Motion> motions;
  std::vector<VoteDefinition> votes;
  RecordWording records;  // [records]: the wording of 决定 and 公告 (defaults when absent)

  // 实有代表数: deputies in office.
  [[nodiscard]] std::uint32_t deputies_in_office() const noexcept;

  // Lookups by id; nullptr when absent. Pointers stay valid while this definition is neither moved nor changed.
  [[nodiscard]] const Deputy* find_deputy(std::string_view id) const noexcept;
  [[nodiscard]] const Project* find_project(std::string_view id) const noexcept;
  [[nodiscard]] const Motion* find_motion(std::string_view id) const noexcept;
  [[nodiscard]] const VoteDefinition* find_vote(std::string_view id) const noexcept;
  [[nodiscard]] const Official* find_official(std::string_view id) const noexcept;

  // The title of a vote item, a project's or a motion's; empty when the id names neither.
  [[nodiscard]] std::string_view item_title(std::string_view item_id) const noexcept;
};

// Names as written in session files ("county", "choose", "chief_scrutineer"…), and back.
[[nodiscard]] std::string_view to_string(Level level) noexcept;
[[nodiscard]] std::string_view to_string(VoteKind kind) noexcept;
[[nodiscard]] std::string_view to_string(OfficialRole role) noexcept;
[[nodiscard]] bool parse_level(std::string_view text, Level& out) noexcept;
[[nodiscard]] bool parse_vote_kind(std::string_view text, VoteKind& out) noexcept;
[[nodiscard]] bool parse_official_role(std::string_view text, OfficialRole& out) noexcept;

// Chinese names for display: "差额票决", "逐项表决", "满意度测评"; "总监票人"….
[[nodiscard]] std::string_view display_name_zh(VoteKind kind) noexcept;
[[nodiscard]] std::string_view display_name_zh(OfficialRole role) noexcept;

}  // namespace hallvote::session
