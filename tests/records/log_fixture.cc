#include "log_fixture.h"

#include <cstdio>
#include <cstdlib>

#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/certification.h"
#include "hallvote/protocol/events.h"
#include "hallvote/protocol/result_outcome.h"
#include "hallvote/session/loader.h"
#include "hallvote/session/rules.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/note.h"

namespace hallvote::records::testing {
namespace {

using nlohmann::json;

// The trustees whose shares every round's result combines: k = the committee's quorum (3).
const std::vector<std::string> kDecryptedBy = {"P01", "P02", "C01"};
// Every scrutineer, then 3 of the 5 presidium members (docs/rules.md §9): a complete certification.
const std::vector<std::string> kScrutineers = {"C01", "S01", "S02", "S03"};
const std::vector<std::string> kCertifiers = {"C01", "S01", "S02", "S03", "P01", "P02", "P03"};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "log_fixture: %s\n", what.c_str());
  std::abort();
}

class Builder {
 public:
  explicit Builder(SyntheticLog& log) : log_(log) {}

  std::uint64_t append(audit::EntryType type, const json& payload, const std::string& actor = "server") {
    audit::Entry e;
    e.type = type;
    e.sequence = log_.entries.size();
    e.time_ms = time_;
    e.actor = actor;
    e.payload = dump(payload);
    log_.entries.push_back(e);
    time_ += 7000;  // 7 s between entries
    return e.sequence;
  }

  std::uint64_t append(const protocol::Event& event, const std::string& actor = "server") {
    return append(protocol::type_of(event), json::parse(protocol::encode(event)), actor);
  }

  void wait_minutes(std::int64_t minutes) { time_ += minutes * 60000; }

  // Closes, decrypts (by kDecryptedBy) and records one round; returns the result.
  session::VoteResult round(const std::string& vote_id, const session::RoundTally& tally,
                            std::vector<session::RoundTally>& rounds) {
    rounds.push_back(tally);
    auto result = session::compute_vote_result(log_.session, vote_id, rounds);
    if (!result) die("rules engine: " + result.error().message());
    const auto number = static_cast<std::uint32_t>(rounds.size());
    append(protocol::VoteClosed{vote_id, number, tally.accounting.returned, tally.accounting.issued,
                                tally.present});
    wait_minutes(3);
    if (kDecryptedBy.size() != log_.session.key_committee.quorum) die("k trustees decrypt");
    append(
        protocol::ResultEntry{vote_id, protocol::result_outcome(log_.session, tally, *result, kDecryptedBy)});
    return *result;
  }

  // The certification by each of `officials` of the round's result, in order, as the server records them
  // (protocol::Certification, `complete` by protocol::certification_progress). Dies when the order breaks the
  // rule (protocol::check_next_certifier) or when the last one does not complete the round's certification
  // although `completes`, or does although not.
  void certify(const std::string& vote_id, std::uint32_t round, const std::vector<std::string>& officials,
               bool completes = true) {
    const session::KeyCommittee& committee = log_.session.key_committee;
    protocol::Certification c;
    c.vote_id = vote_id;
    c.round = round;
    c.result_sequence = log_.find(audit::EntryType::result, vote_id, round);
    c.result_hash = audit::entry_hash(audit::encode(log_.entries[c.result_sequence]));
    std::vector<std::string> signers;
    for (const std::string& id : officials) {
      if (auto ok = protocol::check_next_certifier(committee, signers, id); !ok) die(ok.error().message());
      const session::Official* official = log_.session.find_official(id);
      signers.push_back(id);
      c.certifier = official->id;
      c.name = official->name;
      c.role = std::string(session::to_string(official->role));
      c.complete = protocol::certification_progress(committee, signers).complete;
      append(protocol::CertificationEntry{c}, official->name);
    }
    if (c.complete != completes)
      die(vote_id + " round " + std::to_string(round) + ": certification complete is " +
          (c.complete ? "true" : "false"));
  }

 private:
  SyntheticLog& log_;
  std::int64_t time_ = kStartMs;
};

session::RoundTally tally(std::uint32_t present, std::uint32_t issued, std::uint32_t returned,
                          std::uint32_t invalid, std::vector<std::vector<std::uint32_t>> totals) {
  session::RoundTally t;
  t.present = present;
  t.accounting = {issued, returned, returned - invalid, invalid};
  t.totals = std::move(totals);
  return t;
}

}  // namespace

std::string dump(const nlohmann::json& payload) { return payload.dump(); }

std::uint64_t SyntheticLog::find(audit::EntryType type, const std::string& vote_id, std::uint32_t round) const {
  for (const audit::Entry& e : entries) {
    if (e.type != type) continue;
    const json p = json::parse(e.payload);
    if (p.value("vote_id", "") != vote_id) continue;
    if (round != 0) {
      const std::uint32_t r = type == audit::EntryType::result ? p["outcome"]["round"].get<std::uint32_t>()
                              : p.contains("round")            ? p["round"].get<std::uint32_t>()
                                                               : 0;
      if (r != round) continue;
    }
    return e.sequence;
  }
  die("no such entry");
}

std::string SyntheticLog::note(std::uint64_t size) {
  audit::Checkpoint c;
  c.origin = "hallvote.example/hanyin-18-3";
  c.size = size;
  c.root = crypto::sha256(crypto::as_bytes("root of " + std::to_string(size)));
  crypto::SecretArray<32> seed{};
  const crypto::SigningKey key = crypto::SigningKey::from_seed(seed);
  audit::Note n;
  n.text = c.text();
  n.signatures.push_back(audit::sign_note(n.text, c.origin, key));
  return n.format();
}

void SyntheticLog::rehash_certifications() {
  for (audit::Entry& e : entries) {
    if (e.type != audit::EntryType::certification) continue;
    json p = json::parse(e.payload);
    const std::uint64_t result = p["result_sequence"].get<std::uint64_t>();
    p["result_hash"] = crypto::to_hex(audit::entry_hash(audit::encode(entries[result])));
    e.payload = dump(p);
  }
}

SyntheticLog make_log(const FixtureOptions& options) {
  SyntheticLog log;
  auto loaded =
      session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/hanyin-county.toml");
  if (!loaded) die(loaded.error().message());
  log.session = std::move(*loaded);
  for (std::size_t i = 0; i < options.extra_items; ++i) {
    session::Project p;
    p.id = "GEN-" + std::to_string(1000 + i);
    p.title = "第" + std::to_string(i + 1) + "号生成项目：城乡道路与公共设施维护提升工程（用于测试长表格分页）";
    p.category = "测试";
    log.session.projects.push_back(p);
    log.session.votes.at(2).items.push_back(p.id);
  }
  Builder b(log);
  const std::uint32_t in_office = log.session.deputies_in_office();
  b.append(audit::EntryType::session_opened,
           {{"session_id", log.session.info.id}, {"title", log.session.info.body}});
  b.append(audit::EntryType::session_started,
           {{"session_id", log.session.info.id}, {"present", 240}, {"in_office", in_office}});

  // V1: 13选10; HY2025-10 and HY2025-11 tie at 170 across the 10th place → run-off for one place.
  std::vector<session::RoundTally> v1;
  b.append(audit::EntryType::vote_opened, {{"vote_id", "V1"}, {"title", "差额票决"}, {"kind", "choose"}});
  auto r1 = b.round(
      "V1", tally(240, 240, 238, 2, {{231, 225, 220, 210, 205, 198, 190, 185, 180, 170, 170, 90, 60}}), v1);
  if (!r1.next_round) die("V1 round 1 should call for a run-off");
  b.certify("V1", 1, kCertifiers);
  b.wait_minutes(20);
  auto r2 = b.round("V1", tally(239, 239, 237, 0, {{150, 80}}), v1);
  if (r2.status != session::VoteStatus::decided) die("V1 round 2 should decide");
  b.certify("V1", 2, kCertifiers);
  b.wait_minutes(30);

  // V2: 满意度测评 (满意/基本满意/不满意/弃权) of last year's 10 projects.
  std::vector<session::RoundTally> v2;
  b.append(audit::EntryType::vote_opened,
           {{"vote_id", "V2"}, {"title", "满意度测评"}, {"kind", "satisfaction"}});
  b.round("V2",
          tally(238, 238, 236, 1,
                {{200, 25, 5, 3},
                 {180, 40, 10, 2},
                 {150, 60, 20, 3},
                 {120, 90, 20, 4},
                 {100, 100, 30, 3},
                 {160, 50, 20, 4},
                 {140, 70, 20, 2},
                 {170, 40, 20, 3},
                 {110, 60, 60, 4},
                 {130, 80, 22, 3}}),
          v2);
  b.certify("V2", 1, options.certify_v2 ? kCertifiers : kScrutineers, options.certify_v2);
  b.wait_minutes(30);

  if (options.include_v3) {
    // V3: the 决定 motion (and, for the pagination test, generated projects), 赞成/反对/弃权 each.
    std::vector<session::RoundTally> v3;
    b.append(audit::EntryType::vote_opened, {{"vote_id", "V3"}, {"title", "决定"}, {"kind", "per_item"}});
    std::vector<std::vector<std::uint32_t>> totals{{221, 9, 5}};
    for (std::size_t i = 0; i < options.extra_items; ++i) {
      totals.push_back({static_cast<std::uint32_t>(100 + i % 50), static_cast<std::uint32_t>(50 + i % 7), 10});
    }
    b.round("V3", tally(238, 238, 237, 0, totals), v3);
    b.certify("V3", 1, kCertifiers);
  }
  b.append(audit::EntryType::session_closed, {{"session_id", log.session.info.id}});

  const std::uint64_t size = log.entries.size();
  log.notes = {SyntheticLog::note(3), SyntheticLog::note(size)};
  return log;
}

}  // namespace hallvote::records::testing
