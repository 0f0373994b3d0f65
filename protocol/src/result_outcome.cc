#include "hallvote/protocol/result_outcome.h"

#include <cstdlib>

namespace hallvote::protocol {
namespace {

using nlohmann::json;

json item_json(const session::SessionDefinition& session, const session::ItemResult& item) {
  return {{"item_id", item.item_id},     {"title", std::string(session.item_title(item.item_id))},
          {"totals", item.totals},       {"blank", item.blank},
          {"rank", item.rank},           {"verdict", std::string(session::display_name_zh(item.verdict))},
          {"reason_zh", item.reason_zh}, {"reason_en", item.reason_en}};
}

}  // namespace

json result_outcome(const session::SessionDefinition& session, const session::RoundTally& round,
                    const session::VoteResult& result, std::span<const std::string> decrypted_by) {
  if (result.rounds.empty()) std::abort();  // misuse: a result has at least the round it was computed for
  const session::RoundResult& last = result.rounds.back();
  json items = json::array();
  for (const auto& item : last.items) items.push_back(item_json(session, item));
  json outcome = {{"round", last.spec.number},
                  {"in_office", last.in_office},
                  {"present", round.present},
                  {"issued", round.accounting.issued},
                  {"returned", round.accounting.returned},
                  {"valid", round.accounting.valid},
                  {"invalid", round.accounting.invalid},
                  {"no_ballot", last.no_ballot},
                  {"quorum_met", last.quorum_met},
                  {"base", last.base},
                  {"threshold", last.threshold},
                  {"totals", round.totals},
                  {"items", std::move(items)},
                  {"summary_zh", last.summary_zh},
                  {"summary_en", last.summary_en},
                  {"adopted", result.adopted},
                  {"decided", result.status == session::VoteStatus::decided},
                  {"decisions_zh", result.decisions_zh},
                  {"decrypted_by", std::vector<std::string>(decrypted_by.begin(), decrypted_by.end())}};
  if (result.next_round) {
    outcome["next_round"] = {{"number", result.next_round->number},
                             {"purpose", std::string(session::display_name_zh(result.next_round->purpose))},
                             {"items", result.next_round->items},
                             {"places", result.next_round->places}};
  }
  return outcome;
}

}  // namespace hallvote::protocol
