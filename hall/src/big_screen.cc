#include "hallvote/hall/big_screen.h"

#include "hallvote/protocol/json_fields.h"
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/ballot_shape.h"
#include "hallvote/session/wording.h"

namespace hallvote::setup {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* name) {
  return protocol::json_fields::text_or_empty(object, name);
}

std::uint64_t count_of(const json& object, const char* name) {
  const auto found = object.find(name);
  if (found == object.end() || !found->is_number_integer() || found->get<std::int64_t>() < 0) return 0;
  return found->get<std::uint64_t>();
}

bool is_running(std::string_view state) { return state == "open" || state == "held"; }

bool is_finished(std::string_view state) {
  return state == "closed" || state == "tallied" || state == "decrypted" || state == "certified" ||
         state == "announced";
}

std::string_view verdict_tone(session::Verdict verdict) {
  switch (verdict) {
    case session::Verdict::adopted:
    case session::Verdict::satisfied:
      return "for";
    case session::Verdict::not_adopted:
    case session::Verdict::dissatisfied:
      return "against";
    case session::Verdict::run_off:
      return "abstain";
    case session::Verdict::basically_satisfied:
      return "neutral";
    case session::Verdict::undecided:
      return "blank";
  }
  return "blank";
}

std::string_view selection_tone(std::string_view id) {
  if (id == session::kFor || id == session::kSatisfied) return "for";
  if (id == session::kAgainst || id == session::kDissatisfied) return "against";
  if (id == session::kAbstain) return "abstain";
  return "neutral";
}

}  // namespace

json result_view(const session::SessionDefinition& session, const json& answer) {
  const auto* vote = session.find_vote(text_of(answer, "vote_id"));
  auto outcome = protocol::ResultOutcome::from_json(answer.value("result", json::object()));
  if (vote == nullptr || !outcome) return nullptr;
  const session::RoundResult& round = outcome->round;
  const session::BallotShape shape = session::ballot_shape(session, *vote, round.spec);
  json rows = json::array();
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    const session::ItemResult& item = round.items[i];
    json counts = json::array();
    if (vote->kind == session::VoteKind::choose) {
      counts.push_back(
          {{"label", "得票"}, {"value", item.totals.empty() ? 0 : item.totals.front()}, {"tone", "neutral"}});
    } else if (i < shape.contests.size()) {
      const auto& selections = shape.contests[i].selections;
      for (std::size_t s = 0; s < selections.size() && s < item.totals.size(); ++s) {
        counts.push_back({{"label", selections[s].label},
                          {"value", item.totals[s]},
                          {"tone", selection_tone(selections[s].id)}});
      }
      counts.push_back({{"label", "未表态"}, {"value", item.blank}, {"tone", "blank"}});
    }
    rows.push_back({{"title", outcome->titles[i]},
                    {"rank", item.rank},
                    {"counts", counts},
                    {"verdict", std::string(session::display_name_zh(item.verdict))},
                    {"verdict_tone", verdict_tone(item.verdict)}});
  }
  const json certification = answer.value("certification", json::object());
  const bool certified = certification.is_object() && certification.value("complete", false);
  // The decisions about this round, in words (the shortfall awaiting the presidium, a further vote, a round
  // declared invalid…).
  json decisions = json::array();
  bool awaiting = false;
  for (const session::Decision& d : outcome->decisions) {
    if (d.round != round.spec.number) continue;
    decisions.push_back(session::decision_words(d).zh);
    awaiting = awaiting || d.code == session::DecisionCode::awaiting_presidium;
  }
  const std::string state = text_of(answer.value("current_round", json::object()), "state");
  return {{"kind", std::string(session::to_string(vote->kind))},
          {"round", round.spec.number},
          {"scale", round.accounting.valid},
          {"accounting", json::array({{{"label", "应到"}, {"value", round.in_office}},
                                      {{"label", "实到"}, {"value", round.present}},
                                      {{"label", "发出"}, {"value", round.accounting.issued}},
                                      {{"label", "收回"}, {"value", round.accounting.returned}},
                                      {{"label", "有效"}, {"value", round.accounting.valid}},
                                      {{"label", "未按"}, {"value", round.no_ballot}}})},
          {"summary", session::round_summary(round).zh},
          {"certified", certified},
          {"badge", state == "announced" ? "已公告"
                    : certified          ? "已确认"
                    : awaiting           ? "待主席团决定"
                                         : "待确认"},
          {"decisions", decisions},
          {"rows", rows}};
}

std::optional<std::string> big_screen_vote(const json& status) {
  std::optional<std::string> finished;
  for (const auto& vote : status.value("votes", json::array())) {
    if (!vote.is_object()) continue;
    const std::string state = text_of(vote, "state");
    if (is_running(state)) return text_of(vote, "vote_id");
    if (is_finished(state)) finished = text_of(vote, "vote_id");
  }
  return finished;
}

bool big_screen_shows_result(const json& progress) {
  const std::string state = text_of(progress, "state");
  return state == "decrypted" || state == "certified" || state == "announced";
}

json attendance_view(const json& status) {
  const std::uint64_t in_office = count_of(status, "in_office");
  const std::uint64_t present = count_of(status, "present");
  const bool quorum = status.value("quorum_met", false);
  return {{"in_office", in_office},
          {"present", present},
          {"absent", in_office > present ? in_office - present : 0},
          {"quorum_met", quorum},
          {"quorum_text", quorum ? "已达到法定人数" : "未达到法定人数"}};
}

json big_screen_view(const session::SessionDefinition& session, const BigScreenInput& input) {
  const json& status = input.status;
  json view{{"session", session.info.body},
            {"session_state", text_of(status, "state_zh")},
            {"connected", input.connected},
            {"attendance", attendance_view(status)},
            {"vote", nullptr},
            {"result", nullptr}};
  if (!input.connected) view["connection_text"] = "正在连接会场服务器…";
  if (!input.progress) return view;
  const json& progress = *input.progress;
  const auto* vote = session.find_vote(text_of(progress, "vote_id"));
  if (vote == nullptr) return view;
  const std::string state = text_of(progress, "state");
  const std::uint64_t round = count_of(progress, "round");
  std::string headline;
  if (state == "open") {
    headline = "表决进行中，已表决 " + std::to_string(count_of(progress, "returned")) + " 人";
  } else if (state == "held") {
    headline = "表决暂停，已表决 " + std::to_string(count_of(progress, "returned")) + " 人";
  } else if (state == "closed" || state == "tallied") {
    headline = "表决已结束，正在计票";
  } else if (big_screen_shows_result(progress)) {
    headline = "表决结果";
  } else {
    headline = text_of(progress, "state_zh");
  }
  view["vote"] = {
      {"title", vote->title},
      {"round_label",
       round > 1 ? "第" + std::to_string(round) + "轮（" + text_of(progress, "purpose") + "）" : std::string()},
      {"state", state},
      {"headline", headline}};
  // Only a decrypted round's counts exist; nothing else is ever shown as a result.
  if (big_screen_shows_result(progress) && input.result) view["result"] = result_view(session, *input.result);
  return view;
}

}  // namespace hallvote::setup
