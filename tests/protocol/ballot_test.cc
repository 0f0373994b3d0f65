#include <gtest/gtest.h>

#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/session/loader.h"

namespace hallvote::protocol {
namespace {

struct Fixture {
  crypto::DeterministicRandom random{5};
  session::SessionDefinition session =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/hanyin-county.toml").value();
  crypto::SecretScalar election_secret = crypto::SecretScalar::random(random);
  std::array<std::uint8_t, 32> election_key = crypto::Point::base_mul(election_secret.reveal()).encode();
  crypto::SigningKey deputy = crypto::SigningKey::generate(random);

  BallotDefinition definition_of(session::VoteKind kind) {
    for (const auto& vote : session.votes) {
      if (vote.kind == kind)
        return make_ballot_definition(session, vote, session::first_round(vote), election_key);
    }
    throw std::runtime_error("no vote of that kind in the example");
  }

  // A valid choice: the first `max` selections of each contest (respecting an aggregate limit).
  static Choices valid_choices(const BallotDefinition& d) {
    Choices choices;
    std::uint32_t aggregate = 0;
    for (const auto& contest : d.shape.contests) {
      std::vector<std::uint8_t> row(contest.selections.size(), 0);
      for (std::size_t s = 0; s < contest.selections.size() && s < contest.max_selected; ++s) {
        const bool counted =
            d.shape.aggregate_limit && contest.selections[s].id == d.shape.aggregate_limit->selection_id;
        if (counted && aggregate >= d.shape.aggregate_limit->max_total) continue;
        if (counted) ++aggregate;
        row[s] = 1;
      }
      choices.push_back(row);
    }
    return choices;
  }
};

TEST(BallotDefinition, CanonicalJsonRoundTripsAndFixesTheBaseHash) {
  Fixture f;
  for (auto kind : {session::VoteKind::choose, session::VoteKind::per_item, session::VoteKind::satisfaction}) {
    const BallotDefinition d = f.definition_of(kind);
    auto parsed = BallotDefinition::from_json(d.canonical_json());
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(parsed->canonical_json(), d.canonical_json());
    EXPECT_EQ(parsed->base_hash(), d.base_hash());
  }
}

TEST(BallotDefinition, RejectsMalformedDefinitionsNamingTheField) {
  Fixture f;
  const std::string good = f.definition_of(session::VoteKind::choose).canonical_json();
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    text.replace(text.find(from), from.size(), to);
    return BallotDefinition::from_json(text);
  };
  EXPECT_EQ(with("\"format\":1", "\"format\":2").error().code, ProtocolErrc::unsupported_version);
  auto bad_key = with("\"election_key\":\"", "\"election_key\":\"ff");
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().detail.find("election_key"), std::string::npos);
  EXPECT_FALSE(with("\"round\":1", "\"round\":0"));
  EXPECT_FALSE(BallotDefinition::from_json("{"));
  EXPECT_FALSE(BallotDefinition::from_json("[]"));
}

// Names on the ballot: every contest carries its item's title and the definition the vote's 说明; both are
// hashed, bounded in bytes, valid UTF-8, and no field beyond the listed ones is accepted.
TEST(BallotDefinition, CarriesTitlesAndDescriptionWithinLimits) {
  Fixture f;
  BallotDefinition d = f.definition_of(session::VoteKind::per_item);
  for (const auto& contest : d.shape.contests) {
    EXPECT_EQ(contest.title, std::string(f.session.item_title(contest.item_id)));
    EXPECT_FALSE(contest.title.empty());
  }
  const BaseHash before = d.base_hash();
  d.description = "请对每一项分别表决。";
  EXPECT_NE(d.base_hash(), before);
  auto parsed = BallotDefinition::from_json(d.canonical_json());
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->description, d.description);
  d.shape.contests[0].title = std::string(session::kMaxTitleBytes + 1, 'x');
  auto too_long = BallotDefinition::from_json(d.canonical_json());
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().detail.find("contests[0].title"), std::string::npos);
  d.shape.contests[0].title = "标题";
  d.description = std::string(session::kMaxDescriptionBytes + 1, 'x');
  EXPECT_FALSE(BallotDefinition::from_json(d.canonical_json()));
  d.description.clear();
  std::string text = d.canonical_json();
  text.replace(text.find("\"title\":"), 8, "\"extra\":1,\"title\":");
  EXPECT_FALSE(BallotDefinition::from_json(text));
  std::string not_utf8 = d.canonical_json();
  not_utf8.replace(not_utf8.find("标题"), 3, "\xff\xfe\xfd");
  EXPECT_FALSE(BallotDefinition::from_json(not_utf8));
}

TEST(SignedBallot, VerifiesServerSignatureAndQuorumOfApprovals) {
  Fixture f;
  const BallotDefinition d = f.definition_of(session::VoteKind::choose);
  const crypto::SigningKey server = crypto::SigningKey::generate(f.random);
  SignedBallot ballot{d, {}, server.sign(issue_message(d.base_hash()))};
  // The example's committee keys are placeholders without secrets: use a committee of our own.
  session::KeyCommittee committee;
  std::vector<crypto::SigningKey> keys;
  for (int i = 0; i < 5; ++i) {
    keys.push_back(crypto::SigningKey::generate(f.random));
    committee.members.push_back({"P" + std::to_string(i), "成员" + std::to_string(i),
                                 session::OfficialRole::presidium_member, keys.back().verify_key().hex(), ""});
  }
  committee.quorum = 3;
  for (int i = 0; i < 2; ++i)
    ballot.approvals.push_back(
        {"P" + std::to_string(i), keys[static_cast<std::size_t>(i)].sign(approval_message(d.base_hash()))});
  EXPECT_EQ(verify_signed_ballot(ballot, server.verify_key(), committee).error().code,
            ProtocolErrc::invalid_approval);
  ballot.approvals.push_back(ballot.approvals[0]);  // a duplicate does not count twice
  EXPECT_FALSE(verify_signed_ballot(ballot, server.verify_key(), committee));
  ballot.approvals.back() = {"P4", keys[4].sign(approval_message(d.base_hash()))};
  auto round_trip = SignedBallot::from_json(ballot.to_json());
  ASSERT_TRUE(round_trip);
  EXPECT_TRUE(verify_signed_ballot(*round_trip, server.verify_key(), committee));
  // Another server key, or an approval by an outsider, fails.
  EXPECT_EQ(verify_signed_ballot(ballot, keys[0].verify_key(), committee).error().code,
            ProtocolErrc::wrong_credential);
  ballot.approvals.back().official_id = "X9";
  EXPECT_EQ(verify_signed_ballot(ballot, server.verify_key(), committee).error().code,
            ProtocolErrc::invalid_approval);
}

TEST(CastBallot, EveryVoteKindEncryptsEncodesAndVerifies) {
  Fixture f;
  for (auto kind : {session::VoteKind::choose, session::VoteKind::per_item, session::VoteKind::satisfaction}) {
    const BallotDefinition d = f.definition_of(kind);
    auto ballot = encrypt_ballot(d, "D0001", f.deputy.verify_key(), Fixture::valid_choices(d), f.random);
    ASSERT_TRUE(ballot) << ballot.error().message();
    const crypto::Bytes bytes = ballot->encode();
    auto decoded = CastBallot::decode(bytes, d);
    ASSERT_TRUE(decoded) << decoded.error().message();
    EXPECT_EQ(decoded->encode(), bytes);
    EXPECT_TRUE(verify_cast_ballot(d, f.deputy.verify_key(), *decoded)) << session::to_string(kind);
    // Bound to the deputy: the same ballot under another credential fails.
    const crypto::SigningKey other = crypto::SigningKey::generate(f.random);
    EXPECT_EQ(verify_cast_ballot(d, other.verify_key(), *decoded).error().code, ProtocolErrc::invalid_ballot);
  }
}

TEST(CastBallot, OvervoteAndAggregateExcessCannotBeEncrypted) {
  Fixture f;
  const BallotDefinition choose = f.definition_of(session::VoteKind::choose);
  Choices all(1, std::vector<std::uint8_t>(choose.shape.contests[0].selections.size(), 1));
  EXPECT_EQ(encrypt_ballot(choose, "D0001", f.deputy.verify_key(), all, f.random).error().code,
            ProtocolErrc::invalid_ballot);
  const BallotDefinition satisfaction = f.definition_of(session::VoteKind::satisfaction);
  if (satisfaction.shape.aggregate_limit) {
    Choices every_satisfied;
    for (const auto& contest : satisfaction.shape.contests) {
      std::vector<std::uint8_t> row(contest.selections.size(), 0);
      for (std::size_t s = 0; s < row.size(); ++s) {
        if (contest.selections[s].id == satisfaction.shape.aggregate_limit->selection_id) row[s] = 1;
      }
      every_satisfied.push_back(row);
    }
    EXPECT_EQ(
        encrypt_ballot(satisfaction, "D0001", f.deputy.verify_key(), every_satisfied, f.random).error().code,
        ProtocolErrc::invalid_ballot);
  }
}

TEST(CastBallot, BallotForAnotherVoteOrRoundIsNamed) {
  Fixture f;
  const BallotDefinition d = f.definition_of(session::VoteKind::choose);
  const crypto::Bytes bytes =
      encrypt_ballot(d, "D0001", f.deputy.verify_key(), Fixture::valid_choices(d), f.random)->encode();
  BallotDefinition next_round = d;
  next_round.shape.round = 2;
  EXPECT_EQ(CastBallot::decode(bytes, next_round).error().code, ProtocolErrc::wrong_vote);
  EXPECT_EQ(CastBallot::decode(crypto::ByteView(bytes).first(bytes.size() - 1), d).error().code,
            ProtocolErrc::malformed);
  crypto::Bytes extended = bytes;
  extended.push_back(0);
  EXPECT_EQ(CastBallot::decode(extended, d).error().code, ProtocolErrc::malformed);
}

TEST(CastBallot, HeaderIsReadWithoutTheDefinition) {
  Fixture f;
  const BallotDefinition d = f.definition_of(session::VoteKind::choose);
  const crypto::Bytes bytes =
      encrypt_ballot(d, "D0001", f.deputy.verify_key(), Fixture::valid_choices(d), f.random)->encode();
  auto header = CastBallot::decode_header(bytes);
  ASSERT_TRUE(header) << header.error().message();
  EXPECT_EQ(header->vote_id, d.shape.vote_id);
  EXPECT_EQ(header->round, d.shape.round);
  EXPECT_EQ(header->deputy_id, "D0001");
  EXPECT_EQ(header->base_hash, d.base_hash());
  EXPECT_TRUE(header->contests.empty());
  EXPECT_EQ(CastBallot::decode_header(crypto::ByteView(bytes).first(10)).error().code, ProtocolErrc::malformed);
  crypto::Bytes wrong_magic = bytes;
  wrong_magic[0] = 'X';
  EXPECT_EQ(CastBallot::decode_header(wrong_magic).error().code, ProtocolErrc::malformed);
}

TEST(ConfirmationCode, IsSixteenCrockfordSymbolsInFourGroups) {
  crypto::Sha256Digest hash{};
  hash[0] = 0xff;
  const std::string code = confirmation_code(hash);
  EXPECT_EQ(code.size(), 19u);
  EXPECT_EQ(code.substr(0, 2), "ZW");  // 11111 111|00 ...
  EXPECT_EQ(code[4], '-');
  EXPECT_EQ(code.find_first_of("ILOU"), std::string::npos);
}

}  // namespace
}  // namespace hallvote::protocol
