// The chair's console (主持人控制台): what it shows and which commands it offers, computed from the server's
// answers (status, attendance, progress of every vote, result of the vote in focus; docs/protocol.md §3.3). The
// page (ballot-server/web-console) only draws this view and sends back the command the chair confirmed; every
// rule lives here (docs/console.md):
//   - attendance with the absent by name and the quorum light;
//   - one row per vote: its round, state, the presidium's approvals by name, ballots issued and received —
//   never
//     a partial count (none exists before the k trustees decrypt the sum);
//   - the commands that make sense in the current state, each with the words of its button and of the dialog
//     that says what will happen; a command that cannot run yet is shown disabled with the reason;
//   - the result of the vote in focus after decryption, and its certification progress by name;
//   - after a command, what happened, or the refusal in words with what to do next.
// Pure and thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/session/definition.h"

namespace hallvote::setup {

struct ConsoleInput {
  nlohmann::json status = nlohmann::json::object();      // the server's status answer
  nlohmann::json attendance = nlohmann::json::object();  // its attendance answer
  std::map<std::string, nlohmann::json> progress;  // vote id → progress answer, every vote of the session
  std::optional<nlohmann::json> result;  // the result answer of console_focus_vote(), when it shows a result
  bool connected = true;                 // false: the server did not answer (the last view stays, marked)
  std::int64_t now_ms = 0;  // the console's clock at the poll (ms since the epoch), for the open vote's timer
};

// The chair's commands (the ctl command names of docs/console.md).
enum class ConsoleCommand {
  open_sign_in,
  start_session,
  prepare_vote,
  open_vote,
  hold_vote,
  resume_vote,
  close_vote,
  close_session
};

// "open-vote"; and back (false for a name that is not a chair's command).
[[nodiscard]] std::string_view command_name(ConsoleCommand command) noexcept;
[[nodiscard]] bool parse_command_name(std::string_view name, ConsoleCommand& out) noexcept;

// A command the console offers now. `blocked` non-empty: shown disabled, with this reason.
struct OfferedCommand {
  ConsoleCommand command;
  std::string vote_id;  // empty for the session's commands
  std::string label;    // the button: "开始表决"
  std::string confirm;  // the dialog: what will happen
  bool needs_reason = false;
  std::string blocked;
};

// A command the chair confirmed, checked against what is offered now.
struct ConsoleRequest {
  ConsoleCommand command;
  std::string vote_id;
  std::string reason;  // hold-vote only: 1–100 characters of UTF-8 text, no control characters
};

// The vote the result panel is about: the open or held vote, else the last vote in session order that has been
// closed or is further on; nullopt before any vote.
[[nodiscard]] std::optional<std::string> console_focus_vote(const nlohmann::json& status);

[[nodiscard]] std::vector<OfferedCommand> offered_commands(const session::SessionDefinition& session,
                                                           const ConsoleInput& input);

// Parses the page's message {"intent":"run","command":"open-vote","vote":"V1"[,"reason":"…"]}. Fails
// (std::errc::invalid_argument, "中文 / English" naming the field) when it is malformed, and
// (std::errc::operation_not_permitted, with the reason) when the command is not offered now or is blocked.
[[nodiscard]] Result<ConsoleRequest> parse_console_intent(const session::SessionDefinition& session,
                                                          const ConsoleInput& input, std::string_view text);

// What the console says after running `request`: the server's ok answer in words, or its refusal
// (`error_code` its wire name, `detail` its "中文 / English" detail; empty error_code: the server did not
// answer) in words with what to do next.
struct ConsoleNotice {
  bool ok = true;
  std::string text;
  bool busy = false;  // the command is on its way to the server (neither done nor refused yet)
};
[[nodiscard]] ConsoleNotice command_succeeded(const session::SessionDefinition& session,
                                              const ConsoleRequest& request, const nlohmann::json& answer);
[[nodiscard]] ConsoleNotice command_refused(const ConsoleRequest& request, std::string_view error_code,
                                            std::string_view detail);

// The view sent to the page (fields in docs/console.md).
[[nodiscard]] nlohmann::json console_view(const session::SessionDefinition& session, const ConsoleInput& input,
                                          const std::optional<ConsoleNotice>& notice);

}  // namespace hallvote::setup
