// Writes the cross-check fixture that tests/tlog/go/check.go verifies with Go's golang.org/x/mod/sumdb/note and
// sumdb/tlog: 1,000 signed checkpoints of a growing log, one inclusion proof and one consistency proof each.
// Line format (base64 everywhere, fields separated by spaces):
//   vkey <vkey>
//   checkpoint <base64 signed note>
//   inclusion <size> <index> <leaf hash> <proof hash,...|->
//   consistency <old size> <old root> <new size> <proof hash,...|->
#include <cstdio>
#include <fstream>
#include <iostream>

#include "../../tlog/src/base64.h"
#include "hallvote/crypto/random.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/entry.h"

namespace {

using namespace hallvote;
using namespace hallvote::audit;

std::string join(const std::vector<Hash>& proof) {
  if (proof.empty()) return "-";
  std::string out;
  for (const Hash& h : proof) out += (out.empty() ? "" : ",") + base64_encode(h);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: tlog_go_fixture <output file>\n";
    return 2;
  }
  crypto::DeterministicRandom random(42);
  const auto server = crypto::SigningKey::generate(random);
  const std::string origin = "hallvote.test/go-cross-check";
  std::ofstream out(argv[1]);
  out << "vkey " << NoteKey{origin, kNoteEd25519, server.verify_key()}.vkey() << "\n";
  MerkleTree tree;
  std::uint64_t previous = 0;
  for (std::uint64_t size = 1; size <= 1000; ++size) {
    Entry e;
    e.type = EntryType::vote_resumed;
    e.sequence = size - 1;
    e.actor = "server";
    e.actor_key = server.verify_key();
    e.payload = R"({"vote_id":"v)" + std::to_string(size) + R"("})";
    sign_entry(e, server);
    tree.append(leaf_hash(encode(e)));
    const std::string text = Checkpoint{origin, size, tree.root()}.text();
    out << "checkpoint "
        << base64_encode(crypto::as_bytes(Note{text, {sign_note(text, origin, server)}}.format())) << "\n";
    std::uint64_t index = 0;
    random.fill(std::span(reinterpret_cast<std::uint8_t*>(&index), sizeof index));
    index %= size;
    out << "inclusion " << size << " " << index << " " << base64_encode(tree.leaf(index)) << " "
        << join(*tree.inclusion_proof(index, size)) << "\n";
    const std::uint64_t old_size = (size % 2 == 0) ? previous : 1 + index;
    if (old_size >= 1) {
      out << "consistency " << old_size << " " << base64_encode(*tree.root(old_size)) << " " << size << " "
          << join(*tree.consistency_proof(old_size, size)) << "\n";
    }
    previous = size;
  }
  return out ? 0 : 1;
}
