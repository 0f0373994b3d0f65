#include "hallvote/tlog/merkle.h"

#include <gtest/gtest.h>

#include "hallvote/crypto/bytes.h"
#include "vectors.h"

namespace hallvote::audit {
namespace {

Hash hex_hash(const std::string& hex) { return *crypto::from_hex_fixed<32>(hex); }

std::vector<Hash> hex_list(const std::string& field) {
  std::vector<Hash> out;
  if (field == "-") return out;
  for (std::size_t start = 0; start <= field.size();) {
    const std::size_t comma = std::min(field.find(',', start), field.size());
    out.push_back(hex_hash(field.substr(start, comma - start)));
    start = comma + 1;
  }
  return out;
}

// The 8-leaf RFC 6962 suite (tests/vectors/rfc6962_merkle.txt names its sources).
class Rfc6962Vectors : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const auto& row : testing::vector_lines("rfc6962_merkle.txt")) {
      if (row[0] == "leaf") tree.append(leaf_hash(row[2] == "-" ? crypto::Bytes{} : *crypto::from_hex(row[2])));
    }
    ASSERT_EQ(tree.size(), 8u);
  }
  MerkleTree tree;
};

TEST_F(Rfc6962Vectors, RootsOfEverySizeMatch) {
  int checked = 0;
  for (const auto& row : testing::vector_lines("rfc6962_merkle.txt")) {
    if (row[0] != "root") continue;
    const auto size = std::stoull(row[1]);
    std::vector<Hash> prefix;
    for (std::uint64_t i = 0; i < size; ++i) prefix.push_back(tree.leaf(i));
    EXPECT_EQ(*tree.root(size), hex_hash(row[2])) << "size " << size;
    EXPECT_EQ(root_of(prefix), hex_hash(row[2])) << "size " << size;
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

TEST_F(Rfc6962Vectors, InclusionProofsMatchAndVerify) {
  int checked = 0;
  for (const auto& row : testing::vector_lines("rfc6962_merkle.txt")) {
    if (row[0] != "inclusion") continue;
    const auto index = std::stoull(row[1]);
    const auto size = std::stoull(row[2]);
    const auto want = hex_list(row[3]);
    EXPECT_EQ(*tree.inclusion_proof(index, size), want) << index << " in " << size;
    EXPECT_TRUE(verify_inclusion(tree.leaf(index), index, size, want, *tree.root(size)));
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST_F(Rfc6962Vectors, ConsistencyProofsMatchAndVerify) {
  int checked = 0;
  for (const auto& row : testing::vector_lines("rfc6962_merkle.txt")) {
    if (row[0] != "consistency") continue;
    const auto m = std::stoull(row[1]);
    const auto n = std::stoull(row[2]);
    const auto want = hex_list(row[3]);
    EXPECT_EQ(*tree.consistency_proof(m, n), want) << m << " → " << n;
    EXPECT_TRUE(verify_consistency(m, n, *tree.root(m), *tree.root(n), want));
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

// Every way to damage a proof: each element flipped, an element inserted or removed at every position.
std::vector<std::vector<Hash>> damaged(const std::vector<Hash>& proof) {
  std::vector<std::vector<Hash>> out;
  for (std::size_t i = 0; i < proof.size(); ++i) {
    auto flipped = proof;
    flipped[i][i % 32] ^= 0x01;
    out.push_back(flipped);
    auto removed = proof;
    removed.erase(removed.begin() + static_cast<std::ptrdiff_t>(i));
    out.push_back(removed);
  }
  for (std::size_t i = 0; i <= proof.size(); ++i) {
    auto inserted = proof;
    inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(i),
                    proof.empty() ? empty_root() : proof[i % proof.size()]);
    out.push_back(inserted);
  }
  return out;
}

class ExhaustiveTree : public ::testing::Test {
 protected:
  static constexpr std::uint64_t kMax = 128;
  void SetUp() override {
    for (std::uint64_t i = 0; i < kMax; ++i)
      tree.append(leaf_hash(crypto::as_bytes("leaf " + std::to_string(i))));
  }
  MerkleTree tree;
};

TEST_F(ExhaustiveTree, EveryInclusionProofVerifiesAndEveryMutationIsRejected) {
  for (std::uint64_t size = 1; size <= kMax; ++size) {
    const Hash root = *tree.root(size);
    const Hash other_root = *tree.root(size == 1 ? 2 : size - 1);
    for (std::uint64_t index = 0; index < size; ++index) {
      const auto proof = *tree.inclusion_proof(index, size);
      const Hash& leaf = tree.leaf(index);
      ASSERT_TRUE(verify_inclusion(leaf, index, size, proof, root)) << index << " in " << size;
      EXPECT_FALSE(verify_inclusion(leaf, index + 1, size, proof, root)) << index << " in " << size;
      if (index > 0) {
        EXPECT_FALSE(verify_inclusion(leaf, index - 1, size, proof, root)) << index << " in " << size;
      }
      // A tree size only means something together with its root (a checkpoint signs both), so a changed size
      // is tried with the true root of that size.
      if (size < kMax) {
        EXPECT_FALSE(verify_inclusion(leaf, index, size + 1, proof, *tree.root(size + 1)))
            << index << " in " << size;
      }
      if (size - 1 > index) {
        EXPECT_FALSE(verify_inclusion(leaf, index, size - 1, proof, *tree.root(size - 1)))
            << index << " in " << size;
      }
      EXPECT_FALSE(verify_inclusion(leaf, index, size, proof, other_root)) << index << " in " << size;
      if (size > 1) {  // in a one-leaf tree the leaf hash is the root
        EXPECT_FALSE(verify_inclusion(root, index, size, proof, leaf)) << "swapped " << index << " in " << size;
      }
      for (const auto& bad : damaged(proof)) {
        EXPECT_FALSE(verify_inclusion(leaf, index, size, bad, root)) << index << " in " << size;
      }
    }
  }
}

TEST_F(ExhaustiveTree, EveryConsistencyProofVerifiesAndEveryMutationIsRejected) {
  for (std::uint64_t n = 1; n <= kMax; ++n) {
    const Hash new_root = *tree.root(n);
    for (std::uint64_t m = 1; m <= n; ++m) {
      const Hash old_root = *tree.root(m);
      const auto proof = *tree.consistency_proof(m, n);
      ASSERT_TRUE(verify_consistency(m, n, old_root, new_root, proof)) << m << " → " << n;
      if (m == n) {
        EXPECT_FALSE(verify_consistency(m, n, old_root, *tree.root(n - 1 == 0 ? 2 : n - 1), proof));
        continue;
      }
      EXPECT_FALSE(verify_consistency(m + 1, n, *tree.root(m + 1), new_root, proof)) << m << " → " << n;
      if (m > 1) {
        EXPECT_FALSE(verify_consistency(m - 1, n, *tree.root(m - 1), new_root, proof)) << m << " → " << n;
      }
      if (n < kMax) {
        EXPECT_FALSE(verify_consistency(m, n + 1, old_root, *tree.root(n + 1), proof)) << m << " → " << n;
      }
      if (n - 1 > m) {
        EXPECT_FALSE(verify_consistency(m, n - 1, old_root, *tree.root(n - 1), proof)) << m << " → " << n;
      }
      EXPECT_FALSE(verify_consistency(m, n, new_root, old_root, proof)) << "roots swapped " << m << " → " << n;
      EXPECT_FALSE(verify_consistency(m, n, *tree.root(m - 1), new_root, proof)) << m << " → " << n;
      for (const auto& bad : damaged(proof)) {
        EXPECT_FALSE(verify_consistency(m, n, old_root, new_root, bad)) << m << " → " << n;
      }
    }
  }
}

TEST(MerkleTree, RefusesProofsBeyondItsSize) {
  MerkleTree tree;
  tree.append(leaf_hash(crypto::as_bytes("a")));
  EXPECT_FALSE(tree.root(2));
  EXPECT_FALSE(tree.inclusion_proof(1, 1));
  EXPECT_FALSE(tree.consistency_proof(1, 2));
  EXPECT_EQ(*tree.root(0), empty_root());
}

}  // namespace
}  // namespace hallvote::audit
