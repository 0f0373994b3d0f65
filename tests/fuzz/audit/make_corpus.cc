// Writes the seed corpora of the audit fuzz targets (tests/fuzz/audit/corpus/<target>/): a 40-entry sample
// session covering every entry type, signed with the fixed keys of fuzz_keys.h, exported as bundles,
// checkpoint notes, receipts and raw entries, plus the signed-note known answers of
// tests/vectors/signed_note.txt. Deterministic: the clock is manual and Ed25519 signatures are deterministic,
// so a re-run writes the same bytes. Usage: make_corpus <corpus-dir>   (tests/fuzz/run --make-corpus builds and
// runs it)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

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

std::string example(const std::string& name) {
  std::ifstream in(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Seeds of audit_session_bundle_fuzz (session files): the two example sessions, and files at and beyond the
// session loader's input limits (loader.h) — a dotted key and a table header of 30,000 parts (40,000 overflowed
// toml++'s stack; the line limit keeps such a key below 32,768 parts), inline tables and arrays nested deeper
// than 64 levels, and a line longer than 64 KiB.
void write_session_bundle_seeds(const std::filesystem::path& dir) {
  for (const char* name : {"hanyin-county.toml", "jianchi-township.toml"}) put(dir, name, example(name));
  std::string key = "a";
  for (int i = 1; i < 30'000; ++i) key += ".a";
  const std::string head = "format_version = 1\n";
  put(dir, "limit-dotted-key-30000", head + key + " = 1\n");
  put(dir, "limit-table-header-30000", head + "[" + key + "]\n");
  std::string tables = head + "x = ";
  for (int i = 0; i < 100; ++i) tables += "{ a = ";
  put(dir, "limit-inline-tables-100", tables + "1" + std::string(100, '}') + "\n");
  std::string arrays = head + "x = [\n";
  for (int i = 0; i < 100; ++i) arrays += "[\n";
  put(dir, "limit-arrays-100-multiline", arrays + "1" + std::string(101, ']') + "\n");
  put(dir, "limit-line-65537", head + "# " + std::string(65'535, 'x') + "\n");
  put(dir, "limit-header-and-key-65", "[" + key.substr(0, 63) + "]\n" + key.substr(0, 63) + " = { b = 1 }\n");
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
  write_session_bundle_seeds(root / "session_bundle");
  std::printf("make_corpus: wrote %s/{bundle,note,receipt,entry,session_bundle}\n", root.string().c_str());
  return 0;
}
