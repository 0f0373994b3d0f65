// The key ceremony of a demo or test hall: the Pedersen DKG of crypto/threshold.h for the session's key
// committee (k = quorum, n = members; trustee j = the j-th member), run for every member in ONE process. In a
// real hall each member runs their own part on their own machine and only commitments, reveals and sealed
// shares travel; here one process sees every secret, so the result is for demonstrations and tests only.
//
// It verifies every reveal against its commitment and every share against the dealer's commitments, and checks
// each member's combined share against the public trustee key, then writes into `out`:
//   <official id>.share   key file kind "threshold-share": the 32-byte scalar xⱼ (little-endian, as
//   Scalar::encode) <official id>.sign    key file kind "ed25519-seed": the member's approval/certification
//   signing seed election.json         setup::ElectionRecord (election key, k, n, trustee ids and keys,
//   ceremony id) officials.json        {official id: signing public key hex} (hallvote-server init --officials)
// Both key files of a member are sealed with passphrase_prefix + official id, 0600.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/key_file.h"
#include "hallvote/hall/election.h"
#include "hallvote/session/definition.h"

namespace hallvote::presidium {

inline constexpr const char* kShareKind = "threshold-share";
inline constexpr const char* kSigningKind = "ed25519-seed";

struct CeremonyOptions {
  std::filesystem::path out;
  std::string passphrase_prefix;
  crypto::KdfParams kdf = crypto::KdfParams::moderate();
  std::function<void(const std::string&)> progress;  // one line per step (no secrets); may be empty
};

struct CeremonyResult {
  setup::ElectionRecord election;
  nlohmann::json officials;  // {id: public key hex}
};

// Fails with the crypto error naming the dealer or member whose reveal or share does not verify, or a file
// error.
[[nodiscard]] Result<CeremonyResult> run_demo_ceremony(const session::SessionDefinition& session,
                                                       const CeremonyOptions& options);

// The file names of a member's keys in a ceremony folder.
[[nodiscard]] std::filesystem::path share_file(const std::filesystem::path& dir,
                                               const std::string& official_id);
[[nodiscard]] std::filesystem::path signing_file(const std::filesystem::path& dir,
                                                 const std::string& official_id);

}  // namespace hallvote::presidium
