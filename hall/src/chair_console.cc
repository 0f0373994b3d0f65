#include "hallvote/hall/chair_console.h"

#include <algorithm>
#include <array>

#include "hallvote/hall/big_screen.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::setup {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxIntentBytes = 1024;
constexpr std::size_t kMaxReasonCharacters = 100;

struct CommandWords {
  ConsoleCommand command;
  std::string_view name;   // the ctl name, on the wire between the page and the console
  std::string_view label;  // the button, and how the chair is told about the command
};

constexpr std::array<CommandWords, 8> kCommandWords{{
    {ConsoleCommand::open_sign_in, "open-sign-in", "开始签到"},
    {ConsoleCommand::start_session, "start-session", "宣布开会"},
    {ConsoleCommand::prepare_vote, "prepare-vote", "生成选票"},
    {ConsoleCommand::open_vote, "open-vote", "开始表决"},
    {ConsoleCommand::hold_vote, "hold-vote", "暂停表决"},
    {ConsoleCommand::resume_vote, "resume-vote", "恢复表决"},
    {ConsoleCommand::close_vote, "close-vote", "截止表决"},
    {ConsoleCommand::close_session, "close-session", "宣布闭会"},
}};

std::string label_of(ConsoleCommand command) {
  for (const auto& words : kCommandWords) {
    if (words.command == command) return std::string(words.label);
  }
  return "";
}

std::string text_of(const json& object, const char* name) {
  return protocol::json_fields::text_or_empty(object, name);
}

std::uint64_t count_of(const json& object, const char* name) {
  if (!object.is_object()) return 0;
  const auto found = object.find(name);
  if (found == object.end() || !found->is_number_integer() || found->get<std::int64_t>() < 0) return 0;
  return found->get<std::uint64_t>();
}

std::string number(std::uint64_t n) { return std::to_string(n); }

// The Chinese half of a "中文 / English" detail (the console speaks Chinese to the chair).
std::string chinese_part(std::string_view detail) {
  const auto slash = detail.find(" / ");
  return std::string(slash == std::string_view::npos ? detail : detail.substr(0, slash));
}

// "《镇中心小学…》第2轮（再次投票（票数相等））" or "《…》" for a first round.
std::string vote_words(const session::SessionDefinition& session, const std::string& vote_id,
                       const json& progress) {
  const auto* vote = session.find_vote(vote_id);
  std::string words = "《" + (vote != nullptr ? vote->title : vote_id) + "》";
  const std::uint64_t round = count_of(progress, "round");
  if (round > 1) words += "第" + number(round) + "轮（" + text_of(progress, "purpose") + "）";
  return words;
}

std::string names_of(const session::SessionDefinition& session, const json& ids) {
  std::string names;
  for (const auto& id : ids.is_array() ? ids : json::array()) {
    if (!id.is_string()) continue;
    const auto* official = session.find_official(id.get<std::string>());
    names += (names.empty() ? "" : "、") + (official != nullptr ? official->name : id.get<std::string>());
  }
  return names;
}

bool running(std::string_view state) { return state == "open" || state == "held"; }

// "；实到未领票 2 人：蒋小勇（1排1座）、陈学鹏（1排2座）", or "" when every present deputy has the ballot.
std::string without_ballot_words(const session::SessionDefinition& session, const json& progress) {
  const json ids = progress.value("present_without_ballot", json::array());
  if (!ids.is_array() || ids.empty()) return "";
  std::string names;
  for (const auto& id : ids) {
    if (!id.is_string()) continue;
    const auto* deputy = session.find_deputy(id.get<std::string>());
    names += (names.empty() ? "" : "、") +
             (deputy != nullptr ? deputy->name + "（" + deputy->seat + "）" : id.get<std::string>());
  }
  return "；实到未领票 " + number(ids.size()) + " 人：" + names;
}

// The vote that is open or held, if any (the server allows one at a time).
std::optional<std::string> running_vote(const ConsoleInput& input) {
  for (const auto& [id, progress] : input.progress) {
    if (running(text_of(progress, "state"))) return id;
  }
  return std::nullopt;
}

void offer_session_commands(const ConsoleInput& input, std::vector<OfferedCommand>& out) {
  const std::string state = text_of(input.status, "state");
  const std::uint64_t in_office = count_of(input.status, "in_office");
  const std::uint64_t present = count_of(input.status, "present");
  if (state == "prepared") {
    out.push_back({ConsoleCommand::open_sign_in, "", label_of(ConsoleCommand::open_sign_in),
                   "开始签到：代表在座席插入代表证、输入密码即可签到，实到人数随之更新。", false, ""});
  } else if (state == "sign_in_open") {
    std::string blocked;
    if (!input.status.value("quorum_met", false)) {
      blocked = "实到 " + number(present) + " 人，未达到法定人数，不能宣布开会。请等待代表签到。";
    }
    out.push_back({ConsoleCommand::start_session, "", label_of(ConsoleCommand::start_session),
                   "宣布会议开始：应到 " + number(in_office) + " 人，实到 " + number(present) +
                       " 人，已达到法定人数。开会后可以进行表决；未签到的代表仍可签到。",
                   false, blocked});
  }
}

// 宣布闭会: offered while the session is in progress; blocked while a vote is open or held. The dialog names
// the votes not yet finished (a drafted round, a run-off, a count not yet decrypted or certified).
void offer_closing(const session::SessionDefinition& session, const ConsoleInput& input,
                   std::vector<OfferedCommand>& out) {
  if (text_of(input.status, "state") != "in_progress") return;
  std::string unfinished;
  std::size_t count = 0;
  for (const auto& vote : input.status.value("votes", json::array())) {
    const std::string state = text_of(vote, "state");
    if (state == "certified" || state == "announced") continue;
    const auto* definition = session.find_vote(text_of(vote, "vote_id"));
    unfinished += (unfinished.empty() ? "" : "、") + std::string("《") +
                  (definition != nullptr ? definition->title : text_of(vote, "vote_id")) + "》（" +
                  text_of(vote, "state_zh") + "）";
    ++count;
  }
  std::string confirm = "宣布本次会议闭会：此后代表不能再签到，也不能再开始任何表决（包括再次投票）。";
  if (count > 0) {
    confirm += "尚有 " + number(count) + " 项表决未完成：" + unfinished + "。已截止的表决仍可解密和确认。";
  }
  out.push_back({ConsoleCommand::close_session, "", label_of(ConsoleCommand::close_session), confirm, false,
                 running_vote(input) ? "表决进行中，请先截止表决再闭会。" : ""});
}

void offer_vote_commands(const session::SessionDefinition& session, const ConsoleInput& input,
                         const std::string& vote_id, const json& progress, std::vector<OfferedCommand>& out) {
  const std::string state = text_of(progress, "state");
  const std::string words = vote_words(session, vote_id, progress);
  const std::uint64_t issued = count_of(progress, "issued");
  const std::uint64_t returned = count_of(progress, "returned");
  const std::uint64_t present = count_of(input.status, "present");
  const bool in_session = text_of(input.status, "state") == "in_progress";
  const auto other = running_vote(input);
  if (state == "drafted" && !progress.value("prepared", false)) {
    out.push_back({ConsoleCommand::prepare_vote, vote_id, label_of(ConsoleCommand::prepare_vote),
                   "生成" + words + "的选票，交主席团成员核对并批准。批准人数达到 " +
                       number(count_of(progress, "quorum")) + " 人后才能开始表决。",
                   false, ""});
  } else if (state == "drafted" || state == "approved") {
    std::string blocked;
    const std::uint64_t have = count_of(progress, "approvals");
    const std::uint64_t need = count_of(progress, "quorum");
    if (state == "drafted") {
      blocked = "选票尚缺 " + number(need > have ? need - have : 0) + " 名主席团成员批准（已批准 " +
                number(have) + "/" + number(need) + "）。";
    } else if (!in_session) {
      blocked = "会议尚未开始，请先宣布开会。";
    } else if (other && *other != vote_id) {
      blocked = "另一项表决正在进行，请先截止该表决。";
    }
    out.push_back(
        {ConsoleCommand::open_vote, vote_id, label_of(ConsoleCommand::open_vote),
         "开始表决" + words + "：选票发往已签到的 " + number(present) + " 位代表的座席。选票一经发出不能修改。",
         false, blocked});
  } else if (state == "open") {
    out.push_back(
        {ConsoleCommand::hold_vote, vote_id, label_of(ConsoleCommand::hold_vote),
         "暂停" + words + "的表决：座席暂不能投出，代表已做的选择保留。请填写暂停原因，原因记入日志。", true,
         ""});
  } else if (state == "held") {
    out.push_back({ConsoleCommand::resume_vote, vote_id, label_of(ConsoleCommand::resume_vote),
                   "恢复" + words + "的表决，座席可以继续投票。", false, ""});
  }
  if (running(state)) {
    out.push_back({ConsoleCommand::close_vote, vote_id, label_of(ConsoleCommand::close_vote),
                   "截止" + words + "的表决：实到 " + number(present) + " 人，已收回 " + number(returned) +
                       " 张（发出 " + number(issued) + " 张）；尚未投出的 " +
                       number(present > returned ? present - returned : 0) + " 位代表记为未按" +
                       without_ballot_words(session, progress) + "。截止后不能再投票，随即计票。",
                   false, ""});
  }
}

std::string two_digits(std::int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// "14:03 开始，已进行 2 分 05 秒": the round's opening time (from the log, China Standard Time, UTC+8) and the
// time since, by the console's clock (a clock behind the server's shows 0 秒, never a negative time).
std::string vote_timer(const json& progress, std::int64_t now_ms) {
  const auto opened = progress.find("opened_ms");
  if (opened == progress.end() || !opened->is_number_integer()) return "";
  const std::int64_t opened_ms = opened->get<std::int64_t>();
  constexpr std::int64_t kDay = 86400;
  const std::int64_t local = ((opened_ms / 1000 + 8 * 3600) % kDay + kDay) % kDay;
  const std::int64_t elapsed = std::max<std::int64_t>(0, now_ms - opened_ms) / 1000;
  std::string words = two_digits(local / 3600) + ":" + two_digits(local / 60 % 60) + " 开始，已进行 ";
  if (elapsed >= 3600) words += std::to_string(elapsed / 3600) + " 小时 ";
  if (elapsed >= 60) words += std::to_string(elapsed / 60 % 60) + " 分 ";
  return words + (elapsed >= 60 ? two_digits(elapsed % 60) : std::to_string(elapsed)) + " 秒";
}

// A vote's row: its round, state and numbers (never a count of any option), its timer while it runs, and its
// commands.
json vote_row(const session::SessionDefinition& session, const std::string& vote_id, const json& progress,
              std::int64_t now_ms, const std::vector<OfferedCommand>& offered) {
  const auto* vote = session.find_vote(vote_id);
  const std::string state = text_of(progress, "state");
  const std::uint64_t round = count_of(progress, "round");
  std::string detail;
  if (state == "drafted" && !progress.value("prepared", false)) {
    detail = "选票尚未生成";
  } else if (state == "drafted" || state == "approved") {
    const std::string names = names_of(session, progress.value("approved_by", json::array()));
    detail = "主席团批准 " + number(count_of(progress, "approvals")) + "/" +
             number(count_of(progress, "quorum")) + (names.empty() ? "" : "（" + names + "）");
  } else if (running(state)) {
    detail = "发出 " + number(count_of(progress, "issued")) + " 张，已收回 " +
             number(count_of(progress, "returned")) + " 张" + without_ballot_words(session, progress);
  } else if (state == "closed" || state == "tallied") {
    detail = "已截止，收回 " + number(count_of(progress, "returned")) + " 张，等待主席团成员解密计票结果";
  } else {
    const json& certification = progress.value("certification", json());
    if (certification.is_object()) detail = "计票结果确认：" + certification_line(session, certification);
  }
  json commands = json::array();
  for (const auto& c : offered) {
    if (c.vote_id != vote_id) continue;
    commands.push_back({{"command", std::string(command_name(c.command))},
                        {"vote", c.vote_id},
                        {"label", c.label},
                        {"confirm", c.confirm},
                        {"needs_reason", c.needs_reason},
                        {"blocked", c.blocked}});
  }
  return {{"vote_id", vote_id},
          {"title", vote != nullptr ? vote->title : vote_id},
          {"kind", vote != nullptr ? std::string(session::display_name_zh(vote->kind)) : std::string()},
          {"round_label",
           "第" + number(round) + "轮" + (round > 1 ? "（" + text_of(progress, "purpose") + "）" : "")},
          {"state", state},
          {"state_text", text_of(progress, "state_zh")},
          {"detail", detail},
          {"timer", running(state) ? vote_timer(progress, now_ms) : std::string()},
          {"commands", commands}};
}

Result<std::string> reason_of(const json& intent) {
  const auto found = intent.find("reason");
  if (found == intent.end() || !found->is_string()) {
    return fail(std::errc::invalid_argument, "请填写暂停原因 / reason: required for hold-vote");
  }
  const std::string reason = found->get<std::string>();  // the JSON parser has checked that it is UTF-8
  std::size_t characters = 0;
  for (const char byte : reason) {
    const auto c = static_cast<unsigned char>(byte);
    if (c < 0x20 || c == 0x7f) {
      return fail(std::errc::invalid_argument, "暂停原因不能含控制字符 / reason: control character");
    }
    if ((c & 0xC0) != 0x80) ++characters;
  }
  if (characters == 0 || characters > kMaxReasonCharacters) {
    return fail(std::errc::invalid_argument, "暂停原因应为 1–100 个字 / reason: 1 to 100 characters");
  }
  return reason;
}

}  // namespace

std::string_view command_name(ConsoleCommand command) noexcept {
  for (const auto& words : kCommandWords) {
    if (words.command == command) return words.name;
  }
  return "";
}

bool parse_command_name(std::string_view name, ConsoleCommand& out) noexcept {
  for (const auto& words : kCommandWords) {
    if (words.name == name) {
      out = words.command;
      return true;
    }
  }
  return false;
}

std::optional<std::string> console_focus_vote(const json& status) { return big_screen_vote(status); }

std::vector<OfferedCommand> offered_commands(const session::SessionDefinition& session,
                                             const ConsoleInput& input) {
  std::vector<OfferedCommand> out;
  if (!input.connected) return out;
  offer_session_commands(input, out);
  offer_closing(session, input, out);
  if (text_of(input.status, "state") == "closed") return out;
  for (const auto& vote : input.status.value("votes", json::array())) {
    const std::string id = text_of(vote, "vote_id");
    const auto progress = input.progress.find(id);
    if (progress != input.progress.end()) offer_vote_commands(session, input, id, progress->second, out);
  }
  return out;
}

Result<ConsoleRequest> parse_console_intent(const session::SessionDefinition& session,
                                            const ConsoleInput& input, std::string_view text) {
  if (text.size() > kMaxIntentBytes)
    return fail(std::errc::invalid_argument, "控制台消息过长 / intent too long");
  const json intent = json::parse(text, nullptr, false);
  if (!intent.is_object() || text_of(intent, "intent") != "run") {
    return fail(std::errc::invalid_argument, "控制台消息无效 / intent: not {\"intent\":\"run\",…}");
  }
  ConsoleRequest request{};
  if (!parse_command_name(text_of(intent, "command"), request.command)) {
    return fail(std::errc::invalid_argument,
                "未知命令 / command: unknown '" + text_of(intent, "command") + "'");
  }
  request.vote_id = text_of(intent, "vote");
  for (const auto& offered : offered_commands(session, input)) {
    if (offered.command != request.command || offered.vote_id != request.vote_id) continue;
    if (!offered.blocked.empty()) return fail(std::errc::operation_not_permitted, offered.blocked);
    if (offered.needs_reason) {
      auto reason = reason_of(intent);
      if (!reason) return forward(reason.error());
      request.reason = std::move(*reason);
    }
    return request;
  }
  return fail(std::errc::operation_not_permitted,
              "此操作现在不可用，请按页面上的当前状态操作 / command not offered in the current state");
}

ConsoleNotice command_succeeded(const session::SessionDefinition& session, const ConsoleRequest& request,
                                const json& answer) {
  const auto* vote = session.find_vote(request.vote_id);
  const std::string title = vote != nullptr ? "《" + vote->title + "》" : "";
  switch (request.command) {
    case ConsoleCommand::open_sign_in:
      return {true, "签到已开始。"};
    case ConsoleCommand::start_session:
      return {true, "会议已开始：应到 " + number(count_of(answer, "in_office")) + " 人，实到 " +
                        number(count_of(answer, "present")) + " 人。"};
    case ConsoleCommand::prepare_vote:
      return {true, title + "第" + number(count_of(answer, "round")) +
                        "轮选票已生成，请主席团成员核对后批准（hallvote-presidium approve）。"};
    case ConsoleCommand::open_vote:
      return {true, title + "表决已开始，选票已发往已签到代表的座席。"};
    case ConsoleCommand::hold_vote:
      return {true, title + "表决已暂停：" + text_of(answer, "reason")};
    case ConsoleCommand::resume_vote:
      return {true, title + "表决已恢复。"};
    case ConsoleCommand::close_session:
      return {true, "会议已闭会。"};
    case ConsoleCommand::close_vote:
      return {true, title + "第" + number(count_of(answer, "round")) + "轮表决已截止：发出 " +
                        number(count_of(answer, "issued")) + " 张，收回 " +
                        number(count_of(answer, "ballots")) +
                        " 张。请主席团成员解密计票结果（hallvote-presidium decrypt）。"};
  }
  return {true, "已完成。"};
}

ConsoleNotice command_refused(const ConsoleRequest& request, std::string_view error_code,
                              std::string_view detail) {
  const std::string what = "“" + label_of(request.command) + "”未执行：";
  if (error_code.empty()) {
    return {false, what + "会场服务器没有应答（" + chinese_part(detail) +
                       "）。操作可能未完成，请待连接恢复后查看状态再决定是否重试。"};
  }
  std::string next;
  if (error_code == "wrong_state") {
    next = "请按页面上的当前状态操作。";
  } else if (error_code == "forbidden") {
    next = "此证书无权执行该操作，请使用主持人证书启动控制台。";
  } else if (error_code == "internal") {
    next = "服务器未能写入日志，什么也没有改变。请通知技术人员检查服务器的磁盘。";
  } else if (error_code == "connection_limit") {
    next = "服务器连接已满，请稍后重试。";
  } else {
    next = "请记下此信息并通知技术人员。";
  }
  return {false, what + chinese_part(detail) + "。" + next};
}

json console_view(const session::SessionDefinition& session, const ConsoleInput& input,
                  const std::optional<ConsoleNotice>& notice) {
  const json& status = input.status;
  json attendance = attendance_view(status);
  json absent = json::array();
  for (const auto& deputy : input.attendance.value("deputies", json::array())) {
    if (!deputy.is_object() || deputy.value("signed_in", false)) continue;
    absent.push_back({{"name", text_of(deputy, "name")}, {"seat", text_of(deputy, "seat")}});
  }
  const auto offered = offered_commands(session, input);
  json session_commands = json::array();
  for (const auto& c : offered) {
    if (!c.vote_id.empty()) continue;
    session_commands.push_back({{"command", std::string(command_name(c.command))},
                                {"vote", ""},
                                {"label", c.label},
                                {"confirm", c.confirm},
                                {"needs_reason", c.needs_reason},
                                {"blocked", c.blocked}});
  }
  attendance["absent_names"] = absent;
  json votes = json::array();
  for (const auto& vote : status.value("votes", json::array())) {
    const std::string id = text_of(vote, "vote_id");
    const auto progress = input.progress.find(id);
    votes.push_back(vote_row(session, id, progress != input.progress.end() ? progress->second : vote,
                             input.now_ms, offered));
  }
  json view{{"session", session.info.body},
            {"session_state", text_of(status, "state_zh")},
            {"connected", input.connected},
            {"attendance", attendance},
            {"session_commands", session_commands},
            {"votes", votes},
            {"focus", nullptr},
            {"notice", nullptr}};
  if (!input.connected) view["connection_text"] = "正在连接会场服务器…（页面显示的是最后一次得到的状态）";
  // The server's audit log cannot write (disk full, I/O error): nothing can be recorded until it resumes.
  view["writing_text"] = nullptr;
  if (status.is_object() && !status.value("writing", true)) {
    view["writing_text"] =
        text_of(status, "writing_text") + "。投票和操作暂不能记录，服务器会自动重试；请通知技术人员检查磁盘。";
  }
  if (notice) view["notice"] = {{"ok", notice->ok}, {"text", notice->text}, {"busy", notice->busy}};
  const auto focus = console_focus_vote(status);
  if (focus) {
    const auto progress = input.progress.find(*focus);
    const bool shows = progress != input.progress.end() && big_screen_shows_result(progress->second);
    json focus_view{{"vote_id", *focus},
                    {"title", vote_words(session, *focus,
                                         progress != input.progress.end() ? progress->second : json::object())},
                    {"result", nullptr}};
    // Only a decrypted round's counts exist; nothing else is ever shown as a result.
    if (shows && input.result) focus_view["result"] = result_view(session, *input.result);
    view["focus"] = focus_view;
  }
  return view;
}

}  // namespace hallvote::setup
