#include "hallvote/tlog/merkle.h"

#include <bit>

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

// The largest power of two strictly less than n (n >= 2).
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

}  // namespace

Hash leaf_hash(crypto::ByteView leaf) {
  crypto::Sha256 h;
  h.update(std::uint8_t{0x00});
  h.update(leaf);
  return h.finish();
}

Hash node_hash(const Hash& left, const Hash& right) {
  crypto::Sha256 h;
  h.update(std::uint8_t{0x01});
  h.update(left);
  h.update(right);
  return h.finish();
}

Hash empty_root() { return crypto::sha256({}); }

Status verify_inclusion(const Hash& leaf, std::uint64_t index, std::uint64_t size, std::span<const Hash> proof,
                        const Hash& root) {
  if (index >= size) return fail(AuditErrc::invalid_proof, "leaf index beyond tree size");
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : proof) {
    if (sn == 0) return fail(AuditErrc::invalid_proof, "inclusion proof too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return fail(AuditErrc::invalid_proof, "inclusion proof too short");
  if (r != root) return fail(AuditErrc::invalid_proof, "inclusion proof leads to a different root");
  return {};
}

Status verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash& old_root,
                          const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return fail(AuditErrc::invalid_proof, "old size larger than new size");
  if (old_size == new_size) {
    if (!proof.empty()) return fail(AuditErrc::invalid_proof, "non-empty proof between equal sizes");
    if (old_root != new_root) return fail(AuditErrc::invalid_proof, "different roots at the same size");
    return {};
  }
  if (old_size == 0) {
    if (!proof.empty()) return fail(AuditErrc::invalid_proof, "non-empty proof from the empty tree");
    return {};
  }
  if (proof.empty()) return fail(AuditErrc::invalid_proof, "empty consistency proof");
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return fail(AuditErrc::invalid_proof, "consistency proof too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return fail(AuditErrc::invalid_proof, "consistency proof too short");
  if (fr != old_root) return fail(AuditErrc::invalid_proof, "consistency proof does not match the old root");
  if (sr != new_root) return fail(AuditErrc::invalid_proof, "consistency proof does not match the new root");
  return {};
}

void MerkleTree::append(const Hash& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  for (std::size_t k = 0; levels_[k].size() % 2 == 0; ++k) {
    if (k + 1 == levels_.size()) levels_.emplace_back();
    const auto& level = levels_[k];
    levels_[k + 1].push_back(node_hash(level[level.size() - 2], level[level.size() - 1]));
  }
}

Hash MerkleTree::range_hash(std::uint64_t begin, std::uint64_t end) const {
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n)) {
    const auto k = static_cast<std::size_t>(std::countr_zero(n));
    return levels_[k][begin >> k];  // begin is always a multiple of n here (RFC 6962 splits are aligned)
  }
  const std::uint64_t k = split_point(n);
  return node_hash(range_hash(begin, begin + k), range_hash(begin + k, end));
}

Result<Hash> MerkleTree::root(std::uint64_t tree_size) const {
  if (tree_size > size()) return fail(AuditErrc::not_found, "tree size " + std::to_string(tree_size));
  if (tree_size == 0) return empty_root();
  return range_hash(0, tree_size);
}

void MerkleTree::path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                      std::vector<Hash>& out) const {
  const std::uint64_t n = end - begin;
  if (n == 1) return;
  const std::uint64_t k = split_point(n);
  if (index - begin < k) {
    path(index, begin, begin + k, out);
    out.push_back(range_hash(begin + k, end));
  } else {
    path(index, begin + k, end, out);
    out.push_back(range_hash(begin, begin + k));
  }
}

Result<std::vector<Hash>> MerkleTree::inclusion_proof(std::uint64_t index, std::uint64_t tree_size) const {
  if (tree_size > size() || index >= tree_size) {
    return fail(AuditErrc::not_found,
                "leaf " + std::to_string(index) + " in size " + std::to_string(tree_size));
  }
  std::vector<Hash> out;
  path(index, 0, tree_size, out);
  return out;
}

void MerkleTree::subproof(std::uint64_t old_size, std::uint64_t begin, std::uint64_t end, bool complete,
                          std::vector<Hash>& out) const {
  const std::uint64_t n = end - begin;
  if (old_size == n) {
    if (!complete) out.push_back(range_hash(begin, end));
    return;
  }
  const std::uint64_t k = split_point(n);
  if (old_size <= k) {
    subproof(old_size, begin, begin + k, complete, out);
    out.push_back(range_hash(begin + k, end));
  } else {
    subproof(old_size - k, begin + k, end, false, out);
    out.push_back(range_hash(begin, begin + k));
  }
}

Result<std::vector<Hash>> MerkleTree::consistency_proof(std::uint64_t old_size, std::uint64_t new_size) const {
  if (new_size > size() || old_size > new_size) {
    return fail(AuditErrc::not_found, "sizes " + std::to_string(old_size) + " → " + std::to_string(new_size) +
                                          " in " + std::to_string(size()));
  }
  std::vector<Hash> out;
  if (old_size == 0 || old_size == new_size) return out;
  subproof(old_size, 0, new_size, true, out);
  return out;
}

Hash root_of(std::span<const Hash> leaves) {
  if (leaves.empty()) return empty_root();
  // stack[i] holds a complete subtree; sizes strictly decrease from bottom to top.
  std::vector<std::pair<Hash, std::uint64_t>> stack;
  for (const Hash& leaf : leaves) {
    stack.emplace_back(leaf, 1);
    while (stack.size() >= 2 && stack[stack.size() - 1].second == stack[stack.size() - 2].second) {
      auto right = stack.back();
      stack.pop_back();
      stack.back().first = node_hash(stack.back().first, right.first);
      stack.back().second *= 2;
    }
  }
  Hash root = stack.back().first;
  for (std::size_t i = stack.size() - 1; i-- > 0;) root = node_hash(stack[i].first, root);
  return root;
}

}  // namespace hallvote::audit
