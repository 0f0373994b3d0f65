// session_bench: one W1 vote (10 projects, choose at most 3) of a 3,000-deputy session, end to end through the
// server core in process (no network: hall_load measures that), timing what happens after the vote closes.
// Prints FIGURE lines (docs/benchmarks.md):
//   close_to_result_3000_w1_s  close_vote (the homomorphic tally, logged) → 3 of 5 trustees each fetch the
//   tally,
//                              decrypt partially with proofs and submit; the server verifies each share,
//                              combines the first 3, runs the rules engine and logs the result
//   audit_verify_3000_w1_s     the auditor's full verification of the exported bundle on 2 threads: the log
//                              (chain, signatures, Merkle tree, checkpoints) and the vote (every ballot's
//                              proofs and signature, one per credential, reconciliation, tally, shares, result)
// Usage: session_bench [deputies]   (default 3000; the set-up — sign-in and casting — is not timed)
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "../support/local_ceremony.h"
#include "hallvote/audit/log.h"
#include "hallvote/auditor/verifier.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/server/hall_server.h"
#include "hallvote/tlog/bundle.h"
#include "w1_session.h"

namespace hv = hallvote;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Bench {
  hv::server::HallServer& server;

  // One request, answered synchronously; aborts the benchmark on a refusal (set-up must not fail).
  json call(const hv::protocol::Peer& peer, hv::protocol::MessageType type, json fields = json::object()) {
    std::promise<hv::crypto::Bytes> answer;
    auto future = answer.get_future();
    server.handle(peer, hv::protocol::encode_request(type, std::move(fields)),
                  [&answer](hv::crypto::Bytes bytes) { answer.set_value(std::move(bytes)); });
    auto response = hv::protocol::decode_response(future.get()).value();
    if (!response.ok) {
      std::fprintf(stderr, "session_bench: %s refused: %s\n",
                   std::string(hv::protocol::to_string(type)).c_str(), response.detail.c_str());
      std::exit(1);
    }
    return response.body;
  }
};

template <class Work>
void in_parallel(std::size_t count, Work work) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < 16; ++t) {
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) work(i);
    });
  }
  for (auto& thread : pool) thread.join();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t deputies = argc > 1 ? std::stoul(argv[1]) : 3000;
  hv::crypto::DeterministicRandom random(11);
  std::vector<hv::crypto::SigningKey> cards, officials;
  const auto record = hv::bench::w1_session_record(deputies, 5, 3, cards, officials, random);
  const auto session = record.definition().value();
  const hv::crypto::ThresholdParams params{3, 5, session.info.id};
  const auto ceremony = hv::testing::run_local_ceremony(params, random);

  const auto dir =
      std::filesystem::temp_directory_path() / ("hallvote-session-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto server_key = hv::crypto::SigningKey::generate();
  hv::audit::LogOptions log_options;
  log_options.path = (dir / "session.db").string();
  log_options.origin = "hallvote.bench/" + session.info.id;
  log_options.server_key = &server_key;
  auto log = hv::audit::AuditLog::open(log_options).value();
  hv::server::HallServerOptions options;
  options.session = &session;
  options.session_record = &record;
  options.log = log.get();
  options.server_key = &server_key;
  options.election_key = ceremony.key.election_key.encode();
  options.threshold_key = ceremony.key;
  auto server = hv::server::HallServer::start(options).value();
  Bench bench{*server};
  const hv::protocol::Peer chair{"chair", hv::protocol::Role::chair};
  auto terminal = [](std::size_t i) {
    return hv::protocol::Peer{"T" + std::to_string(10000 + i), hv::protocol::Role::terminal};
  };

  std::fprintf(stderr, "session_bench: %zu deputies sign in…\n", deputies);
  bench.call(chair, hv::protocol::MessageType::open_sign_in);
  in_parallel(deputies, [&](std::size_t i) {
    const auto challenge = bench.call(terminal(i), hv::protocol::MessageType::challenge);
    const auto nonce = hv::crypto::from_hex(challenge["nonce"].get<std::string>()).value();
    const auto signature = cards[i].sign(hv::protocol::sign_in_message(session.info.id, terminal(i).id, nonce));
    bench.call(terminal(i), hv::protocol::MessageType::sign_in,
               {{"deputy_id", session.roster[i].id}, {"signature", hv::crypto::to_hex(signature)}});
  });
  bench.call(chair, hv::protocol::MessageType::start_session);
  bench.call(chair, hv::protocol::MessageType::prepare_vote, {{"vote_id", "W1"}});
  for (std::size_t m = 0; m < params.k; ++m) {
    const hv::protocol::Peer member{session.key_committee.members[m].id, hv::protocol::Role::presidium};
    const auto definition =
        bench.call(member, hv::protocol::MessageType::ballot_definition, {{"vote_id", "W1"}});
    const auto base_hash = hv::crypto::from_hex_fixed<32>(definition["base_hash"].get<std::string>()).value();
    bench.call(
        member, hv::protocol::MessageType::approve_vote,
        {{"vote_id", "W1"},
         {"official_id", member.id},
         {"signature", hv::crypto::to_hex(officials[m].sign(hv::protocol::approval_message(base_hash)))}});
  }
  bench.call(chair, hv::protocol::MessageType::open_vote, {{"vote_id", "W1"}});

  std::fprintf(stderr, "session_bench: %zu ballots encrypted and cast…\n", deputies);
  in_parallel(deputies, [&](std::size_t i) {
    const auto fetched = bench.call(terminal(i), hv::protocol::MessageType::fetch_ballot,
                                    {{"deputy_id", session.roster[i].id}, {"wait_ms", 0}});
    const auto ballot = hv::protocol::SignedBallot::from_json(fetched["ballot"].dump()).value();
    hv::protocol::Choices choices(1, std::vector<std::uint8_t>(10, 0));
    for (std::size_t pick : {i % 10, (i + 3) % 10, (i + 6) % 10}) choices[0][pick] = 1;
    auto encrypted =
        hv::protocol::encrypt_ballot(ballot.definition, session.roster[i].id, cards[i].verify_key(), choices)
            .value();
    const auto bytes = encrypted.encode();
    bench.call(terminal(i), hv::protocol::MessageType::cast,
               {{"vote_id", "W1"},
                {"ballot", hv::crypto::to_hex(bytes)},
                {"signature", hv::crypto::to_hex(cards[i].sign(hv::protocol::cast_signing_message(bytes)))}});
  });

  const auto closing = Clock::now();
  bench.call(chair, hv::protocol::MessageType::close_vote, {{"vote_id", "W1"}});
  json result;
  for (std::size_t j = 0; j < params.k; ++j) {
    const hv::protocol::Peer trustee{session.key_committee.members[j].id, hv::protocol::Role::presidium};
    const auto tally = bench.call(trustee, hv::protocol::MessageType::tally, {{"vote_id", "W1"}});
    const auto base_hash = hv::crypto::from_hex(tally["base_hash"].get<std::string>()).value();
    std::vector<hv::crypto::Ciphertext> ciphertexts;
    for (const auto& c : tally["ciphertexts"]) {
      ciphertexts.push_back(
          hv::crypto::Ciphertext::decode(hv::crypto::from_hex(c.get<std::string>()).value()).value());
    }
    const auto share = hv::crypto::decrypt_partially(ceremony.shares[j], base_hash, ciphertexts);
    result = bench.call(
        trustee, hv::protocol::MessageType::submit_share,
        {{"vote_id", "W1"}, {"official_id", trustee.id}, {"share", hv::crypto::to_hex(share.encode())}});
  }
  const double close_to_result = seconds_since(closing);
  if (!result.value("decrypted", false)) {
    std::fprintf(stderr, "session_bench: the result was not decrypted\n");
    return 1;
  }

  bench.call({session.key_committee.members[0].id, hv::protocol::Role::presidium},
             hv::protocol::MessageType::checkpoint);
  server.reset();
  log.reset();
  const auto bundle = hv::audit::export_bundle_from_db(log_options.path).value();
  const auto verifying = Clock::now();
  const auto report = hv::vote_audit::verify_session(bundle);
  const double audit_verify = seconds_since(verifying);
  std::filesystem::remove_all(dir);
  if (!report.ok() || !report.votes) {
    std::fprintf(stderr, "session_bench: the bundle did not verify:\n%s\n",
                 report.votes ? hv::vote_audit::render_text(*report.votes).c_str()
                              : report.log.failure->error.message().c_str());
    return 1;
  }
  std::printf("bundle: %llu entries, %llu ballots verified\n",
              static_cast<unsigned long long>(report.log.entries),
              static_cast<unsigned long long>(report.votes->ballots));
  std::printf("FIGURE close_to_result_%zu_w1_s %.3f s\n", deputies, close_to_result);
  std::printf("FIGURE audit_verify_%zu_w1_s %.3f s\n", deputies, audit_verify);
  return 0;
}
