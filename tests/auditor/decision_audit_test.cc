// round.decision (docs/crypto.md §13.20) on a real session (session_bundle.h): a dishonest server appends
// presidium_decision entries to the finished session and re-signs the log. An honest announcement signed by
// the presidium verifies and ends the vote announced; each lie is caught at the entry and field named.
#include <gtest/gtest.h>

#include "hallvote/protocol/presidium_decision.h"
#include "session_bundle.h"
#include "vote_tamper.h"

namespace hallvote::vote_audit {
namespace {

using audit::EntryType;
using nlohmann::json;
using protocol::DecisionKind;
using testing::expect_failure;
using testing::find_entry;
using testing::resign;
using testing::session_bundle;
using testing::verify_tampered;

bool in_v1(const json& p) { return p.value("vote_id", "") == "V1"; }

// V1's latest result entry in the session.
std::size_t v1_result(const std::vector<audit::Entry>& entries) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].type == EntryType::result && in_v1(testing::payload_of(entries[i]))) last = i;
  }
  return last;
}

protocol::PresidiumDecision decision_on(const std::vector<audit::Entry>& entries, DecisionKind kind) {
  const std::size_t result = v1_result(entries);
  protocol::PresidiumDecision d;
  d.kind = kind;
  d.vote_id = "V1";
  d.round = testing::payload_of(entries[result])["outcome"]["round"].get<std::uint32_t>();
  d.result_sequence = result;
  d.result_hash = audit::entry_hash(session_bundle().bundle.entries[result]);
  d.sitting = 1;
  if (kind == DecisionKind::announce) d.notice_number = 1;
  return d;
}

// The entry of `member`'s signature over `d` (signed with `signer`'s key), as the server writes it.
audit::Entry signed_by(const audit::Entry& model, const protocol::PresidiumDecision& d,
                       const std::string& member, bool complete, const std::string& signer = "") {
  const auto& hall = *session_bundle().hall;
  const session::Official* official = hall.session.find_official(member);
  const auto signature = hall.official_keys.at(signer.empty() ? member : signer)
                             .sign(protocol::decision_message(hall.session.info.id, d, member));
  audit::Entry e = model;
  e.type = EntryType::presidium_decision;
  e.payload = protocol::encode(protocol::PresidiumDecisionSigned{
      d, member, official != nullptr ? official->name : member, signature, complete});
  return e;
}

std::vector<std::string> presidium() {
  std::vector<std::string> ids;
  for (const auto& m : session_bundle().hall->session.key_committee.members) {
    if (m.role == session::OfficialRole::presidium_member) ids.push_back(m.id);
  }
  return ids;
}

std::string scrutineer() {
  for (const auto& m : session_bundle().hall->session.key_committee.members) {
    if (m.role != session::OfficialRole::presidium_member) return m.id;
  }
  return {};
}

// Appends the entries `make` builds (given the entries so far) at the end of the log; returns the index of the
// first.
audit::Bundle append(std::uint64_t& first,
                     const std::function<std::vector<audit::Entry>(const std::vector<audit::Entry>&)>& make) {
  return resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    first = entries.size();
    for (auto& e : make(entries)) entries.push_back(std::move(e));
  });
}

TEST(DecisionAudit, AnAnnouncementSignedByThePresidiumVerifiesAndEndsTheVoteAnnounced) {
  std::uint64_t first = 0;
  const auto ids = presidium();
  const auto bundle = append(first, [&](const std::vector<audit::Entry>& entries) {
    const auto d = decision_on(entries, DecisionKind::announce);
    std::vector<audit::Entry> out;
    for (std::size_t i = 0; i < ids.size(); ++i)
      out.push_back(signed_by(entries.back(), d, ids[i], i + 1 == ids.size()));
    return out;
  });
  const VoteReport report = verify_tampered(bundle);
  ASSERT_TRUE(report.ok()) << testing::describe(report);
  EXPECT_EQ(report.votes[0].rounds.back().state, "announced");
}

TEST(DecisionAudit, EachLieIsCaughtWhereItIs) {
  const auto ids = presidium();
  struct Case {
    const char* what;
    std::function<std::vector<audit::Entry>(const std::vector<audit::Entry>&)> make;
    std::uint64_t offset;  // of the failing entry among those appended
    const char* field;
  };
  const std::vector<Case> cases = {
      {"a scrutineer signs",
       [&](const auto& e) {
         return std::vector{signed_by(e.back(), decision_on(e, DecisionKind::announce), scrutineer(), false)};
       },
       0, "payload.official_id"},
      {"another member's key",
       [&](const auto& e) {
         return std::vector{signed_by(e.back(), decision_on(e, DecisionKind::announce), ids[0], false, ids[1])};
       },
       0, "payload.signature"},
      {"complete with one signature",
       [&](const auto& e) {
         return std::vector{signed_by(e.back(), decision_on(e, DecisionKind::announce), ids[0], true)};
       },
       0, "payload.complete"},
      {"the same member twice",
       [&](const auto& e) {
         const auto d = decision_on(e, DecisionKind::announce);
         return std::vector{signed_by(e.back(), d, ids[0], false), signed_by(e.back(), d, ids[0], false)};
       },
       1, "payload.official_id"},
      {"an older result",
       [&](const auto& e) {
         auto d = decision_on(e, DecisionKind::announce);
         d.result_sequence -= 1;
         return std::vector{signed_by(e.back(), d, ids[0], false)};
       },
       0, "payload.decision.result_sequence"},
      {"another entry's hash",
       [&](const auto& e) {
         auto d = decision_on(e, DecisionKind::announce);
         d.result_hash[0] ^= 1;
         return std::vector{signed_by(e.back(), d, ids[0], false)};
       },
       0, "payload.decision.result_hash"},
      {"accepting fewer after certification",
       [&](const auto& e) {
         return std::vector{signed_by(e.back(), decision_on(e, DecisionKind::accept_fewer), ids[0], false)};
       },
       0, "payload.decision.kind"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::uint64_t first = 0;
    const auto bundle = append(first, c.make);
    expect_failure(verify_tampered(bundle), "round.decision", first + c.offset, c.field);
  }
}

// A decision that took effect makes the round's new result entry due: a certification before it is refused.
TEST(DecisionAudit, ARoundReDecidedCannotBeCertifiedOnItsOldResult) {
  // V1's last round is certified in the session; the decision comes before its first certification instead.
  std::uint64_t at = 0;
  const auto ids = presidium();
  const auto bundle = resign(session_bundle(), [&](std::vector<audit::Entry>& entries) {
    const std::size_t cert = find_entry(entries, EntryType::certification,
                                        [](const json& p) { return in_v1(p) && p["round"] == 2; });
    auto d = decision_on(entries, DecisionKind::declare_invalid);
    d.reason = "表决器故障";
    std::vector<audit::Entry> signatures;
    for (std::size_t i = 0; i < ids.size(); ++i)
      signatures.push_back(signed_by(entries[cert], d, ids[i], i + 1 == ids.size()));
    entries.insert(entries.begin() + static_cast<std::ptrdiff_t>(cert), signatures.begin(), signatures.end());
    at = cert + signatures.size();
  });
  expect_failure(verify_tampered(bundle), "round.certification", at, "payload.result_sequence");
}

}  // namespace
}  // namespace hallvote::vote_audit
