#include "hallvote/auditor/receipt_check.h"

#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/events.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

Error error(AuditErrc code, std::string detail) { return Error{make_error_code(code), std::move(detail)}; }

// What the entry is for: its type and, for a cast ballot, the deputy, vote, round and confirmation code. The
// entry's bytes are the ones the inclusion proof placed in the log.
void describe_entry(const crypto::Bytes& bytes, ReceiptReport& report) {
  auto entry = decode(bytes);
  if (!entry) return;
  if (auto name = entry_type_name(static_cast<std::uint16_t>(entry->type))) report.entry_type = *name;
  if (entry->type != EntryType::ballot_cast) return;
  auto cast = protocol::decode_as<protocol::BallotCast>(entry->type, entry->payload);
  if (!cast) return;
  report.deputy_id = cast->deputy_id;
  report.vote_id = cast->vote_id;
  report.round = cast->round;
  report.terminal_id = cast->terminal_id;
  report.confirmation_code = protocol::confirmation_code(cast->ballot_hash);
}

}  // namespace

ReceiptReport check_receipt(std::string_view receipt_text, const Bundle& bundle) {
  ReceiptReport report;
  report.cosigners = bundle.cosigners.size();
  auto failed = [&](std::string check, Error e) {
    report.failure =
        Failure{std::move(check), report.index, std::nullopt, std::nullopt, "receipt", std::move(e)};
    return report;
  };
  auto receipt = Receipt::parse(receipt_text);
  if (!receipt) return failed("receipt.format", receipt.error());
  report.index = receipt->index;

  // The receipt alone: server-signed checkpoint, verifying cosignatures, the inclusion proof.
  auto verified = verify_receipt(*receipt, bundle.log_key, bundle.cosigners);
  if (!verified) return failed("receipt.proof", verified.error());
  describe_entry(receipt->entry, report);
  report.checkpoint_size = verified->checkpoint.size;
  report.cosigned_size = verified->checkpoint.size;
  report.cosigned_by = verified->cosigned_by;

  // The log holds the same entry at that index.
  if (receipt->index >= bundle.entries.size()) {
    return failed("receipt.entry",
                  error(AuditErrc::not_found,
                        "the log holds only " + std::to_string(bundle.entries.size()) + " entries"));
  }
  if (bundle.entries[receipt->index] != receipt->entry) {
    return failed("receipt.entry",
                  error(AuditErrc::chain_broken,
                        "entry " + std::to_string(receipt->index) + " in the log differs from the receipt's"));
  }

  // The log's latest signed checkpoint extends the receipt's: the log has not been forked or rewritten since.
  if (bundle.checkpoints.empty()) {
    return failed("receipt.consistency", error(AuditErrc::not_found, "the log holds no signed checkpoint"));
  }
  auto latest = verify_checkpoint_note(bundle.checkpoints.back(), bundle.log_key, bundle.cosigners);
  if (!latest) {
    return failed(
        "receipt.consistency",
        error(latest.error().code == AuditErrc::malformed ? AuditErrc::malformed : AuditErrc::invalid_signature,
              "the log's latest checkpoint does not verify: " + latest.error().message()));
  }
  const Checkpoint& newer = latest->checkpoint;
  const Checkpoint& older = verified->checkpoint;
  if (newer.size < older.size) {
    return failed("receipt.consistency",
                  error(AuditErrc::inconsistent_checkpoint,
                        "the log's latest checkpoint (size " + std::to_string(newer.size) +
                            ") is older than the receipt's (size " + std::to_string(older.size) +
                            "): use a newer bundle"));
  }
  if (newer.size > bundle.entries.size()) {
    return failed("receipt.consistency",
                  error(AuditErrc::root_mismatch,
                        "the log's latest checkpoint signs " + std::to_string(newer.size) +
                            " entries but the log holds " + std::to_string(bundle.entries.size())));
  }
  MerkleTree tree;
  for (std::uint64_t i = 0; i < newer.size; ++i) tree.append(leaf_hash(bundle.entries[i]));
  if (tree.root() != newer.root) {
    return failed("receipt.consistency",
                  error(AuditErrc::root_mismatch,
                        "the log's entries do not hash to its latest checkpoint's root: run verify"));
  }
  auto proof = tree.consistency_proof(older.size, newer.size);
  if (!proof || !verify_consistency(older.size, newer.size, older.root, newer.root, *proof)) {
    return failed("receipt.consistency",
                  error(AuditErrc::inconsistent_checkpoint,
                        "the receipt's checkpoint (size " + std::to_string(older.size) +
                            ") is not a prefix of the log's latest (size " + std::to_string(newer.size) + ")"));
  }
  report.latest_size = newer.size;
  // Cosignatures on the later checkpoint cover the entry too (it extends the receipt's).
  if (latest->cosigned_by.size() >= report.cosigned_by.size()) {
    report.cosigned_size = newer.size;
    report.cosigned_by = latest->cosigned_by;
  }
  return report;
}

}  // namespace hallvote::audit
