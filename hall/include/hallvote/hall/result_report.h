// The 计票结果报告单 as text, shared by `hallvote-server ctl result` and `hallvote-presidium certify` so that
// the chair, the staff and the signing members read the same table. Pure functions of the server's JSON
// answers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace hallvote::setup {

// The tally report of one decrypted round: accounting (应到/实到/发出/收回/有效/无效/未按, threshold), one line
// per item with its votes, rank or blanks and verdict, the summary and reasons, and the next round if one is
// needed. `vote_id`, `title`, `kind` name the vote; `outcome` is a `result` entry's outcome (docs/protocol.md
// §4.5.4).
[[nodiscard]] std::string result_table(const std::string& vote_id, const std::string& title,
                                       const std::string& kind, const nlohmann::json& outcome);

// One line of certification progress (CertificationProgress::to_json, docs/protocol.md §4.5.8):
// "已签名 / signed: C01, S01；尚缺监票人 / scrutineers missing: S02；主席团成员 1/3" and "（已确认 /
// certified）".
[[nodiscard]] std::string certification_line(const nlohmann::json& progress);

}  // namespace hallvote::setup
