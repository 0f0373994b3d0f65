#include "hallvote/crypto/contest.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/batch_verifier.h"
#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/hash.h"

namespace hallvote::crypto {
namespace {

struct Fixture {
  DeterministicRandom random{42};
  SecretScalar secret = SecretScalar::random(random);
  ElectionKey key = ElectionKey::from_point(Point::base_mul(secret.reveal())).value();
  Bytes base_hash = Bytes(32, 0xab);
  Bytes voter = Bytes(32, 0x11);
  ProofContext context{base_hash, key, voter};

  std::uint64_t decrypt(const Ciphertext& c, std::uint64_t bound) {
    return bounded_dlog(c.beta - secret.reveal() * c.alpha, bound).value();
  }
};

const ContestShape kW1{10, 0, 3};  // 10 projects, choose at most 3

TEST(Contest, EncryptSumDecryptRoundTrip) {
  Fixture f;
  std::vector<Ciphertext> totals(10);
  std::vector<std::uint64_t> expected(10, 0);
  for (int ballot = 0; ballot < 30; ++ballot) {
    std::vector<std::uint8_t> choices(10, 0);
    for (int pick = 0; pick < ballot % 4; ++pick)
      choices[static_cast<std::size_t>((ballot * 7 + pick * 3) % 10)] = 1;
    auto contest = encrypt_contest(f.context, "c1", kW1, choices, f.random);
    ASSERT_TRUE(contest) << contest.error().message();
    ASSERT_TRUE(verify_contest(f.context, "c1", kW1, *contest));
    for (std::size_t i = 0; i < 10; ++i) {
      totals[i] += contest->selections[i];
      expected[i] += choices[i];
    }
  }
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(f.decrypt(totals[i], 30), expected[i]) << i;
}

TEST(Contest, EncodingRoundTripsAndVerifies) {
  Fixture f;
  const std::vector<std::uint8_t> choices = {1, 0, 0, 1, 0, 0, 0, 0, 1, 0};
  auto contest = encrypt_contest(f.context, "c1", kW1, choices, f.random).value();
  const Bytes bytes = contest.encode();
  EXPECT_EQ(bytes.size(), kW1.encoded_size());
  auto decoded = EncryptedContest::decode(bytes, kW1);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->encode(), bytes);
  EXPECT_TRUE(verify_contest(f.context, "c1", kW1, *decoded));
  EXPECT_EQ(EncryptedContest::decode(ByteView(bytes).first(bytes.size() - 1), kW1).error().code,
            CryptoErrc::invalid_encoding);
}

TEST(Contest, OvervoteCannotBeEncrypted) {
  Fixture f;
  const std::vector<std::uint8_t> four = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(encrypt_contest(f.context, "c1", kW1, four, f.random).error().code, CryptoErrc::out_of_range);
  const std::vector<std::uint8_t> two_votes_one_item = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(encrypt_contest(f.context, "c1", kW1, two_votes_one_item, f.random));
  const ContestShape exactly_one{3, 1, 1};
  const std::vector<std::uint8_t> none = {0, 0, 0};
  EXPECT_FALSE(encrypt_contest(f.context, "c1", exactly_one, none, f.random));
}

// An overvote produced by a dishonest terminal (valid 0/1 proofs, forged sum) is rejected: the sum proof for
// [0,3] cannot be made for 4 selections, so we reuse a sum proof from an honest 3-selection ballot.
TEST(Contest, OvervoteWithBorrowedSumProofIsRejected) {
  Fixture f;
  auto honest =
      encrypt_contest(f.context, "c1", kW1, std::vector<std::uint8_t>{1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, f.random)
          .value();
  auto extra =
      encrypt_contest(f.context, "c1", kW1, std::vector<std::uint8_t>{0, 0, 0, 1, 0, 0, 0, 0, 0, 0}, f.random)
          .value();
  honest.selections[3] = extra.selections[3];
  honest.selection_proofs[3] = extra.selection_proofs[3];
  auto verdict = verify_contest(f.context, "c1", kW1, honest);
  ASSERT_FALSE(verdict);
  EXPECT_EQ(verdict.error().code, CryptoErrc::invalid_proof);
  EXPECT_NE(verdict.error().detail.find("sum proof"), std::string::npos) << verdict.error().detail;
}

// Every 32-byte element of the encoding, replaced by another valid element, makes verification fail.
TEST(Contest, AnySingleElementChangedIsRejected) {
  Fixture f;
  const ContestShape shape{3, 0, 2};
  auto contest = encrypt_contest(f.context, "c1", shape, std::vector<std::uint8_t>{0, 1, 1}, f.random).value();
  const Bytes bytes = contest.encode();
  ASSERT_EQ(bytes.size() % 32, 0u);
  // Layout (docs/crypto.md §5): per selection α, β, then 2 branches of a, b, c, v; then the sum proof's
  // branches.
  const std::size_t selection_fields = 2 + 2 * 4;
  for (std::size_t at = 0; at < bytes.size(); at += 32) {
    const std::size_t field_index = at / 32;
    const std::size_t in_selections = shape.selections * selection_fields;
    const std::size_t position =
        field_index < in_selections ? field_index % selection_fields : 2 + (field_index - in_selections) % 4;
    const bool is_point = position < 2 || (position - 2) % 4 < 2;
    Bytes changed = bytes;
    const ByteView field(bytes.data() + at, 32);
    std::array<std::uint8_t, 32> replacement{};
    if (is_point) {
      replacement = (Point::decode(field).value() + Point::generator()).encode();
    } else {
      replacement = (Scalar::decode(field).value() + Scalar::from_u64(1)).encode();
    }
    std::copy(replacement.begin(), replacement.end(), changed.begin() + static_cast<std::ptrdiff_t>(at));
    auto decoded = EncryptedContest::decode(changed, shape);
    ASSERT_TRUE(decoded) << "field at " << at;
    EXPECT_FALSE(verify_contest(f.context, "c1", shape, *decoded))
        << "field at " << at << " changed, still verifies";
  }
}

TEST(Contest, ProofsAreBoundToVoteKeyContestAndPosition) {
  Fixture f;
  auto contest =
      encrypt_contest(f.context, "c1", kW1, std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0, 0, 0, 0, 0}, f.random)
          .value();
  const Bytes other_vote(32, 0xac);
  EXPECT_FALSE(verify_contest({other_vote, f.key, f.voter}, "c1", kW1, contest));
  const Bytes other_voter(32, 0x12);  // a copied ballot does not verify for another deputy
  EXPECT_FALSE(verify_contest({f.base_hash, f.key, other_voter}, "c1", kW1, contest));
  const ElectionKey other_key = ElectionKey::from_point(Point::base_mul(Scalar::random(f.random))).value();
  EXPECT_FALSE(verify_contest({f.base_hash, other_key, f.voter}, "c1", kW1, contest));
  EXPECT_FALSE(verify_contest(f.context, "c2", kW1, contest));
  std::swap(contest.selections[0], contest.selections[1]);
  std::swap(contest.selection_proofs[0], contest.selection_proofs[1]);
  EXPECT_FALSE(verify_contest(f.context, "c1", kW1, contest));
}

// The prover's output for a fixed random source, pinned: speed changes to encryption and proving (joint
// commitments, batched encodings) must reproduce these bytes exactly, because the proof equations, the draw
// order of the randomness (docs/crypto.md §4.1) and the encodings are part of the specification. The digests
// were recorded with the straightforward prover (three fixed-base multiplications and one encoding at a time).
TEST(Contest, ProverOutputIsPinned) {
  struct Case {
    ContestShape shape;
    std::vector<std::uint8_t> choices;
    const char* sha256;
  };
  const std::vector<Case> cases = {
      {kW1, {1, 0, 0, 1, 0, 0, 1, 0, 0, 0}, "72a41ae217c353bbd1a2666f05c8754407eb9c0b130afc9f7121c208adac8662"},
      {kW1, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "34541868564bd3efbbd7fe64575f97a71926e3468c5959c31ff357e84b8db662"},
      {ContestShape{3, 1, 1}, {0, 1, 0}, "66cc10609404a3a110b6512b78e2a47ea031c047ede00547421bfb157ea67c40"},
      {ContestShape{13, 2, 10},
       {1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0},
       "ccb0d1420ead8dcf2179b149acb01304588c0378263f7613e4cce3eee182b467"},
  };
  Fixture f;
  for (const auto& c : cases) {
    const Bytes bytes = encrypt_contest(f.context, "pinned", c.shape, c.choices, f.random).value().encode();
    EXPECT_EQ(to_hex(sha256(bytes)), c.sha256) << c.shape.selections << " selections";
  }
  DeterministicRandom random(3);
  const Scalar nonce = Scalar::random(random);
  const Ciphertext ciphertext = f.key.encrypt(5, nonce);
  const RangeProof proof = prove_range(f.context, {"pinned", 7}, ciphertext, 5, nonce, 2, 9, random);
  EXPECT_EQ(to_hex(sha256(proof.encode())), "8a1133b5b1f3c1492487efeb6707c9523799da605d240c3ea0473e7e1b5fbcda");
  EXPECT_TRUE(verify_range(f.context, {"pinned", 7}, ciphertext, 2, 9, proof));
}

TEST(Contest, ShapeMismatchIsNamed) {
  Fixture f;
  auto contest = encrypt_contest(f.context, "c1", kW1, std::vector<std::uint8_t>(10, 0), f.random).value();
  EXPECT_FALSE(verify_contest(f.context, "c1", ContestShape{10, 0, 2}, contest));
  EXPECT_FALSE(verify_contest(f.context, "c1", ContestShape{11, 0, 3}, contest));
  EXPECT_EQ(ContestShape({5, 3, 2}).validate().error().code, CryptoErrc::out_of_range);
  EXPECT_FALSE(ContestShape({0, 0, 0}).validate());
}

// A contest refused at its challenge check (here the sum proof's, checked after the selections') adds nothing
// to the batch: the other ballots in it still verify together, so a failing batch never blames an honest
// ballot.
TEST(Contest, RefusedContestLeavesTheBatchAsItWas) {
  Fixture f;
  std::vector<std::uint8_t> choices(10, 0);
  choices[2] = 1;
  const auto good = encrypt_contest(f.context, "c1", kW1, choices, f.random).value();
  auto bad = encrypt_contest(f.context, "c1", kW1, choices, f.random).value();
  bad.sum_proof.branches[0].challenge += Scalar::from_u64(1);
  BatchVerifier batch(&f.key.table(), f.random);
  ASSERT_TRUE(add_contest(batch, f.context, "c1", kW1, good));
  const auto refused = add_contest(batch, f.context, "c1", kW1, bad);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("sum proof"), std::string::npos) << refused.error().detail;
  EXPECT_TRUE(batch.holds());
}

}  // namespace
}  // namespace hallvote::crypto
