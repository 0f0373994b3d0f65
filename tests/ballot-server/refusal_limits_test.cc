// Refused casts per terminal (docs/protocol.md §4.2.6): a flood of bad casts from one terminal yields a bounded
// number of log entries whose counts add up, and cuts the terminal off; an honest terminal is unaffected. The
// windows run on the fixture's injected clock, so nothing waits.
#include <gtest/gtest.h>

#include "hall_server_fixture.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::server {
namespace {

using protocol::EntryType;
using protocol::MessageType;
using protocol::ProtocolErrc;
using testing::Hall;
using testing::pick;

struct RefusalEntries {
  std::uint64_t individual = 0;     // cast_rejected entries
  std::uint64_t summaries = 0;      // casts_refused_summary entries
  std::uint64_t summarised = 0;     // the refusals they count
  std::uint64_t cut_offs = 0;       // summaries marked cut_off
  std::set<std::string> terminals;  // terminals named by either
};

RefusalEntries refusal_entries(const audit::AuditLog& log) {
  RefusalEntries out;
  for (std::uint64_t i = 0; i < log.size(); ++i) {
    const auto entry = audit::decode(log.entry(i).value()).value();
    const auto event = protocol::decode(entry.type, entry.payload).value();
    if (const auto* rejected = std::get_if<protocol::CastRejected>(&event)) {
      ++out.individual;
      out.terminals.insert(rejected->terminal_id);
    } else if (const auto* summary = std::get_if<protocol::CastsRefusedSummary>(&event)) {
      ++out.summaries;
      out.summarised += summary->refused;
      out.cut_offs += summary->cut_off ? 1 : 0;
      out.terminals.insert(summary->terminal_id);
    }
  }
  return out;
}

// A cast whose card signature does not verify: refused wrong_credential, every time, before any state check.
Hall::Cast forged_cast(Hall& hall, std::size_t i) {
  const auto ballot = hall.fetch(i);
  auto cast = hall.make_cast(i, ballot.definition, pick(ballot.definition, {0}));
  cast.signature[0] ^= 1;
  return cast;
}

TEST(RefusalLimits, ThousandBadCastsGiveABoundedLogThatCountsThemAllAndCutTheTerminalOff) {
  Hall hall;
  hall.seat(40);
  hall.open_vote("V1");
  const auto bad = forged_cast(hall, 0);
  const std::uint64_t before = hall.log->size();

  std::uint64_t answered_cut_off = 0;
  bool was_cut_off = false;
  for (int i = 0; i < 1000; ++i) {
    hall.now_ms += 100;  // 10 casts a second on the injected clock: 100 s in all
    const auto response = hall.send(0, "V1", bad);
    ASSERT_FALSE(response.ok);
    if (response.error == ProtocolErrc::forbidden) ++answered_cut_off;
    was_cut_off = was_cut_off || hall.server->cut_off(Hall::terminal(0));
  }
  EXPECT_TRUE(was_cut_off);
  EXPECT_GT(answered_cut_off, 0u);
  EXPECT_FALSE(hall.server->cut_off(Hall::terminal(1)));

  // An honest terminal meanwhile: served as usual.
  const auto ballot = hall.fetch(1);
  EXPECT_TRUE(hall.send(1, "V1", hall.make_cast(1, ballot.definition, pick(ballot.definition, {1}))).ok);

  hall.restart();  // a clean stop writes the counts still pending
  const RefusalEntries entries = refusal_entries(*hall.log);
  EXPECT_EQ(entries.individual + entries.summarised, 1000u);
  EXPECT_LE(entries.individual + entries.summaries, 40u) << "10 logged + at most 2 summaries per 60 s window";
  EXPECT_GE(entries.cut_offs, 1u);
  EXPECT_EQ(entries.terminals, std::set<std::string>{Hall::terminal(0).id});
  EXPECT_LE(hall.log->size() - before, 60u);

  // The log with summaries passes the auditor, which counts them (a cast signs a checkpoint over them all).
  const auto later = hall.fetch(2);
  ASSERT_TRUE(hall.send(2, "V1", hall.make_cast(2, later.definition, pick(later.definition, {0}))).ok);
  const auto bundle = hall.log->export_bundle().value();
  EXPECT_TRUE(audit::verify_bundle(bundle).ok());
  const auto votes = vote_audit::verify_votes(bundle);
  EXPECT_TRUE(votes.ok()) << (votes.ok() ? "" : votes.failure->check);
  EXPECT_EQ(votes.refusals_summarised, entries.summarised);
  EXPECT_EQ(votes.refusal_summaries, entries.summaries);
}

TEST(RefusalLimits, FewRefusalsAreEachLoggedAndAWindowEndsWithOneSummary) {
  Hall hall;
  hall.refusal_limits = {std::chrono::milliseconds(1000), 3, 50, std::chrono::milliseconds(1000)};
  hall.restart();
  hall.seat(40);
  hall.open_vote("V1");
  const auto bad = forged_cast(hall, 0);
  for (int i = 0; i < 8; ++i) EXPECT_EQ(hall.send(0, "V1", bad).error, ProtocolErrc::wrong_credential);
  RefusalEntries entries = refusal_entries(*hall.log);
  EXPECT_EQ(entries.individual, 3u);
  EXPECT_EQ(entries.summaries, 0u);  // 5 counted, written when the window is over

  hall.now_ms += 1000;  // the window is over: the next refusal writes its summary, then is logged itself
  EXPECT_EQ(hall.send(0, "V1", bad).error, ProtocolErrc::wrong_credential);
  entries = refusal_entries(*hall.log);
  EXPECT_EQ(entries.individual, 4u);
  EXPECT_EQ(entries.summaries, 1u);
  EXPECT_EQ(entries.summarised, 5u);
  EXPECT_EQ(entries.cut_offs, 0u);
  EXPECT_FALSE(hall.server->cut_off(Hall::terminal(0)));
}

TEST(RefusalLimits, CutOffEndsAfterTheCoolDown) {
  Hall hall;
  hall.refusal_limits = {std::chrono::milliseconds(60'000), 2, 5, std::chrono::milliseconds(10'000)};
  hall.restart();
  hall.seat(40);
  hall.open_vote("V1");
  const auto bad = forged_cast(hall, 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(hall.send(0, "V1", bad).error, ProtocolErrc::wrong_credential);
  EXPECT_TRUE(hall.server->cut_off(Hall::terminal(0)));
  // Every request is refused during the cool-down, casts and others alike.
  EXPECT_EQ(hall.call(Hall::terminal(0), MessageType::status).error, ProtocolErrc::forbidden);
  EXPECT_EQ(hall.send(0, "V1", bad).error, ProtocolErrc::forbidden);

  hall.now_ms += 10'000;
  EXPECT_FALSE(hall.server->cut_off(Hall::terminal(0)));
  EXPECT_TRUE(hall.call(Hall::terminal(0), MessageType::status).ok);
  const auto ballot = hall.fetch(0);
  EXPECT_TRUE(hall.send(0, "V1", hall.make_cast(0, ballot.definition, pick(ballot.definition, {2}))).ok);
}

TEST(RefusalLimits, LimitsThatCannotWorkAreRefusedAtStart) {
  using std::chrono::milliseconds;
  Hall hall;
  HallServerOptions options;
  options.session = &hall.session;
  options.session_record = &hall.session_record;
  options.log = hall.log.get();
  options.server_key = &hall.server_key;
  for (const RefusalLimits limits : {RefusalLimits{milliseconds(1000), 5, 5, milliseconds(1000)},
                                     RefusalLimits{milliseconds(0), 1, 2, milliseconds(1000)},
                                     RefusalLimits{milliseconds(1000), 0, 2, milliseconds(1000)},
                                     RefusalLimits{milliseconds(1000), 1, 2, milliseconds(0)}}) {
    options.refusal_limits = limits;
    auto started = HallServer::start(options);
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().code, std::make_error_code(std::errc::invalid_argument));
  }
}

}  // namespace
}  // namespace hallvote::server
