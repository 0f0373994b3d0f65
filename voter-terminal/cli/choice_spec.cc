#include "choice_spec.h"

#include <array>

namespace hallvote::terminal_tool {
namespace {

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    parts.push_back(
        trim(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string canonical_selection(const std::string& word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kWords = {{
      {"赞成", "for"},
      {"反对", "against"},
      {"弃权", "abstain"},
      {"满意", "satisfied"},
      {"基本满意", "basically_satisfied"},
      {"不满意", "dissatisfied"},
  }};
  for (const auto& [zh, id] : kWords) {
    if (word == zh) return std::string(id);
  }
  return word;
}

}  // namespace

Result<ChoiceSpec> ChoiceSpec::parse(std::string_view text) {
  ChoiceSpec spec;
  for (const auto& clause : split(text, ';')) {
    if (clause.empty()) continue;
    const auto at = clause.find_first_of("=:");
    const std::string contest = at == std::string::npos ? std::string() : trim(clause.substr(0, at));
    if (contest.empty()) {
      return fail(std::errc::invalid_argument, "选择说明“" + clause + "”应为 表决/项目=选项 / choice clause '" +
                                                   clause + "' must be CONTEST=SEL[,SEL…]");
    }
    std::vector<std::string> selections;
    for (const auto& word : split(std::string_view(clause).substr(at + 1), ',')) {
      if (!word.empty()) selections.push_back(canonical_selection(word));
    }
    // "V1#2/ITEM": the clause is for round 2 of V1 only; the contest on the ballot is "V1/ITEM".
    std::string vote = contest.substr(0, contest.find('/'));
    std::string contest_id = contest;
    if (const auto hash = vote.find('#'); hash != std::string::npos) {
      const std::string round = vote.substr(hash + 1);
      if (round.empty() || round.find_first_not_of("0123456789") != std::string::npos) {
        return fail(std::errc::invalid_argument, "选择说明“" + clause + "”的轮次应为数字 / choice clause '" +
                                                     clause + "': the round after '#' must be a number");
      }
      contest_id.erase(hash, round.size() + 1);
    }
    spec.votes[vote].emplace_back(contest_id, std::move(selections));
  }
  if (spec.votes.empty()) return fail(std::errc::invalid_argument, "没有任何选择 / the choice SPEC is empty");
  return spec;
}

Status ChoiceSpec::apply(terminal::BallotScreen& screen) const {
  const auto& shape = screen.definition().shape;
  auto vote = votes.find(shape.vote_id + "#" + std::to_string(shape.round));
  if (vote == votes.end()) vote = votes.find(shape.vote_id);
  if (vote == votes.end()) return {};
  for (const auto& [contest, selections] : vote->second) {
    bool known = false;
    for (const auto& c : shape.contests) known = known || c.id == contest;
    if (!known) {
      return fail(std::errc::invalid_argument,
                  "选票上没有“" + contest + "” / the ballot has no contest '" + contest + "'");
    }
    for (const auto& selection : selections) {
      if (auto ok = screen.select(contest, selection); !ok) return ok;
    }
  }
  return {};
}

}  // namespace hallvote::terminal_tool
