// libFuzzer target: a session file inside a hand-made bundle, down the auditor's whole path. The input is the
// session TOML file; the target records it (with the example sessions' CSV files beside it) in a session_opened
// entry as the server does, signs the entry and a checkpoint with the fuzzing log key, serialises the bundle,
// and runs what `hallvote-audit verify` runs without --trust: parse_bundle, then verify_session (the log level,
// then the vote level, which re-parses the recorded session file). A bundle checked without --trust may be
// signed by anyone, so this is what a hostile bundle can feed the session loader (docs/session-format.md
// "Limits"). Properties: no crash or sanitizer report; the log-level checks pass (the bundle is well signed);
// a failure names its check.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "fuzz_keys.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/protocol/events.h"

using namespace hallvote;
using namespace hallvote::audit;

namespace {

std::string example(const std::string& name) {
  std::ifstream in(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The CSV files the example sessions name, recorded beside the fuzzed session file.
const nlohmann::json& recorded_csv_files() {
  static const nlohmann::json files = [] {
    nlohmann::json f = nlohmann::json::object();
    for (const char* name :
         {"hanyin-county-roster.csv", "hanyin-county-projects.csv", "jianchi-township-roster.csv"})
      f[name] = example(name);
    return f;
  }();
  return files;
}

Bundle bundle_with_session_file(std::string_view session_file) {
  const auto& keys = fuzzing::keys();
  nlohmann::json files = recorded_csv_files();
  files["session.toml"] = std::string(session_file);
  const nlohmann::json record = {
      {"session_id", "s1"},
      {"title", "s1"},
      {"officials", nlohmann::json::array()},
      {"quorum", 1},
      {"election_key", std::string(64, '0')},
      {"server_key", keys.server.verify_key().hex()},
      {"session",
       {{"files", files}, {"session_file", "session.toml"}, {"credential_keys", {}}, {"official_keys", {}}}}};
  Entry entry;
  entry.type = EntryType::session_opened;
  entry.time_ms = 1'700'000'000'000;
  entry.actor = "server";
  entry.actor_key = keys.server.verify_key();
  entry.payload = protocol::encode(protocol::SessionOpened{"s1", "s1", record});
  if (entry.payload.size() > kMaxPayloadSize) return {};  // no server writes it (-max_len keeps inputs below)
  sign_entry(entry, keys.server);
  Bundle bundle;
  bundle.log_key = fuzzing::log_key();
  bundle.entries.push_back(encode(entry));
  const Checkpoint checkpoint{bundle.log_key.name, 1, leaf_hash(bundle.entries.back())};
  bundle.checkpoints.push_back(
      Note{checkpoint.text(), {sign_note(checkpoint.text(), bundle.log_key.name, keys.server)}}.format());
  return bundle;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A JSON string holds valid UTF-8 only (nlohmann::json refuses to dump anything else): the session loader's
  // UTF-8 check is the session fuzz target's business.
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string session_file(text);
  try {
    (void)nlohmann::json(session_file).dump();
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
  const Bundle made = bundle_with_session_file(session_file);
  if (made.entries.empty()) return 0;
  const std::string serialized = made.serialize();
  auto bundle = parse_bundle(serialized);
  if (!bundle) __builtin_trap();  // the bundle written above is well formed
  vote_audit::SessionVerifyOptions options;
  options.log.threads = 1;
  const vote_audit::SessionReport report = vote_audit::verify_session(*bundle, options);
  if (!report.log.ok()) __builtin_trap();  // well signed: only the vote level may fail
  if (report.votes && !report.votes->ok() && report.votes->failure->check.empty()) __builtin_trap();
  return 0;
}
