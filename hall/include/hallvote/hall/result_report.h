// The 计票结果报告单 as text, shared by `hallvote-server ctl result` and `hallvote-presidium certify` so that
// the chair, the staff and the signing members read the same table. Pure functions of the server's JSON
// answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/session/definition.h"

namespace hallvote::setup {

// The tally report of one decrypted round: accounting (应到/实到/发出/收回/有效/无效/未按, threshold), one line
// per item with its votes, rank or blanks and verdict, the summary and reasons, and the next round if one is
// needed (by project titles). `vote_id`, `title`, `kind` name the vote; `outcome` is a `result` entry's outcome
// (docs/protocol.md §4.5.4). The pass threshold is shown only where something passes (not for 满意度); a long
// title is cut to its column with "…" so that the numbers stay aligned.
[[nodiscard]] std::string result_table(const session::SessionDefinition& session, const std::string& vote_id,
                                       const std::string& title, const std::string& kind,
                                       const nlohmann::json& outcome);

// One line of certification progress (CertificationProgress::to_json, docs/protocol.md §4.5.8):
// "已签名：叶文伟、姚光华；尚缺监票人：马玉辉；主席团成员 1/3（待签）", or "…（已确认）" — members by name
// (from `session`'s key committee; an id not in it is shown as it is); 尚缺监票人 only while one is missing.
[[nodiscard]] std::string certification_line(const session::SessionDefinition& session,
                                             const nlohmann::json& progress);
// "蒋小勇（主席团成员）": an official by name and role in words.
[[nodiscard]] std::string official_words(const session::SessionDefinition& session,
                                         const std::string& official_id);

}  // namespace hallvote::setup
