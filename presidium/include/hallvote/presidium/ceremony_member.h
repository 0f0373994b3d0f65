// One member's part of the key ceremony (docs/crypto.md §6.5), run on the member's own machine with only the
// member's own secrets: the signing key, a box key made for this ceremony, the member's polynomial (wiped when
// this returns) and the shares sent to the member. Everything else comes from the board and is checked by the
// transcript: no other party's word is taken for anything.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "hallvote/common/result.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/crypto/threshold.h"
#include "hallvote/hall/ceremony_board.h"
#include "hallvote/protocol/key_ceremony.h"

namespace hallvote::presidium {

struct MemberCeremony {
  const setup::CeremonyBoard* board = nullptr;
  // The call as the member checked it against their own session files (CeremonyCall::matches): the board's
  // call.json is not read again, so a call swapped on the board afterwards changes nothing.
  protocol::CeremonyCall call;
  std::string member;                           // the member's official id, on the call
  const crypto::SigningKey* signing = nullptr;  // the member's own key: it signs every message
  // How long to wait for the other members at each step before naming who did not answer.
  std::chrono::milliseconds deadline = std::chrono::minutes(10);
  std::chrono::milliseconds poll = std::chrono::milliseconds(100);
  std::function<void(const std::string&)> progress;  // one line per step (no secrets); may be empty
  // Shows `spoken` (a roster or key fingerprint: `what` says which) for the members to compare aloud; true to
  // sign it. Empty: confirmed.
  std::function<bool(const std::string& what, const std::string& spoken)> confirm;
  crypto::RandomSource* random = nullptr;  // the polynomial's randomness; null: the system's
  // How a member is named in progress and errors (e.g. "王某（C05）"); empty: by id.
  std::function<std::string(const std::string& id)> describe;
};

struct MemberCeremonyResult {
  crypto::KeyShare share;  // xⱼ, checked against the trustee key the transcript makes
  protocol::CeremonyRecord record;
};

// Runs the member's steps: join, roll call (after `confirm` of the roster), commit, deal, verify (complaining
// about each dealer whose share to this member does not check), resolve (disclosing the shares complained
// about, when accused), final_key (after `confirm` of the key fingerprint), then checks the whole transcript
// with protocol::verify_ceremony. Fails with std::errc::timed_out naming the members who did not answer a step
// within the deadline (the chair may call a new attempt without them), std::errc::operation_canceled when the
// member declined to confirm, or the transcript's error (e.g. fewer than k qualified dealers: restart).
[[nodiscard]] Result<MemberCeremonyResult> run_member_ceremony(const MemberCeremony& ceremony);

}  // namespace hallvote::presidium
