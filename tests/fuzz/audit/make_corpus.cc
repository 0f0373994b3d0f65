// Writes the seed corpora of the audit fuzz targets (tests/fuzz/audit/corpus/<target>/): a 40-entry sample
// session covering every entry type, signed with the fixed keys of fuzz_keys.h, exported as bundles,
// checkpoint notes, receipts and raw entries, plus the signed-note known answers of
// tests/vectors/signed_note.txt. Deterministic: the clock is manual and Ed25519 signatures are deterministic,
// so a re-run writes the same bytes. Usage: make_corpus <corpus-dir>   (tests/fuzz/run --make-corpus builds and
// runs it)
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "fuzz_keys.h"
#include "vectors.h"

namespace {

using namespace hallvote;
using namespace hallvote::audit;

void put(const std::filesystem::path& dir, const std::string& name, std::string_view bytes) {
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string_view chars(const crypto::Bytes& b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

int fail(const std::string& what, const Error& e) {
  std::fprintf(stderr, "make_corpus: %s: %s\n", what.c_str(), e.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_corpus <corpus-dir>\n");
    return 2;
  }
  const std::filesystem::path root = argv[1];
  const auto& keys = fuzzing::keys();
  testing::TempDir dir;
  ManualClock clock(1'700'000'000'000);
  auto log = AuditLog::open(keys.options(dir.file("s.db"), &clock));
  if (!log) return fail("open", log.error());

  constexpr std::uint64_t kEntries = 40;
  std::vector<std::uint64_t> checkpoint_sizes{10, 25, kEntries};
  Bundle first;  // the bundle as it was at the first checkpoint
  for (std::uint64_t i = 0; i < kEntries; ++i) {
    if (auto a = testing::append_sample(**log, keys, i); !a) return fail("append", a.error());
    if (std::find(checkpoint_sizes.begin(), checkpoint_sizes.end(), i + 1) != checkpoint_sizes.end()) {
      if (auto ok = testing::checkpoint_and_cosign(**log, keys); !ok) return fail("checkpoint", ok.error());
      if (i + 1 == checkpoint_sizes.front()) {
        first = *(*log)->export_bundle();
        put(root / "receipt", "receipt-3-of-10", (*log)->receipt(3)->format());
      }
    }
  }
  auto bundle = (*log)->export_bundle();
  if (!bundle) return fail("export", bundle.error());

  put(root / "bundle", "bundle-40", bundle->serialize());
  put(root / "bundle", "bundle-10", first.serialize());
  Bundle bare = first;  // no cosigners listed, one checkpoint without its cosignatures
  bare.cosigners.clear();
  Note note = *parse_note(bare.checkpoints.back());
  note.signatures.resize(1);
  bare.checkpoints = {note.format()};
  put(root / "bundle", "bundle-10-bare", bare.serialize());
  put(root / "bundle", "bundle-empty",
      "hallvote-audit-bundle/v2\nlog " + bundle->log_key.vkey() + "\nentries 0\ncheckpoints 0\nend\n");

  for (std::size_t k = 0; k < bundle->checkpoints.size(); ++k) {
    put(root / "note", "checkpoint-" + std::to_string(k), bundle->checkpoints[k]);
  }
  for (const auto& [name, text] : testing::vector_blocks("signed_note.txt")) {
    if (name.size() > 7 && name.substr(name.size() - 7) == "_signed") put(root / "note", name, text);
  }
  put(root / "note", "vkey-log", bundle->log_key.vkey());
  put(root / "note", "vkey-cosigner", bundle->cosigners.front().vkey());

  for (std::uint64_t i : {std::uint64_t{0}, std::uint64_t{17}, kEntries - 1}) {
    put(root / "receipt", "receipt-" + std::to_string(i) + "-of-40", (*log)->receipt(i)->format());
  }
  for (std::uint64_t i = 0; i < kEntries; i += 1) {
    if (i < 2 + kLastEntryType) put(root / "entry", "entry-" + std::to_string(i), chars(bundle->entries[i]));
  }
  std::printf("make_corpus: wrote %s/{bundle,note,receipt,entry}\n", root.string().c_str());
  return 0;
}
