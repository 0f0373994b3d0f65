#include "hallvote/protocol/ballot_challenge.h"

#include "hallvote/crypto/elgamal.h"
#include "hallvote/protocol/errors.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::size_t kMaxDimension = 1024;

std::string position(const BallotDefinition& definition, std::size_t c, std::size_t s) {
  const auto& contest = definition.shape.contests[c];
  return "contest '" + contest.id + "' selection '" + contest.selections[s].id + "'";
}

// A JSON array of arrays of at most kMaxDimension each.
Result<const json*> nested(const json& object, const char* name, const std::string& where) {
  auto f = jf::field(object, name, where);
  if (!f) return forward(f.error());
  bool ok = (*f)->is_array() && (*f)->size() <= kMaxDimension;
  for (std::size_t i = 0; ok && i < (*f)->size(); ++i) {
    ok = (**f)[i].is_array() && (**f)[i].size() <= kMaxDimension;
  }
  if (!ok) {
    return fail(ProtocolErrc::malformed,
                where + "." + name + ": expected an array of at most 1024 arrays of at most 1024 values");
  }
  return *f;
}

}  // namespace

json ChallengeReveal::choices_json() const {
  json out = json::array();
  for (const auto& contest : choices) {
    json row = json::array();
    for (std::uint8_t choice : contest) row.push_back(choice);
    out.push_back(std::move(row));
  }
  return out;
}

json ChallengeReveal::nonces_json() const {
  json out = json::array();
  for (const auto& contest : nonces) {
    json row = json::array();
    for (const auto& nonce : contest) row.push_back(crypto::to_hex(nonce.encode()));
    out.push_back(std::move(row));
  }
  return out;
}

Result<ChallengeReveal> ChallengeReveal::from_json(const json& object, const std::string& where) {
  HALLVOTE_TRY(choices, nested(object, "choices", where));
  HALLVOTE_TRY(nonces, nested(object, "nonces", where));
  if ((*choices)->size() != (*nonces)->size()) {
    return fail(ProtocolErrc::malformed, where + ".nonces: not one array per contest of choices");
  }
  ChallengeReveal out;
  for (std::size_t c = 0; c < (*choices)->size(); ++c) {
    const json& choice_row = (**choices)[c];
    const json& nonce_row = (**nonces)[c];
    const std::string at = "[" + std::to_string(c) + "]";
    if (choice_row.size() != nonce_row.size()) {
      return fail(ProtocolErrc::malformed, where + ".nonces" + at + ": not one nonce per choice");
    }
    out.choices.emplace_back();
    out.nonces.emplace_back();
    for (std::size_t s = 0; s < choice_row.size(); ++s) {
      const std::string cell = at + "[" + std::to_string(s) + "]";
      if (!choice_row[s].is_number_unsigned() || choice_row[s].get<std::uint64_t>() > 1) {
        return fail(ProtocolErrc::malformed, where + ".choices" + cell + ": expected 0 or 1");
      }
      out.choices.back().push_back(choice_row[s].get<std::uint8_t>());
      auto bytes = nonce_row[s].is_string()
                       ? crypto::from_hex_fixed<32>(nonce_row[s].get<std::string>())
                       : Result<std::array<std::uint8_t, 32>>(fail(ProtocolErrc::malformed));
      auto scalar =
          bytes ? crypto::Scalar::decode(*bytes) : Result<crypto::Scalar>(fail(ProtocolErrc::malformed));
      if (!scalar) {
        return fail(ProtocolErrc::malformed,
                    where + ".nonces" + cell + ": expected a canonical scalar (hex(32))");
      }
      out.nonces.back().push_back(*scalar);
    }
  }
  return out;
}

ChallengeReveal reveal(const Choices& choices, const BallotNonces& nonces) {
  ChallengeReveal out{choices, {}};
  for (const auto& contest : nonces) {
    out.nonces.emplace_back();
    for (const auto& nonce : contest) out.nonces.back().push_back(nonce.reveal());
  }
  return out;
}

Status verify_reveal(const BallotDefinition& definition, const CastBallot& ballot, const ChallengeReveal& r) {
  const auto& contests = definition.shape.contests;
  if (r.choices.size() != contests.size() || r.nonces.size() != contests.size() ||
      ballot.contests.size() != contests.size()) {
    return fail(ProtocolErrc::challenge_mismatch, std::to_string(r.choices.size()) +
                                                      " contests revealed, the ballot has " +
                                                      std::to_string(contests.size()));
  }
  auto key = crypto::ElectionKey::decode(definition.election_key);
  if (!key) return fail(ProtocolErrc::malformed, "election key: " + key.error().detail);
  std::uint64_t aggregate = 0;
  for (std::size_t c = 0; c < contests.size(); ++c) {
    const auto& selections = contests[c].selections;
    if (r.choices[c].size() != selections.size() || r.nonces[c].size() != selections.size() ||
        ballot.contests[c].selections.size() != selections.size()) {
      return fail(ProtocolErrc::challenge_mismatch,
                  "contest '" + contests[c].id + "': not one choice and one nonce per selection");
    }
    std::uint64_t selected = 0;
    for (std::size_t s = 0; s < selections.size(); ++s) {
      if (r.choices[c][s] > 1)
        return fail(ProtocolErrc::malformed, position(definition, c, s) + ": not 0 or 1");
      selected += r.choices[c][s];
      if (definition.shape.aggregate_limit &&
          selections[s].id == definition.shape.aggregate_limit->selection_id)
        aggregate += r.choices[c][s];
      if (key->encrypt(r.choices[c][s], r.nonces[c][s]) != ballot.contests[c].selections[s]) {
        return fail(ProtocolErrc::challenge_mismatch,
                    "核验不符：" + position(definition, c, s) +
                        " 的密文不是所公开选择的加密 / the ciphertext of " + position(definition, c, s) +
                        " is not the encryption of the revealed choice with the revealed nonce");
      }
    }
    if (selected < contests[c].min_selected || selected > contests[c].max_selected) {
      return fail(ProtocolErrc::invalid_ballot, "contest '" + contests[c].id + "': " +
                                                    std::to_string(selected) + " selected, outside its limits");
    }
  }
  if (definition.shape.aggregate_limit && aggregate > definition.shape.aggregate_limit->max_total) {
    return fail(ProtocolErrc::invalid_ballot, "aggregate limit exceeded");
  }
  return {};
}

std::vector<std::string> ciphertext_keys(const CastBallot& ballot) {
  std::vector<std::string> out;
  for (const auto& contest : ballot.contests) {
    for (const auto& ciphertext : contest.selections) out.push_back(crypto::to_hex(ciphertext.encode()));
  }
  return out;
}

}  // namespace hallvote::protocol
