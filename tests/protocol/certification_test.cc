#include "hallvote/protocol/certification.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/random.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::protocol {
namespace {

using session::OfficialRole;

// 3 presidium members, a chief scrutineer and 2 scrutineers, quorum 2: q = 2.
struct Committee {
  crypto::DeterministicRandom random{11};
  session::KeyCommittee committee;
  std::vector<crypto::SigningKey> keys;

  Committee() {
    const std::vector<std::pair<std::string, OfficialRole>> members = {
        {"P01", OfficialRole::presidium_member}, {"P02", OfficialRole::presidium_member},
        {"P03", OfficialRole::presidium_member}, {"C01", OfficialRole::chief_scrutineer},
        {"S01", OfficialRole::scrutineer},       {"S02", OfficialRole::scrutineer}};
    for (const auto& [id, role] : members) {
      keys.push_back(crypto::SigningKey::generate(random));
      committee.members.push_back({id, "成员" + id, role, keys.back().verify_key().hex(), ""});
    }
    committee.quorum = 2;
  }
};

// The signed bytes: ⟨"certification"; session, vote, u64 round, u64 sequence, hash, official, role⟩.
TEST(CertificationMessage, IsTheDocumentedHashInput) {
  ResultHash hash{};
  hash.fill(0xab);
  const auto bytes = certification_message("s1", "V1", 2, 7, hash, "C01", "chief_scrutineer");
  crypto::Bytes expected;
  auto append = [&](std::string_view text) { expected.insert(expected.end(), text.begin(), text.end()); };
  auto length = [&](std::uint64_t n) {
    for (int shift = 56; shift >= 0; shift -= 8) expected.push_back(static_cast<std::uint8_t>(n >> shift));
  };
  append("hallvote/v1/certification");
  expected.push_back(0);
  length(2), append("s1");
  length(2), append("V1");
  length(8), length(2);
  length(8), length(7);
  length(32), expected.insert(expected.end(), hash.begin(), hash.end());
  length(3), append("C01");
  length(16), append("chief_scrutineer");
  EXPECT_EQ(bytes, expected);
  EXPECT_EQ(bytes.size(), 26u + 8 + 2 + 8 + 2 + 16 + 16 + 40 + 8 + 3 + 8 + 16);
}

TEST(CertificationRule, ScrutineersFirstThenQPresidiumMembers) {
  Committee c;
  std::vector<std::string> signers;
  auto progress = certification_progress(c.committee, signers);
  EXPECT_FALSE(progress.complete);
  EXPECT_EQ(progress.missing_scrutineers, (std::vector<std::string>{"C01", "S01", "S02"}));
  EXPECT_EQ(progress.presidium_needed, 2u);

  EXPECT_EQ(check_next_certifier(c.committee, signers, "P01").error().code,
            ProtocolErrc::invalid_certification);
  EXPECT_EQ(check_next_certifier(c.committee, signers, "X9").error().code, ProtocolErrc::invalid_certification);
  for (const char* id : {"S02", "C01"}) {
    ASSERT_TRUE(check_next_certifier(c.committee, signers, id));
    signers.push_back(id);
  }
  EXPECT_EQ(check_next_certifier(c.committee, signers, "C01").error().code,
            ProtocolErrc::invalid_certification);
  EXPECT_FALSE(check_next_certifier(c.committee, signers, "P02"));  // S01 still missing
  signers.push_back("S01");
  progress = certification_progress(c.committee, signers);
  EXPECT_TRUE(progress.missing_scrutineers.empty());
  EXPECT_FALSE(progress.complete);
  ASSERT_TRUE(check_next_certifier(c.committee, signers, "P03"));
  signers.push_back("P03");
  ASSERT_TRUE(check_next_certifier(c.committee, signers, "P01"));
  signers.push_back("P01");
  progress = certification_progress(c.committee, signers);
  EXPECT_TRUE(progress.complete);
  EXPECT_EQ(progress.presidium_signed, 2u);
  EXPECT_EQ(progress.signed_ids, signers);
  EXPECT_EQ(check_next_certifier(c.committee, signers, "P02").error().code,
            ProtocolErrc::invalid_certification);
  const auto json = progress.to_json();
  EXPECT_EQ(json["complete"], true);
  EXPECT_EQ(json["signed"].size(), 5u);
}

TEST(CertificationRule, PresidiumSignaturesBeforeTheScrutineersDoNotCount) {
  Committee c;
  const std::vector<std::string> signers = {"P01", "C01", "S01", "S02", "P02"};
  const auto progress = certification_progress(c.committee, signers);
  EXPECT_EQ(progress.presidium_signed, 1u);
  EXPECT_FALSE(progress.complete);
}

TEST(CertificationRule, QIsCappedByThePresidiumSizeAndNoScrutineersNeedsOnlyQ) {
  Committee c;
  c.committee.quorum = 5;  // more than the 3 presidium members
  EXPECT_EQ(certification_progress(c.committee, {}).presidium_needed, 3u);
  session::KeyCommittee presidium_only;
  presidium_only.members = {c.committee.members[0], c.committee.members[1]};
  presidium_only.quorum = 1;
  const std::vector<std::string> one = {"P02"};
  EXPECT_TRUE(certification_progress(presidium_only, one).complete);
}

TEST(Certification, PayloadRoundTripsAndSignaturesVerify) {
  Committee c;
  Certification cert;
  cert.vote_id = "V1";
  cert.round = 1;
  cert.result_sequence = 42;
  cert.result_hash.fill(7);
  cert.certifier = "S01";
  cert.name = "成员S01";
  cert.role = "scrutineer";
  cert.signature =
      c.keys[4].sign(certification_message("s1", "V1", 1, 42, cert.result_hash, "S01", "scrutineer"));
  const auto payload = cert.to_payload();
  EXPECT_EQ(payload.dump(),
            "{\"certifier\":\"S01\",\"complete\":false,\"name\":\"成员S01\",\"result_hash\":\"" +
                crypto::to_hex(cert.result_hash) +
                "\",\"result_sequence\":42,\"role\":\"scrutineer\",\"round\":1,\"signature\":\"" +
                crypto::to_hex(cert.signature) + "\",\"vote_id\":\"V1\"}");
  const auto back = Certification::from_payload(payload);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->to_payload(), payload);
  EXPECT_TRUE(verify_certification(c.committee, "s1", "V1", 1, 42, cert.result_hash, "S01", cert.signature));
  // Another session, round, sequence or signer: refused.
  EXPECT_EQ(verify_certification(c.committee, "s2", "V1", 1, 42, cert.result_hash, "S01", cert.signature)
                .error()
                .code,
            ProtocolErrc::invalid_certification);
  EXPECT_FALSE(verify_certification(c.committee, "s1", "V1", 2, 42, cert.result_hash, "S01", cert.signature));
  EXPECT_FALSE(verify_certification(c.committee, "s1", "V1", 1, 41, cert.result_hash, "S01", cert.signature));
  EXPECT_FALSE(verify_certification(c.committee, "s1", "V1", 1, 42, cert.result_hash, "S02", cert.signature));
  // Missing or mistyped fields are malformed, naming the field.
  for (const char* field : {"vote_id", "round", "result_sequence", "result_hash", "certifier", "name", "role",
                            "signature", "complete"}) {
    auto broken = payload;
    broken.erase(field);
    const auto refused = Certification::from_payload(broken);
    ASSERT_FALSE(refused) << field;
    EXPECT_EQ(refused.error().code, ProtocolErrc::malformed);
    EXPECT_NE(refused.error().detail.find(field), std::string::npos) << refused.error().detail;
  }
  auto zero_round = payload;
  zero_round["round"] = 0;
  EXPECT_FALSE(Certification::from_payload(zero_round));
  auto bad_role = payload;
  bad_role["role"] = "chair";
  EXPECT_FALSE(Certification::from_payload(bad_role));
}

}  // namespace
}  // namespace hallvote::protocol
