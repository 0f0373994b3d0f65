// End to end: a 300-entry log written through the library, then the built `hallvote-audit` binary (path from
// the build: HALLVOTE_AUDIT_BIN) exports it, verifies it as text and --json, checks receipts, and refuses bad
// input with the documented exit codes (docs/audit-log.md §11: 0 verified, 1 failed, 2 usage, 3 unreadable)
// and a specific message in Chinese and English. The sample entries carry no session record, so these tests
// verify the log level (--log-only); that the vote level refuses such a log is checked here too, and the vote
// level on a real session in tests/auditor/vote_audit_test.cc.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hallvote/auditor/log_verifier.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/events.h"
#include "hallvote/tlog/checkpoint.h"
#include "session_fixture.h"
#include "sqlite_shell.h"

namespace hallvote::audit {
namespace {

using nlohmann::json;
using testing::SessionKeys;
using testing::TempDir;

constexpr std::uint64_t kEntries = 300;
constexpr std::uint64_t kReceiptIndex = 123;
// A ballot_cast entry of the sample session: after the first two entries the types cycle (session_fixture.h).
constexpr std::uint64_t kBallotIndex =
    2 + (static_cast<std::uint64_t>(EntryType::ballot_cast) - 1) + 6 * std::uint64_t{kLastEntryType};
constexpr std::uint64_t kPendingSize = kBallotIndex + 1;  // the not-yet-cosigned log ends with that ballot

struct CliRun {
  int exit = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class AuditCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    keys_ = new SessionKeys(41);
    ManualClock clock(1'700'000'000'000);
    auto log = AuditLog::open(keys_->options(db(), &clock));
    ASSERT_TRUE(log) << log.error().message();
    for (std::uint64_t i = 0; i < kEntries; ++i) {
      ASSERT_TRUE(testing::append_sample(**log, *keys_, i));
      if (i == 99) {
        ASSERT_TRUE(testing::checkpoint_and_cosign(**log, *keys_));
        old_receipt_ = new std::string((*log)->receipt(50)->format());  // against the checkpoint of size 100
      }
      if (i % 100 == 99) {
        ASSERT_TRUE(testing::checkpoint_and_cosign(**log, *keys_));
      }
    }
    auto receipt = (*log)->receipt(kReceiptIndex);
    ASSERT_TRUE(receipt) << receipt.error().message();
    receipt_ = new std::string(receipt->format());
    ballot_receipt_ = new std::string((*log)->receipt(kBallotIndex)->format());
    root_hex_ = new std::string(crypto::to_hex(*(*log)->root(kEntries)));
    log->reset();

    // A session database with entries but no signed checkpoint, and an SQLite file of some other program.
    auto fresh = AuditLog::open(keys_->options(dir_->file("fresh.db"), &clock));
    ASSERT_TRUE(fresh);
    ASSERT_TRUE(testing::append_sample(**fresh, *keys_, 0));
    fresh->reset();

    // A log whose only checkpoint nobody has cosigned yet, and the receipt of a ballot under it.
    auto pending = AuditLog::open(keys_->options(dir_->file("pending.db"), &clock));
    ASSERT_TRUE(pending);
    for (std::uint64_t i = 0; i <= kBallotIndex; ++i) ASSERT_TRUE(testing::append_sample(**pending, *keys_, i));
    ASSERT_TRUE((*pending)->sign_checkpoint());
    pending_receipt_ = new std::string((*pending)->receipt(kBallotIndex)->format());
    pending->reset();
    ASSERT_EQ(testing::sqlite_exec(dir_->file("foreign.db"), "CREATE TABLE t (x INTEGER)"), 0);
  }
  static void TearDownTestSuite() {
    delete old_receipt_;
    delete receipt_;
    delete ballot_receipt_;
    delete pending_receipt_;
    delete root_hex_;
    delete keys_;
    delete dir_;
  }

  static std::string db() { return dir_->file("session.db"); }
  static std::string file(const std::string& name) { return dir_->file(name); }

  // Runs hallvote-audit with `args`; captures stdout, stderr and the exit code.
  static CliRun audit(const std::vector<std::string>& args) {
    std::string cmd = quote(HALLVOTE_AUDIT_BIN);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += " >" + quote(file("stdout")) + " 2>" + quote(file("stderr")) + " </dev/null";
    const int status = std::system(cmd.c_str());
    CliRun r;
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(file("stdout"));
    r.err = slurp(file("stderr"));
    return r;
  }

  // The exported bundle (exported once per test that needs it).
  static std::string exported() {
    const std::string path = file("session.hvbundle");
    if (!std::filesystem::exists(path)) {
      const CliRun r = audit({"export", db(), "-o", path});
      EXPECT_EQ(r.exit, 0) << r.err;
    }
    return slurp(path);
  }

  // Writes a copy of the bundle with `change` applied to its parsed form.
  template <class F>
  static std::string tampered(const std::string& name, F change) {
    auto bundle = parse_bundle(exported());
    EXPECT_TRUE(bundle);
    change(*bundle);
    write(file(name), bundle->serialize());
    return file(name);
  }

  static std::vector<std::string> trusted_args() {
    std::vector<std::string> out{"--trust",
                                 NoteKey{keys_->origin, kNoteEd25519, keys_->server.verify_key()}.vkey()};
    for (const auto& c : keys_->cosigners()) out.insert(out.end(), {"--trust", c.vkey()});
    return out;
  }

  static TempDir* dir_;
  static SessionKeys* keys_;
  static std::string* receipt_;
  static std::string* old_receipt_;
  static std::string* ballot_receipt_;
  static std::string* pending_receipt_;
  static std::string* root_hex_;
};
TempDir* AuditCli::dir_ = nullptr;
SessionKeys* AuditCli::keys_ = nullptr;
std::string* AuditCli::receipt_ = nullptr;
std::string* AuditCli::old_receipt_ = nullptr;
std::string* AuditCli::ballot_receipt_ = nullptr;
std::string* AuditCli::pending_receipt_ = nullptr;
std::string* AuditCli::root_hex_ = nullptr;

// --- export and verify: the untouched log ---

TEST_F(AuditCli, ExportWritesTheBundleAndSaysHowMuch) {
  const std::string path = file("export-check.hvbundle");
  const CliRun r = audit({"export", db(), "-o", path});
  ASSERT_EQ(r.exit, 0) << r.err;
  EXPECT_NE(r.err.find("exported 300"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("3 检查点 / checkpoints"), std::string::npos) << r.err;
  const std::string text = slurp(path);
  EXPECT_EQ(text.rfind("hallvote-audit-bundle/v2\n", 0), 0u);
  auto bundle = parse_bundle(text);
  ASSERT_TRUE(bundle);
  EXPECT_EQ(bundle->entries.size(), kEntries);
  EXPECT_EQ(bundle->checkpoints.size(), 3u);
}

TEST_F(AuditCli, VerifyPassesAsTextForTheBundleAndTheDatabase) {
  exported();
  for (const std::string& input : {file("session.hvbundle"), db()}) {
    const CliRun r = audit({"verify", "--log-only", input});
    ASSERT_EQ(r.exit, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("结果 / result: 通过 / PASSED"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("vote-level checks skipped (--log-only)"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("条目 / entries: 300"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("检查点 / checkpoints: 3"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(*root_hex_), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("presidium/chair scrutineer/1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(input), std::string::npos);
  }
}

TEST_F(AuditCli, VerifyJsonParsesAndCarriesTheCounts) {
  exported();
  const CliRun r = audit({"verify", "--json", "--log-only", file("session.hvbundle")});
  ASSERT_EQ(r.exit, 0) << r.out << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["log_only"], true);
  EXPECT_EQ(j["votes"], json::array());
  EXPECT_EQ(j["input"], file("session.hvbundle"));
  EXPECT_EQ(j["entries"], kEntries);
  EXPECT_EQ(j["checkpoints"], 3);
  EXPECT_EQ(j["tree_size"], kEntries);
  EXPECT_EQ(j["root"], *root_hex_);
  EXPECT_EQ(j["cosigners"], json::array({"presidium/chair", "scrutineer/1"}));
  EXPECT_FALSE(j.contains("failure"));
}

TEST_F(AuditCli, ProgressGoesToStderr) {
  const CliRun r = audit({"verify", "--log-only", "--progress", db()});
  ASSERT_EQ(r.exit, 0);
  EXPECT_NE(r.err.find("verifying entries 300/300"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("verifying"), std::string::npos);
}

TEST_F(AuditCli, TrustedKeysPassAndAForeignKeyIsNamed) {
  exported();
  std::vector<std::string> args{"verify", "--log-only", file("session.hvbundle")};
  const auto trust = trusted_args();
  args.insert(args.end(), trust.begin(), trust.end());
  CliRun r = audit(args);
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("keys match the trusted keys"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("WARNING"), std::string::npos) << r.out;

  SessionKeys other(42);
  r = audit({"verify", "--json", file("session.hvbundle"), "--trust",
             NoteKey{keys_->origin, kNoteEd25519, other.server.verify_key()}.vkey()});
  EXPECT_EQ(r.exit, 1);
  EXPECT_EQ(json::parse(r.out)["failure"]["check"], "bundle.keys");
}

TEST_F(AuditCli, WithoutTheSessionRecordTheVoteLevelFailsAndSaysSo) {
  exported();
  CliRun r = audit({"verify", file("session.hvbundle")});
  EXPECT_EQ(r.exit, 1) << r.out;
  EXPECT_NE(r.out.find("结果 / result: 通过 / PASSED"), std::string::npos) << r.out;  // the log itself verifies
  EXPECT_NE(r.out.find("首个失败检查 / first failing check: session.definition"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a log written before the session record"), std::string::npos) << r.out;
  r = audit({"verify", "--json", file("session.hvbundle")});
  EXPECT_EQ(r.exit, 1);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["failure"]["check"], "session.definition");
  EXPECT_EQ(j["failure"]["number"], "13.1");
  EXPECT_EQ(j["failure"]["entry"], 0);
}

TEST_F(AuditCli, WithoutTrustVerifyWarnsThatOnlyInternalConsistencyWasChecked) {
  exported();
  const CliRun r = audit({"verify", "--log-only", file("session.hvbundle")});
  ASSERT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("警告 / WARNING: 未给出 --trust，只核验了审计包的内部一致性"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no --trust given: only the bundle's internal consistency was checked"),
            std::string::npos)
      << r.out;
  EXPECT_NE(
      r.out.find("结果 / result: 通过 / PASSED — 仅内部一致 / internally consistent only; 未与可信公钥或检查点"
                 "比对 / not checked against a trusted log key or checkpoint"),
      std::string::npos)
      << r.out;
  const CliRun j = audit({"verify", "--json", "--log-only", file("session.hvbundle")});
  EXPECT_EQ(json::parse(j.out)["keys_trusted"], false);
  std::vector<std::string> args{"verify", "--json", "--log-only", file("session.hvbundle")};
  const auto trust = trusted_args();
  args.insert(args.end(), trust.begin(), trust.end());
  EXPECT_EQ(json::parse(audit(args).out)["keys_trusted"], true);
}

// A stored leaf hash changed behind the log's back (its triggers dropped): the server refuses to open such a
// database; verify, receipt and export refuse it too, naming the entry.
TEST_F(AuditCli, ATamperedStoredLeafHashFailsNamingTheEntry) {
  const std::string copy = file("leaf.db");
  std::filesystem::copy_file(db(), copy, std::filesystem::copy_options::overwrite_existing);
  ASSERT_EQ(testing::sqlite_exec(copy,
                                 "DROP TRIGGER entries_no_update; "
                                 "UPDATE entries SET leaf_hash = zeroblob(32) WHERE seq = 77;"),
            0);
  CliRun r = audit({"verify", "--json", "--log-only", copy});
  EXPECT_EQ(r.exit, 1) << r.out << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "entry.leaf_hash");
  EXPECT_EQ(j["failure"]["entry"], 77);
  EXPECT_EQ(j["failure"]["field"], "leaf_hash");
  r = audit({"verify", copy});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("first failing check: entry.leaf_hash"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("条目 / entry 77"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the leaf hash stored in the database differs from the hash of the entry's bytes"),
            std::string::npos)
      << r.out;
  write(file("r123.receipt"), *receipt_);
  r = audit({"receipt", file("r123.receipt"), copy});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("entry.leaf_hash"), std::string::npos) << r.out;
  r = audit({"export", copy, "-o", file("leaf.hvbundle")});
  EXPECT_EQ(r.exit, 1) << r.err;
  EXPECT_NE(r.out.find("entry.leaf_hash"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(file("leaf.hvbundle")));
}

// --- verify: tampered bundles (exit 1, the report names the check, the entry and the field) ---

TEST_F(AuditCli, ATamperedSignatureIsReportedWithEntryAndField) {
  const std::string path = tampered("sig.hvbundle", [](Bundle& b) { b.entries[kReceiptIndex].back() ^= 0x01; });
  CliRun r = audit({"verify", path});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("结果 / result: 未通过 / FAILED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("first failing check: entry.signature (条目签名 / entry signature)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("条目 / entry 123"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("字段 / field: signature"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("签名无效 / invalid signature"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("entries checked before the failure: 123"), std::string::npos) << r.out;

  r = audit({"verify", "--json", path});
  EXPECT_EQ(r.exit, 1);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["entries"], kReceiptIndex);
  EXPECT_EQ(j["failure"]["check"], "entry.signature");
  EXPECT_EQ(j["failure"]["entry"], kReceiptIndex);
  EXPECT_EQ(j["failure"]["field"], "signature");
  EXPECT_TRUE(j["failure"]["checkpoint"].is_null());
  EXPECT_TRUE(j["failure"]["line"].is_null());
  EXPECT_EQ(j["failure"]["category"], "hallvote.audit");
}

TEST_F(AuditCli, APayloadMissingAFieldIsReportedWithTheField) {
  // The first decryption share after entry 100 loses its share_hash (the signature is stale too, but the schema
  // is checked first).
  const Bundle bundle = *parse_bundle(exported());
  std::uint64_t index = 100;
  while (index < kEntries && decode(bundle.entries[index])->type != EntryType::decryption_share) ++index;
  ASSERT_LT(index, kEntries);
  const std::string path = tampered("payload.hvbundle", [&](Bundle& b) {
    Entry e = *decode(b.entries[index]);
    json p = json::parse(e.payload);
    p.erase("share_hash");
    e.payload = p.dump();
    b.entries[index] = encode(e);
  });
  const CliRun r = audit({"verify", "--json", path});
  EXPECT_EQ(r.exit, 1);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "entry.payload");
  EXPECT_EQ(j["failure"]["entry"], index);
  EXPECT_EQ(j["failure"]["field"], "payload.share_hash");
  EXPECT_NE(j["failure"]["message"].get<std::string>().find("payload.share_hash: missing"), std::string::npos);
}

TEST_F(AuditCli, ADeletedEntryBreaksTheChainAtItsPosition) {
  const std::string path =
      tampered("deleted.hvbundle", [](Bundle& b) { b.entries.erase(b.entries.begin() + 200); });
  const CliRun r = audit({"verify", path});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("entry.chain"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("条目 / entry 200"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("字段 / field: sequence"), std::string::npos) << r.out;
}

TEST_F(AuditCli, AForgedCheckpointRootIsReportedWithTheCheckpoint) {
  const std::string path = tampered("root.hvbundle", [](Bundle& b) {
    Note note = *parse_note(b.checkpoints[1]);
    Checkpoint c = *Checkpoint::parse(note.text);
    c.root[0] ^= 0x01;
    note.text = c.text();
    b.checkpoints[1] = note.format();  // signatures no longer verify
  });
  const CliRun r = audit({"verify", "--json", path});
  EXPECT_EQ(r.exit, 1);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "checkpoint.signature");
  EXPECT_EQ(j["failure"]["checkpoint"], 1);
  EXPECT_TRUE(j["failure"]["entry"].is_null());
}

TEST_F(AuditCli, ATruncatedBundleIsReportedWithItsLine) {
  std::string text = exported();
  text.resize(text.size() - 4);  // "end\n" removed
  write(file("truncated.hvbundle"), text);
  const CliRun r = audit({"verify", file("truncated.hvbundle")});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("bundle.format"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("行 / line 310"), std::string::npos)
      << r.out;  // header, log, 2 cosigners, count, 300, count, 3
  EXPECT_NE(r.out.find("expected \"end\" as the last line"), std::string::npos) << r.out;
}

// --- receipts ---

TEST_F(AuditCli, AValidReceiptPassesAgainstTheBundleAndTheDatabase) {
  write(file("r123.receipt"), *receipt_);
  exported();
  for (const std::string& input : {file("session.hvbundle"), db()}) {
    const CliRun r = audit({"receipt", file("r123.receipt"), input});
    EXPECT_EQ(r.exit, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("通过 / PASSED"), std::string::npos) << r.out;
  }
  const CliRun j = audit({"receipt", "--json", file("r123.receipt"), db()});
  EXPECT_EQ(j.exit, 0);
  EXPECT_EQ(json::parse(j.out)["ok"], true);
}

TEST_F(AuditCli, AReceiptSaysWhoseBallotItIsWhichVoteWhichEntryAndTheCode) {
  write(file("ballot.receipt"), *ballot_receipt_);
  const Entry entry = *decode(Receipt::parse(*ballot_receipt_)->entry);
  ASSERT_EQ(entry.type, EntryType::ballot_cast);
  const auto cast = *protocol::decode_as<protocol::BallotCast>(entry.type, entry.payload);
  const std::string code = protocol::confirmation_code(cast.ballot_hash);
  exported();
  for (const std::string& input : {file("session.hvbundle"), db()}) {
    const CliRun r = audit({"receipt", file("ballot.receipt"), input});
    ASSERT_EQ(r.exit, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("结果 / result: 通过 / PASSED — 该条目已记入日志 / the entry is in the log"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("代表 / deputy: " + cast.deputy_id + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("表决 / vote: " + cast.vote_id + "    轮次 / round: 1\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("条目 / entry: " + std::to_string(kBallotIndex) + " (ballot_cast)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("确认码 / confirmation code: " + code + "\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("联署 / cosigned: 2/2（检查点 / checkpoint 300）: presidium/chair scrutineer/1"),
              std::string::npos)
        << r.out;
  }
  const CliRun r = audit({"receipt", "--json", file("ballot.receipt"), db()});
  ASSERT_EQ(r.exit, 0) << r.out;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["index"], kBallotIndex);
  EXPECT_EQ(j["entry_type"], "ballot_cast");
  EXPECT_EQ(j["deputy_id"], cast.deputy_id);
  EXPECT_EQ(j["vote_id"], cast.vote_id);
  EXPECT_EQ(j["round"], 1);
  EXPECT_EQ(j["confirmation_code"], code);
  EXPECT_EQ(j["checkpoint_size"], kEntries);
  EXPECT_EQ(j["latest_size"], kEntries);
  EXPECT_EQ(j["cosigned"], true);
  EXPECT_EQ(j["cosigners"], 2);
}

// Before the members cosign, a receipt is valid and says it is not cosigned yet (exit 0); each cosignature
// shows; a cosignature that does not verify still fails.
TEST_F(AuditCli, AReceiptBeforeCosigningSaysNotYetCosignedNotInvalid) {
  write(file("pending.receipt"), *pending_receipt_);
  CliRun r = audit({"receipt", file("pending.receipt"), file("pending.db")});
  EXPECT_EQ(r.exit, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("通过 / PASSED"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("尚未联署 0/2 / not yet cosigned (0 of 2, checkpoint " + std::to_string(kPendingSize) + ")"),
      std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("签名无效"), std::string::npos) << r.out;
  EXPECT_EQ(
      json::parse(audit({"receipt", "--json", file("pending.receipt"), file("pending.db")}).out)["cosigned"],
      false);

  // One member cosigns the same checkpoint: the log now holds it with one cosignature.
  const std::string copy = file("pending-1.db");
  std::filesystem::copy_file(file("pending.db"), copy, std::filesystem::copy_options::overwrite_existing);
  {
    ManualClock clock(1'700'000'100'000);
    auto log = AuditLog::open(keys_->options(copy, &clock));
    ASSERT_TRUE(log) << log.error().message();
    auto note = parse_note(*(*log)->latest_checkpoint());
    ASSERT_TRUE((*log)->add_cosignature(
        kPendingSize, cosign_note(note->text, "presidium/chair", keys_->chair, kPendingSize)));
  }
  r = audit({"receipt", file("pending.receipt"), copy});
  EXPECT_EQ(r.exit, 0) << r.out;
  EXPECT_NE(r.out.find("尚未联署 1/2 / not yet cosigned (1 of 2, checkpoint " + std::to_string(kPendingSize) +
                       "): presidium/chair"),
            std::string::npos)
      << r.out;

  // A cosignature by a listed cosigner that does not verify is a bad signature, not a pending one.
  Receipt forged = *Receipt::parse(*pending_receipt_);
  Note note = *parse_note(forged.checkpoint_note);
  NoteSignature bad =
      cosign_note(note.text, "presidium/chair", keys_->scrutineer, kPendingSize);  // the wrong key
  bad.key_id = cosign_note(note.text, "presidium/chair", keys_->chair, kPendingSize).key_id;
  note.signatures.push_back(bad);
  forged.checkpoint_note = note.format();
  write(file("forged.receipt"), forged.format());
  r = audit({"receipt", "--json", file("forged.receipt"), file("pending.db")});
  EXPECT_EQ(r.exit, 1) << r.out;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "receipt.proof");
  EXPECT_NE(j["failure"]["message"].get<std::string>().find("签名无效 / invalid signature"), std::string::npos)
      << j.dump();
}

TEST_F(AuditCli, AReceiptAgainstAnEarlierCheckpointStillPasses) {
  write(file("r50.receipt"), *old_receipt_);
  const CliRun r = audit({"receipt", file("r50.receipt"), db()});
  EXPECT_EQ(r.exit, 0) << r.out << r.err;
}

TEST_F(AuditCli, ATamperedReceiptIsRejectedNamingTheEntry) {
  // One proof hash changed.
  Receipt receipt = *Receipt::parse(*receipt_);
  ASSERT_FALSE(receipt.proof.empty());
  receipt.proof[2][5] ^= 0x40;
  write(file("proof.receipt"), receipt.format());
  CliRun r = audit({"receipt", file("proof.receipt"), db()});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("receipt.proof (回执证明 / receipt proof)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("条目 / entry 123"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("默克尔证明无效 / invalid Merkle proof"), std::string::npos) << r.out;

  // Other entry bytes under the same proof.
  receipt = *Receipt::parse(*receipt_);
  receipt.entry[40] ^= 0x01;
  write(file("entry.receipt"), receipt.format());
  r = audit({"receipt", "--json", file("entry.receipt"), db()});
  EXPECT_EQ(r.exit, 1);
  json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "receipt.proof");
  EXPECT_EQ(j["failure"]["entry"], kReceiptIndex);
  EXPECT_EQ(j["failure"]["field"], "receipt");

  // A checkpoint whose signature no longer verifies.
  receipt = *Receipt::parse(*receipt_);
  receipt.checkpoint_note[receipt.checkpoint_note.find('\n') + 1] = '9';
  write(file("note.receipt"), receipt.format());
  r = audit({"receipt", "--json", file("note.receipt"), db()});
  EXPECT_EQ(r.exit, 1);
  j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "receipt.proof");
  EXPECT_NE(j["failure"]["message"].get<std::string>().find("does not verify"), std::string::npos) << j.dump();

  // Not a tlog-proof at all.
  write(file("garbage.receipt"), "c2sp.org/tlog-proof@v2\nextra AA==\nindex 1\n\n" + receipt.checkpoint_note);
  r = audit({"receipt", file("garbage.receipt"), db()});
  EXPECT_EQ(r.exit, 1);
  EXPECT_NE(r.out.find("receipt.format"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected c2sp.org/tlog-proof@v1"), std::string::npos) << r.out;
}

// receipt does not re-verify every entry (that is verify), but the log's leaves must hash to its latest signed
// checkpoint, which must extend the receipt's.
TEST_F(AuditCli, AValidReceiptAgainstATamperedBundleReportsTheBundle) {
  write(file("r123.receipt"), *receipt_);
  const std::string path = tampered("sig2.hvbundle", [](Bundle& b) { b.entries[7].back() ^= 0x01; });
  CliRun r = audit({"receipt", "--json", file("r123.receipt"), path});
  EXPECT_EQ(r.exit, 1);
  json j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "receipt.consistency");
  EXPECT_NE(j["failure"]["message"].get<std::string>().find("do not hash to its latest checkpoint's root"),
            std::string::npos)
      << j.dump();
  // A bundle that ends before the receipt's checkpoint cannot vouch for it.
  const std::string old = tampered("old.hvbundle", [](Bundle& b) {
    b.entries.resize(200);
    b.checkpoints.resize(2);
  });
  r = audit({"receipt", "--json", file("r123.receipt"), old});
  EXPECT_EQ(r.exit, 1);
  j = json::parse(r.out);
  EXPECT_EQ(j["failure"]["check"], "receipt.consistency");
  EXPECT_NE(j["failure"]["message"].get<std::string>().find("older than the receipt's"), std::string::npos)
      << j.dump();
}

// --- usage errors (exit 2) ---

TEST_F(AuditCli, UsageErrorsExitTwoWithABilingualMessage) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{},
                                             {"frobnicate"},
                                             {"verify"},
                                             {"verify", db(), "--bogus"},
                                             {"export", db()},
                                             {"receipt", "x"},
                                             {"verify", db(), "extra-argument"}}) {
    const CliRun r = audit(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.exit, 2) << joined << r.err;
    EXPECT_NE(r.err.find("用法错误 / usage error"), std::string::npos) << joined << r.err;
    EXPECT_NE(r.err.find("hallvote-audit --help"), std::string::npos) << joined << r.err;
    EXPECT_TRUE(r.out.empty()) << joined << r.out;
  }
  const CliRun help = audit({"--help"});
  EXPECT_EQ(help.exit, 0);
  EXPECT_NE(help.out.find("verify"), std::string::npos);
}

// --- unreadable input (exit 3): the message says what is wrong with which file ---

void expect_unreadable(const CliRun& r, const std::string& path, const std::string& reason) {
  EXPECT_EQ(r.exit, 3) << r.out << r.err;
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(reason), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("beyond the end"), std::string::npos) << r.err;
}

TEST_F(AuditCli, AMissingFileSaysItCannotBeRead) {
  const std::string missing = file("no-such.hvbundle");
  const std::string message =
      "无法读取文件 / cannot read file " + missing + ": 文件或目录不存在 / no such file or directory";
  expect_unreadable(audit({"verify", missing}), missing, message);
  expect_unreadable(audit({"export", missing, "-o", file("out.hvbundle")}), missing, message);
  expect_unreadable(audit({"receipt", missing, db()}), missing, message);
  write(file("r123.receipt"), *receipt_);
  expect_unreadable(audit({"receipt", file("r123.receipt"), missing}), missing, message);

  const CliRun j = audit({"verify", "--json", missing});
  EXPECT_EQ(j.exit, 3);
  const json parsed = json::parse(j.out);
  EXPECT_EQ(parsed["ok"], false);
  EXPECT_EQ(parsed["input"], missing);
  EXPECT_EQ(parsed["error"]["exit_code"], 3);
  EXPECT_EQ(parsed["error"]["message"], message);
}

TEST_F(AuditCli, ADirectoryOrAnUnreadableFileIsNamedAsSuch) {
  expect_unreadable(audit({"verify", dir_->path.string()}), dir_->path.string(),
                    "这是一个目录 / it is a directory");
  write(file("locked.hvbundle"), exported());
  ASSERT_EQ(::chmod(file("locked.hvbundle").c_str(), 0), 0);
  if (::geteuid() != 0) {  // root reads it anyway
    expect_unreadable(audit({"verify", file("locked.hvbundle")}), file("locked.hvbundle"),
                      "没有读取权限 / permission denied");
  }
  write(file("empty"), "");
  expect_unreadable(audit({"verify", file("empty")}), file("empty"), "文件为空 / the file is empty");
  // A device or a FIFO is refused at once: /dev/zero would never end, a FIFO would block the open.
  const std::string special =
      "不是普通文件（设备、管道或套接字）/ not a regular file (a device, FIFO or socket)";
  expect_unreadable(audit({"verify", "/dev/zero"}), "/dev/zero", special);
  expect_unreadable(audit({"receipt", "/dev/zero", db()}), "/dev/zero", special);
  ASSERT_EQ(::mkfifo(file("fifo").c_str(), 0600), 0);
  expect_unreadable(audit({"verify", file("fifo")}), file("fifo"), special);
}

TEST_F(AuditCli, AFileThatIsNeitherBundleNorDatabaseIsNamedAsSuch) {
  write(file("notes.txt"), "minutes of the session\n");
  expect_unreadable(audit({"verify", file("notes.txt")}), file("notes.txt"),
                    "neither an audit bundle (first line hallvote-audit-bundle/v2) nor a session database");
  expect_unreadable(audit({"export", file("notes.txt"), "-o", file("out.hvbundle")}), file("notes.txt"),
                    "不是会话数据库 / not a session database");
  expect_unreadable(audit({"export", file("session.hvbundle"), "-o", file("out.hvbundle")}),
                    file("session.hvbundle"), "a bundle needs no export");
}

TEST_F(AuditCli, ADatabaseWithoutCheckpointOrOfAnotherProgramIsNamedAsSuch) {
  for (const char* command : {"verify", "export"}) {
    std::vector<std::string> args{command, file("fresh.db")};
    if (std::string(command) == "export") args.insert(args.end(), {"-o", file("out.hvbundle")});
    expect_unreadable(audit(args), file("fresh.db"), "holds no signed checkpoint yet");
    args[1] = file("foreign.db");
    expect_unreadable(audit(args), file("foreign.db"),
                      "不是 hallvote 会话数据库 / not a hallvote session database");
  }
  EXPECT_FALSE(std::filesystem::exists(file("out.hvbundle")));
}

TEST_F(AuditCli, AnUnwritableExportTargetIsNamed) {
  const std::string target = file("no-such-dir/out.hvbundle");
  const CliRun r = audit({"export", db(), "-o", target});
  EXPECT_EQ(r.exit, 3);
  EXPECT_NE(r.err.find("无法写入文件 / cannot write file " + target), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace hallvote::audit
