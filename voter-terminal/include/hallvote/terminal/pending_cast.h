// A signed ballot the terminal sent but holds no verified receipt for yet, and where it is kept so that it
// survives the terminal's own restart (docs/protocol.md §4.2.5 "Pending ballot"). Resending exactly these bytes
// is the only way to learn whether the ballot counts and to get its receipt; re-encrypting makes a different
// ballot, which the server refuses (already_cast) once the first one is in the log.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/session/definition.h"
#include "hallvote/tlog/checkpoint.h"

namespace hallvote::terminal {

struct PendingCast {
  std::string vote_id;  // vote_id, round, deputy_id and base_hash are read from the ballot's own header
  std::uint32_t round = 0;
  std::string deputy_id;
  protocol::BaseHash base_hash{};
  crypto::Bytes ballot;  // the encoded ballot (protocol.md §6.1), as sent
  crypto::Signature signature{};

  // Reads the header of `ballot` (ProtocolErrc::malformed when it has none).
  [[nodiscard]] static Result<PendingCast> of(crypto::Bytes ballot, const crypto::Signature& signature);

  // The kept form: four lines "hallvote-pending-cast 1", "ballot <hex>", "signature <hex>", "sha256 <hex of
  // SHA-256 over the three lines before, newlines included>".
  [[nodiscard]] std::string to_text() const;
  // Reads the kept form and checks it before anything is sent: the layout and checksum (else
  // ProtocolErrc::malformed, "damaged"), the ballot's header, and the signature under the credential key that
  // `session`'s roster gives the ballot's deputy (else ProtocolErrc::wrong_credential, "tampered with").
  [[nodiscard]] static Result<PendingCast> parse(std::string_view text,
                                                 const session::SessionDefinition& session);
};

// Keeps at most one pending ballot per deputy. Implementations make save() and remove() durable before they
// return. Not thread-safe.
class PendingCastStore {
 public:
  virtual ~PendingCastStore() = default;
  // Keeps `pending` for its deputy, replacing an earlier one.
  [[nodiscard]] virtual Status save(const PendingCast& pending) = 0;
  // The deputy's kept ballot, checked as PendingCast::parse does (and that it is this deputy's), or nullopt.
  [[nodiscard]] virtual Result<std::optional<PendingCast>> load(std::string_view deputy_id) = 0;
  // Forgets the deputy's kept ballot; no error when there is none.
  [[nodiscard]] virtual Status remove(std::string_view deputy_id) = 0;
  // The largest checkpoint of the log this terminal has verified (in a receipt), kept across the terminal's
  // restarts so that a rolled-back or forked log is noticed after a restart too (docs/protocol.md §4.2.5).
  [[nodiscard]] virtual Status save_checkpoint(const audit::Checkpoint& checkpoint) = 0;
  // The kept checkpoint, nullopt when none is kept; a file that does not read back as a checkpoint is an error.
  [[nodiscard]] virtual Result<std::optional<audit::Checkpoint>> load_checkpoint() = 0;
};

// One file per deputy, <folder>/<terminal id>-<deputy id>.pending-cast, and the checkpoint in
// <folder>/<terminal id>.checkpoint (its C2SP text: origin, size, root), each written atomically and synced
// (file and folder) before the call returns. The folder is created when needed.
class PendingCastFiles final : public PendingCastStore {
 public:
  // `session` must outlive the store.
  PendingCastFiles(std::filesystem::path folder, std::string terminal_id,
                   const session::SessionDefinition& session)
      : folder_(std::move(folder)), terminal_id_(std::move(terminal_id)), session_(session) {}

  [[nodiscard]] Status save(const PendingCast& pending) override;
  [[nodiscard]] Result<std::optional<PendingCast>> load(std::string_view deputy_id) override;
  [[nodiscard]] Status remove(std::string_view deputy_id) override;
  [[nodiscard]] Status save_checkpoint(const audit::Checkpoint& checkpoint) override;
  [[nodiscard]] Result<std::optional<audit::Checkpoint>> load_checkpoint() override;
  // The file that keeps `deputy_id`'s pending ballot (invalid_argument for an id unfit for a file name).
  [[nodiscard]] Result<std::filesystem::path> path_of(std::string_view deputy_id) const;

 private:
  std::filesystem::path folder_;
  std::string terminal_id_;
  const session::SessionDefinition& session_;
};

}  // namespace hallvote::terminal
