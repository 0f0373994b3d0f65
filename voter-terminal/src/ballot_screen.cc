#include "hallvote/terminal/ballot_screen.h"

#include <numeric>

#include "hallvote/protocol/errors.h"

namespace hallvote::terminal {

using protocol::ProtocolErrc;

BallotScreen::BallotScreen(protocol::BallotDefinition definition) : definition_(std::move(definition)) {
  for (const auto& contest : definition_.shape.contests) {
    choices_.emplace_back(contest.selections.size(), 0);
  }
}

bool BallotScreen::selected(std::size_t contest, std::size_t selection) const {
  return contest < choices_.size() && selection < choices_[contest].size() && choices_[contest][selection] != 0;
}

std::uint32_t BallotScreen::aggregate_count() const {
  const auto& limit = definition_.shape.aggregate_limit;
  if (!limit) return 0;
  std::uint32_t count = 0;
  for (std::size_t c = 0; c < choices_.size(); ++c) {
    const auto& selections = definition_.shape.contests[c].selections;
    for (std::size_t s = 0; s < selections.size(); ++s) {
      if (selections[s].id == limit->selection_id && choices_[c][s] != 0) ++count;
    }
  }
  return count;
}

Status BallotScreen::toggle(std::size_t contest, std::size_t selection) {
  if (contest >= choices_.size() || selection >= choices_[contest].size()) {
    return fail(ProtocolErrc::invalid_ballot, "没有这个选项 / no such option");
  }
  auto& row = choices_[contest];
  if (row[selection] != 0) {
    row[selection] = 0;
    return {};
  }
  const auto& shape = definition_.shape.contests[contest];
  const auto chosen = static_cast<std::uint32_t>(std::accumulate(row.begin(), row.end(), 0u));
  const std::vector<std::uint8_t> before = row;
  if (shape.max_selected == 1 && chosen == 1) {
    std::fill(row.begin(), row.end(), 0);  // one choice: the new one replaces the old
  } else if (chosen >= shape.max_selected) {
    return fail(ProtocolErrc::invalid_ballot,
                "最多选择 " + std::to_string(shape.max_selected) + " 项，请先取消一项 / at most " +
                    std::to_string(shape.max_selected) + " may be chosen; clear one first");
  }
  row[selection] = 1;
  const auto& limit = definition_.shape.aggregate_limit;
  if (limit && aggregate_count() > limit->max_total) {
    row = before;
    return fail(ProtocolErrc::invalid_ballot, "“" + shape.selections[selection].label + "”最多评 " +
                                                  std::to_string(limit->max_total) + " 项 / at most " +
                                                  std::to_string(limit->max_total) + " may be rated so");
  }
  return {};
}

Status BallotScreen::select(std::string_view contest_id, std::string_view selection_id) {
  for (std::size_t c = 0; c < definition_.shape.contests.size(); ++c) {
    const auto& contest = definition_.shape.contests[c];
    if (contest.id != contest_id) continue;
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      if (contest.selections[s].id == selection_id) return selected(c, s) ? Status{} : toggle(c, s);
    }
  }
  return fail(ProtocolErrc::invalid_ballot, "没有这个选项 / no option '" + std::string(selection_id) +
                                                "' in '" + std::string(contest_id) + "'");
}

Status BallotScreen::ready() const {
  for (std::size_t c = 0; c < choices_.size(); ++c) {
    const auto& shape = definition_.shape.contests[c];
    const auto chosen = std::accumulate(choices_[c].begin(), choices_[c].end(), 0u);
    if (chosen < shape.min_selected) {
      return fail(ProtocolErrc::invalid_ballot, "至少选择 " + std::to_string(shape.min_selected) +
                                                    " 项 / choose at least " +
                                                    std::to_string(shape.min_selected));
    }
  }
  return {};
}

std::string BallotScreen::review() const {
  std::string out = definition_.vote_title + "\n";
  if (!definition_.description.empty()) out += definition_.description + "\n";
  for (std::size_t c = 0; c < choices_.size(); ++c) {
    const auto& contest = definition_.shape.contests[c];
    std::string line;
    for (std::size_t s = 0; s < contest.selections.size(); ++s) {
      if (choices_[c][s] == 0) continue;
      if (!line.empty()) line += "、";
      line += contest.selections[s].label;
    }
    // The item's name from the approved definition; its code only in brackets after it.
    const std::string heading =
        contest.item_id.empty() ? "选择" : contest.title + "（" + contest.item_id + "）";
    out += "  " + heading + "：" + (line.empty() ? "未表态 (blank)" : line) + "\n";
  }
  return out;
}

}  // namespace hallvote::terminal
