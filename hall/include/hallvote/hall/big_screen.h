// The hall's big screen (大屏): what it shows, computed from the server's public answers (status, progress,
// result; docs/protocol.md §3.3, role `display`). The page (ballot-server/web-display) only draws this view;
// every rule of what may be shown lives here (docs/big-screen.md):
//   - 应到 / 实到 / 缺席 and the quorum light, green with 已达到法定人数 or red with 未达到法定人数;
//   - while a vote is open only "表决进行中，已表决 N 人" (ballots received) — never a count of any option: the
//     server has none before decryption, and the view takes none from anywhere else;
//   - the results (with bars) only once the round is decrypted, marked 已确认 only when its certification is
//     complete, else 待确认.
// Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hallvote/session/definition.h"

namespace hallvote::setup {

// The vote the big screen is about, from a status answer: the open or held one, else the last vote in session
// order that has been closed (or is further on); nullopt before any vote.
[[nodiscard]] std::optional<std::string> big_screen_vote(const nlohmann::json& status);

// True when the vote's state in a progress answer (`state`) allows its result to be shown.
[[nodiscard]] bool big_screen_shows_result(const nlohmann::json& progress);

struct BigScreenInput {
  nlohmann::json status;                   // the server's status answer
  std::optional<nlohmann::json> progress;  // the progress answer of big_screen_vote(status)
  std::optional<nlohmann::json> result;    // its result answer, asked only when big_screen_shows_result()
  bool connected = true;                   // false: the server did not answer (the last view stays, marked)
};

// 应到 / 实到 / 缺席 and the quorum light from a status answer, as the big screen and the chair's console show
// them: {in_office, present, absent, quorum_met, quorum_text}.
[[nodiscard]] nlohmann::json attendance_view(const nlohmann::json& status);

// The result of one decrypted round from a `result` answer, as the big screen and the chair's console show it:
// per item its counts with their words and its verdict, the accounting, the summary and the certification
// badge (the `result` field of docs/big-screen.md); null when the answer does not parse.
[[nodiscard]] nlohmann::json result_view(const session::SessionDefinition& session,
                                         const nlohmann::json& answer);

// The view sent to the page (fields in docs/big-screen.md).
[[nodiscard]] nlohmann::json big_screen_view(const session::SessionDefinition& session,
                                             const BigScreenInput& input);

}  // namespace hallvote::setup
