// RFC 6962 / RFC 9162 Merkle tree hashing with SHA-256: leaf and node hashes, roots of any size, inclusion and
// consistency proofs, and their verification (RFC 9162 §2.1.3.2 and §2.1.4.2). Format: docs/audit-log.md §4.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/hash.h"

namespace hallvote::audit {

using Hash = crypto::Sha256Digest;

// SHA-256(0x00 ‖ leaf).
[[nodiscard]] Hash leaf_hash(crypto::ByteView leaf);
// SHA-256(0x01 ‖ left ‖ right).
[[nodiscard]] Hash node_hash(const Hash& left, const Hash& right);
// SHA-256 of the empty string: the root of the empty tree.
[[nodiscard]] Hash empty_root();

// Ok when `proof` shows that the leaf with hash `leaf` is at `index` in the tree of `size` leaves with `root`;
// otherwise AuditErrc::invalid_proof (index >= size, wrong length, or a different root).
[[nodiscard]] Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size,
                                      std::span<const Hash> proof, const Hash& root);

// Ok when `proof` shows that the tree of `old_size` leaves with `old_root` is a prefix of the tree of
// `new_size` leaves with `new_root`. Equal sizes need an empty proof and equal roots; old_size 0 needs an empty
// proof. Otherwise AuditErrc::invalid_proof.
[[nodiscard]] Status verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                                        const Hash& new_root, std::span<const Hash> proof);

// An append-only Merkle tree over leaf hashes, held in memory as the hashes of every complete aligned subtree
// (about 64 bytes per leaf), so that roots and proofs for any earlier size cost O(log n) hashes.
// Not thread-safe: callers serialise access (AuditLog holds it under its writer mutex).
class MerkleTree {
 public:
  void append(const Hash& leaf);
  [[nodiscard]] std::uint64_t size() const noexcept { return levels_.empty() ? 0 : levels_[0].size(); }
  [[nodiscard]] const Hash& leaf(std::uint64_t index) const { return levels_[0][index]; }

  // The root of the first `size` leaves; AuditErrc::not_found when size > size().
  [[nodiscard]] Result<Hash> root(std::uint64_t size) const;
  [[nodiscard]] Hash root() const { return *root(size()); }
  // The audit path of leaf `index` in the tree of the first `size` leaves (RFC 6962 §2.1.1, leaf level first).
  // AuditErrc::not_found unless index < size <= size().
  [[nodiscard]] Result<std::vector<Hash>> inclusion_proof(std::uint64_t index, std::uint64_t size) const;
  // The consistency proof between the first `old_size` and `new_size` leaves (RFC 6962 §2.1.2); empty when
  // old_size is 0 or equal to new_size. AuditErrc::not_found unless old_size <= new_size <= size().
  [[nodiscard]] Result<std::vector<Hash>> consistency_proof(std::uint64_t old_size,
                                                            std::uint64_t new_size) const;

 private:
  Hash range_hash(std::uint64_t begin, std::uint64_t end) const;
  void path(std::uint64_t index, std::uint64_t begin, std::uint64_t end, std::vector<Hash>& out) const;
  void subproof(std::uint64_t old_size, std::uint64_t begin, std::uint64_t end, bool complete,
                std::vector<Hash>& out) const;

  // levels_[k][i] = hash of leaves [i·2^k, (i+1)·2^k).
  std::vector<std::vector<Hash>> levels_;
};

// The root of a list of leaf hashes, computed with a stack (no tree kept).
[[nodiscard]] Hash root_of(std::span<const Hash> leaves);

}  // namespace hallvote::audit
