#include "hallvote/presidium/ceremony.h"

#include "hallvote/crypto/sealed_box.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/hall/files.h"

namespace hallvote::presidium {

std::filesystem::path share_file(const std::filesystem::path& dir, const std::string& official_id) {
  return dir / (official_id + ".share");
}

std::filesystem::path signing_file(const std::filesystem::path& dir, const std::string& official_id) {
  return dir / (official_id + ".sign");
}

Result<CeremonyResult> run_demo_ceremony(const session::SessionDefinition& session,
                                         const CeremonyOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  const auto& members = session.key_committee.members;
  const crypto::ThresholdParams params{session.key_committee.quorum, static_cast<std::uint32_t>(members.size()),
                                       session.info.id};
  if (auto ok = params.validate(); !ok) return forward(ok.error());

  // Round 1: every trustee draws its polynomial and commits.
  std::vector<crypto::BoxKeyPair> boxes;
  std::vector<crypto::Dealer> dealers;
  std::vector<crypto::DealerCommitment> commitments;
  for (std::uint32_t i = 1; i <= params.n; ++i) {
    boxes.push_back(crypto::BoxKeyPair::generate());
    auto dealer = crypto::Dealer::create(params, i);
    if (!dealer) return forward(dealer.error());
    dealers.push_back(std::move(*dealer));
    commitments.push_back(dealers.back().commitment());
  }
  say("第一轮：" + std::to_string(params.n) + " 名受托人提交承诺 / round 1: commitments of all " +
      std::to_string(params.n) + " trustees");

  // Round 2: reveals, each checked against its commitment and proof (as transmitted: encoded and decoded).
  std::vector<crypto::DealerReveal> reveals;
  for (std::uint32_t i = 1; i <= params.n; ++i) {
    auto reveal = crypto::DealerReveal::decode(dealers[i - 1].reveal().encode());
    if (!reveal) return forward(reveal.error());
    if (auto ok = crypto::verify_reveal(params, commitments[i - 1], *reveal); !ok) {
      return fail(ok.error().code, members[i - 1].id + ": " + ok.error().message());
    }
    reveals.push_back(std::move(*reveal));
  }
  say("第二轮：全部系数承诺与知识证明有效 / round 2: every reveal matches its commitment and proves knowledge");
  auto key = crypto::ThresholdKey::from_reveals(params, reveals);
  if (!key) return forward(key.error());

  CeremonyResult result;
  result.election.ceremony_id = params.ceremony_id;
  result.election.k = params.k;
  result.election.n = params.n;
  result.election.election_key = key->election_key.encode();
  result.officials = nlohmann::json::object();
  for (std::uint32_t j = 1; j <= params.n; ++j) {
    const auto& member = members[j - 1];
    std::vector<crypto::SecretScalar> opened;
    for (std::uint32_t i = 1; i <= params.n; ++i) {
      const crypto::Bytes sealed = dealers[i - 1].sealed_share_for(j, boxes[j - 1].public_key());
      auto share = crypto::open_share(params, j, boxes[j - 1], reveals[i - 1], sealed);
      if (!share) return fail(share.error().code, member.id + ": " + share.error().message());
      opened.push_back(std::move(*share));
    }
    const crypto::KeyShare share = crypto::KeyShare::combine(j, opened);
    const auto public_share = key->trustee_keys[j - 1].encode();
    if (crypto::Point::base_mul(share.secret.reveal()).encode() != public_share) {
      return fail(crypto::CryptoErrc::invalid_share,
                  member.id + ": 份额与公钥不符 / share does not match its public key");
    }
    const crypto::SigningKey signing = crypto::SigningKey::generate();
    const std::string passphrase = options.passphrase_prefix + member.id;
    auto secret = share.secret.reveal().encode();
    auto written =
        setup::write_sealed(share_file(options.out, member.id), kShareKind, secret, passphrase, options.kdf);
    crypto::secure_wipe(secret);
    if (!written) return forward(written.error());
    if (auto ok = setup::write_sealed(signing_file(options.out, member.id), kSigningKind,
                                      signing.seed().reveal(), passphrase, options.kdf);
        !ok) {
      return forward(ok.error());
    }
    result.election.trustee_ids.push_back(member.id);
    result.election.trustee_keys.push_back(public_share);
    result.officials[member.id] = signing.verify_key().hex();
    say(std::string(session::display_name_zh(member.role)) + " " + member.name + "（" + member.id +
        "）：份额已校验并加密保存 / share verified and sealed");
  }
  if (auto ok = setup::write_file(options.out / "election.json", result.election.to_json().dump(2) + "\n",
                                  setup::FileMode::plain);
      !ok) {
    return forward(ok.error());
  }
  if (auto ok = setup::write_file(options.out / "officials.json", result.officials.dump(2) + "\n",
                                  setup::FileMode::plain);
      !ok) {
    return forward(ok.error());
  }
  return result;
}

}  // namespace hallvote::presidium
