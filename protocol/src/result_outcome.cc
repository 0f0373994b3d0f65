#include "hallvote/protocol/result_outcome.h"

#include <cstdlib>

#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

using jf::count32;
using jf::counts;
using jf::only_fields;
using jf::texts;

// A code field read with its parse function (session::parse_verdict …).
template <class Enum, class Parse>
Result<Enum> code(const json& object, const std::string& name, const std::string& where, Parse parse) {
  auto text = jf::text(object, name, where);
  if (!text) return forward(text.error());
  Enum out{};
  if (!parse(*text, out))
    return fail(ProtocolErrc::malformed, where + "." + name + ": unknown code '" + *text + "'");
  return out;
}

json item_json(const session::ItemResult& item, const std::string& title) {
  return {{"item_id", item.item_id},
          {"title", title},
          {"totals", item.totals},
          {"blank", item.blank},
          {"rank", item.rank},
          {"verdict", std::string(session::to_string(item.verdict))},
          {"reason",
           {{"code", std::string(session::to_string(item.reason.code))},
            {"tied_with", item.reason.tied_with},
            {"open_places", item.reason.open_places}}}};
}

Result<session::ItemResult> item_from_json(const json& j, const std::string& where, std::string& title) {
  if (!j.is_object()) return fail(ProtocolErrc::malformed, where + ": expected an object");
  if (auto ok = only_fields(j, {"item_id", "title", "totals", "blank", "rank", "verdict", "reason"}, where);
      !ok) {
    return forward(ok.error());
  }
  session::ItemResult item;
  HALLVOTE_TRY(id, jf::text(j, "item_id", where));
  item.item_id = *id;
  HALLVOTE_TRY(t, jf::text(j, "title", where));
  title = *t;
  HALLVOTE_TRY(totals, counts(j, "totals", where));
  item.totals = *totals;
  HALLVOTE_TRY(blank, count32(j, "blank", where));
  item.blank = *blank;
  HALLVOTE_TRY(rank, count32(j, "rank", where));
  item.rank = *rank;
  HALLVOTE_TRY(verdict, code<session::Verdict>(j, "verdict", where, session::parse_verdict));
  item.verdict = *verdict;
  HALLVOTE_TRY(reason, jf::field(j, "reason", where));
  const std::string at = where + ".reason";
  if (!(*reason)->is_object()) return fail(ProtocolErrc::malformed, at + ": expected an object");
  if (auto ok = only_fields(**reason, {"code", "tied_with", "open_places"}, at); !ok)
    return forward(ok.error());
  HALLVOTE_TRY(reason_code, code<session::ReasonCode>(**reason, "code", at, session::parse_reason_code));
  HALLVOTE_TRY(tied_with, count32(**reason, "tied_with", at));
  HALLVOTE_TRY(open_places, count32(**reason, "open_places", at));
  item.reason = {*reason_code, *tied_with, *open_places};
  return item;
}

}  // namespace

session::RoundTally ResultOutcome::tally() const { return {round.present, round.accounting, totals}; }

json ResultOutcome::to_json() const {
  json items = json::array();
  for (std::size_t i = 0; i < round.items.size(); ++i) {
    items.push_back(item_json(round.items[i], i < titles.size() ? titles[i] : std::string()));
  }
  json decision_list = json::array();
  for (const session::Decision& d : decisions) {
    decision_list.push_back({{"code", std::string(session::to_string(d.code))},
                             {"round", d.round},
                             {"filled", d.filled},
                             {"places", d.places},
                             {"candidates", d.candidates},
                             {"missing", d.missing}});
  }
  json out = {{"round", round.spec.number},
              {"purpose", std::string(session::to_string(round.spec.purpose))},
              {"places", round.spec.places},
              {"status", std::string(session::to_string(round.status))},
              {"in_office", round.in_office},
              {"present", round.present},
              {"issued", round.accounting.issued},
              {"returned", round.accounting.returned},
              {"valid", round.accounting.valid},
              {"invalid", round.accounting.invalid},
              {"no_ballot", round.no_ballot},
              {"quorum", {{"numerator", round.quorum.numerator}, {"denominator", round.quorum.denominator}}},
              {"quorum_minimum", round.quorum_minimum},
              {"quorum_met", round.quorum_met},
              {"base_kind", std::string(session::to_string(round.base_kind))},
              {"base", round.base},
              {"threshold", round.threshold},
              {"totals", totals},
              {"items", std::move(items)},
              {"adopted", adopted},
              {"decided", decided},
              {"decisions", std::move(decision_list)},
              {"decrypted_by", decrypted_by}};
  if (next_round) {
    out["next_round"] = {{"number", next_round->number},
                         {"purpose", std::string(session::to_string(next_round->purpose))},
                         {"items", next_round->items},
                         {"places", next_round->places}};
  }
  return out;
}

Result<ResultOutcome> ResultOutcome::from_json(const json& j) {
  const std::string where = "payload.outcome";
  if (!j.is_object()) return fail(ProtocolErrc::malformed, where + ": expected an object");
  if (auto ok = only_fields(
          j, {"round",          "purpose",    "places",    "status",    "in_office",    "present",
              "issued",         "returned",   "valid",     "invalid",   "no_ballot",    "quorum",
              "quorum_minimum", "quorum_met", "base_kind", "base",      "threshold",    "totals",
              "items",          "adopted",    "decided",   "decisions", "decrypted_by", "next_round"},
          where);
      !ok) {
    return forward(ok.error());
  }
  ResultOutcome out;
  session::RoundResult& r = out.round;
  HALLVOTE_TRY(number, count32(j, "round", where));
  if (*number == 0) return fail(ProtocolErrc::malformed, where + ".round: rounds are numbered from 1");
  r.spec.number = *number;
  if (*number > 1) r.spec.parent = *number - 1;
  HALLVOTE_TRY(purpose, code<session::RoundPurpose>(j, "purpose", where, session::parse_round_purpose));
  r.spec.purpose = *purpose;
  HALLVOTE_TRY(places, count32(j, "places", where));
  r.spec.places = *places;
  HALLVOTE_TRY(status, code<session::RoundStatus>(j, "status", where, session::parse_round_status));
  r.status = *status;
  HALLVOTE_TRY(in_office, count32(j, "in_office", where));
  r.in_office = *in_office;
  HALLVOTE_TRY(present, count32(j, "present", where));
  r.present = *present;
  HALLVOTE_TRY(issued, count32(j, "issued", where));
  r.accounting.issued = *issued;
  HALLVOTE_TRY(returned, count32(j, "returned", where));
  r.accounting.returned = *returned;
  HALLVOTE_TRY(valid, count32(j, "valid", where));
  r.accounting.valid = *valid;
  HALLVOTE_TRY(invalid, count32(j, "invalid", where));
  r.accounting.invalid = *invalid;
  HALLVOTE_TRY(no_ballot, count32(j, "no_ballot", where));
  r.no_ballot = *no_ballot;
  HALLVOTE_TRY(quorum, jf::field(j, "quorum", where));
  if (!(*quorum)->is_object()) return fail(ProtocolErrc::malformed, where + ".quorum: expected an object");
  if (auto ok = only_fields(**quorum, {"numerator", "denominator"}, where + ".quorum"); !ok)
    return forward(ok.error());
  HALLVOTE_TRY(numerator, count32(**quorum, "numerator", where + ".quorum"));
  HALLVOTE_TRY(denominator, count32(**quorum, "denominator", where + ".quorum"));
  if (*numerator == 0 || *numerator > *denominator) {
    return fail(ProtocolErrc::malformed, where + ".quorum: expected 0 < numerator <= denominator");
  }
  r.quorum = {*numerator, *denominator};
  HALLVOTE_TRY(quorum_minimum, count32(j, "quorum_minimum", where));
  r.quorum_minimum = *quorum_minimum;
  HALLVOTE_TRY(quorum_met, jf::boolean(j, "quorum_met", where));
  r.quorum_met = *quorum_met;
  HALLVOTE_TRY(base_kind, code<session::ThresholdBase>(j, "base_kind", where, session::parse_threshold_base));
  r.base_kind = *base_kind;
  HALLVOTE_TRY(base, count32(j, "base", where));
  r.base = *base;
  HALLVOTE_TRY(threshold, count32(j, "threshold", where));
  r.threshold = *threshold;
  HALLVOTE_TRY(totals, jf::field(j, "totals", where));
  if (!(*totals)->is_array())
    return fail(ProtocolErrc::malformed, where + ".totals: expected an array of arrays");
  for (std::size_t c = 0; c < (*totals)->size(); ++c) {
    json holder = {{"contest", (**totals)[c]}};
    HALLVOTE_TRY(contest, counts(holder, "contest", where + ".totals[" + std::to_string(c) + "]"));
    out.totals.push_back(std::move(*contest));
  }
  HALLVOTE_TRY(items, jf::field(j, "items", where));
  if (!(*items)->is_array()) return fail(ProtocolErrc::malformed, where + ".items: expected an array");
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    std::string title;
    HALLVOTE_TRY(item, item_from_json((**items)[i], where + ".items[" + std::to_string(i) + "]", title));
    r.spec.items.push_back(item->item_id);
    r.items.push_back(std::move(*item));
    out.titles.push_back(std::move(title));
  }
  HALLVOTE_TRY(adopted, texts(j, "adopted", where));
  out.adopted = *adopted;
  HALLVOTE_TRY(decided, jf::boolean(j, "decided", where));
  out.decided = *decided;
  HALLVOTE_TRY(decisions, jf::field(j, "decisions", where));
  if (!(*decisions)->is_array()) return fail(ProtocolErrc::malformed, where + ".decisions: expected an array");
  for (std::size_t i = 0; i < (*decisions)->size(); ++i) {
    const json& d = (**decisions)[i];
    const std::string at = where + ".decisions[" + std::to_string(i) + "]";
    if (!d.is_object()) return fail(ProtocolErrc::malformed, at + ": expected an object");
    if (auto ok = only_fields(d, {"code", "round", "filled", "places", "candidates", "missing"}, at); !ok) {
      return forward(ok.error());
    }
    session::Decision decision;
    HALLVOTE_TRY(decision_code, code<session::DecisionCode>(d, "code", at, session::parse_decision_code));
    decision.code = *decision_code;
    HALLVOTE_TRY(decision_round, count32(d, "round", at));
    decision.round = *decision_round;
    HALLVOTE_TRY(filled, count32(d, "filled", at));
    decision.filled = *filled;
    HALLVOTE_TRY(decision_places, count32(d, "places", at));
    decision.places = *decision_places;
    HALLVOTE_TRY(candidates, count32(d, "candidates", at));
    decision.candidates = *candidates;
    HALLVOTE_TRY(missing, count32(d, "missing", at));
    decision.missing = *missing;
    out.decisions.push_back(decision);
  }
  HALLVOTE_TRY(decrypted_by, texts(j, "decrypted_by", where));
  out.decrypted_by = *decrypted_by;
  if (j.contains("next_round")) {
    const json& n = j["next_round"];
    const std::string at = where + ".next_round";
    if (!n.is_object()) return fail(ProtocolErrc::malformed, at + ": expected an object");
    if (auto ok = only_fields(n, {"number", "purpose", "items", "places"}, at); !ok) return forward(ok.error());
    session::RoundSpec spec;
    HALLVOTE_TRY(next_number, count32(n, "number", at));
    if (*next_number != r.spec.number + 1) {
      return fail(ProtocolErrc::malformed, at + ".number: expected " + std::to_string(r.spec.number + 1));
    }
    spec.number = *next_number;
    spec.parent = r.spec.number;
    HALLVOTE_TRY(next_purpose, code<session::RoundPurpose>(n, "purpose", at, session::parse_round_purpose));
    spec.purpose = *next_purpose;
    HALLVOTE_TRY(next_items, texts(n, "items", at));
    spec.items = *next_items;
    HALLVOTE_TRY(next_places, count32(n, "places", at));
    spec.places = *next_places;
    out.next_round = std::move(spec);
  }
  return out;
}

ResultOutcome result_outcome(const session::SessionDefinition& session, const session::RoundTally& round,
                             const session::VoteResult& result, std::span<const std::string> decrypted_by) {
  if (result.rounds.empty()) std::abort();  // misuse: a result has at least the round it was computed for
  ResultOutcome out;
  out.round = result.rounds.back();
  for (const auto& item : out.round.items) out.titles.emplace_back(session.item_title(item.item_id));
  out.totals = round.totals;
  out.adopted = result.adopted;
  out.decided = result.status == session::VoteStatus::decided;
  out.decisions = result.decisions;
  out.decrypted_by.assign(decrypted_by.begin(), decrypted_by.end());
  out.next_round = result.next_round;
  return out;
}

}  // namespace hallvote::protocol
