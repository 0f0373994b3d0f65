// election.json: the public result of the presidium's key ceremony, as the server and auditors take it.
//   {"ceremony_id": text, "k": quorum, "n": members, "election_key": 64 hex,
//    "trustee_ids": [official id of trustee 1..n], "trustee_keys": [64 hex, trustee j's public share at j-1]}
// Trustee j (1-based) is the j-th member of the session's key committee.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/session/definition.h"

namespace hallvote::setup {

struct ElectionRecord {
  std::string ceremony_id;
  std::uint32_t k = 0;
  std::uint32_t n = 0;
  std::array<std::uint8_t, 32> election_key{};
  std::vector<std::string> trustee_ids;
  std::vector<std::array<std::uint8_t, 32>> trustee_keys;

  [[nodiscard]] nlohmann::json to_json() const;
  // Checks every field's type and encoding (std::errc::invalid_argument naming the field).
  [[nodiscard]] static Result<ElectionRecord> from_json(const nlohmann::json& json);
  // Ok when k, n and the trustee ids match the session's key committee (in order).
  [[nodiscard]] Status matches(const session::KeyCommittee& committee) const;
  // The threshold key for decryption (every point decoded and validated; the crypto error otherwise).
  [[nodiscard]] Result<crypto::ThresholdKey> threshold_key() const;
};

}  // namespace hallvote::setup
