// A hall on the test bench: the township example session with keys whose secrets the test holds, a fresh
// audit log, a server core, and helpers that speak the protocol to it as terminals, chair and presidium do.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <map>

#include "../support/local_ceremony.h"
#include "hallvote/auditor/log_verifier.h"
#include "hallvote/cards/card_list.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/server/hall_server.h"
#include "hallvote/session/loader.h"
#include "hallvote/tlog/checkpoint.h"

namespace hallvote::server::testing {

using nlohmann::json;

struct Hall {
  crypto::DeterministicRandom random{77};
  session::SessionDefinition session;
  protocol::SessionRecord session_record;  // the example files and the generated keys: what the log records
  std::map<std::string, crypto::SigningKey> deputy_keys;    // by deputy id
  std::map<std::string, crypto::SigningKey> official_keys;  // by official id
  crypto::SigningKey server_key = crypto::SigningKey::generate(random);
  // The card-issuing office: signs the card list of the deputies' keys (its own randomness, so that adding it
  // changed none of the other keys).
  crypto::DeterministicRandom issuer_random{78};
  crypto::SigningKey card_issuer = crypto::SigningKey::generate(issuer_random);
  crypto::ThresholdKey threshold;                // the key committee's k-of-n key (an in-process ceremony)
  std::vector<crypto::KeyShare> trustee_shares;  // trustee j's share at [j−1]
  std::filesystem::path dir;
  audit::ManualClock clock{1'700'000'000'000};
  std::unique_ptr<audit::AuditLog> log;
  std::unique_ptr<HallServer> server;

  bool with_cosigners = false;  // the log lists the key committee as cosigners (then export needs them all)
  std::string vfs;  // the log's SQLite VFS (tests inject faults); its retries then come with the appends only
  RefusalLimits refusal_limits;  // taken at start()
  // The server's steady clock for refusal windows, in ms; tests move it (read by the server's threads).
  std::atomic<std::int64_t> now_ms{3'600'000};

  explicit Hall(const std::string& example = "jianchi-township.toml", bool cosigners = false)
      : with_cosigners(cosigners) {
    auto loaded =
        session::load_session_with_files(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/" + example)
            .value();
    session_record.files = std::move(loaded.files);
    cards::CardList card_list;
    card_list.roster_hash = cards::roster_hash(loaded.definition.roster);
    for (const auto& deputy : loaded.definition.roster) {
      auto key = crypto::SigningKey::generate(random);
      session_record.credential_keys.emplace(deputy.id, key.verify_key().hex());
      card_list.cards.emplace(deputy.id, key.verify_key());
      deputy_keys.emplace(deputy.id, std::move(key));
    }
    cards::sign(card_list, card_issuer);
    session_record.card_list = card_list.to_json();
    for (const auto& member : loaded.definition.key_committee.members) {
      auto key = crypto::SigningKey::generate(random);
      session_record.official_keys.emplace(member.id, key.verify_key().hex());
      official_keys.emplace(member.id, std::move(key));
    }
    session = session_record.definition().value();
    run_ceremony();
    dir = std::filesystem::temp_directory_path() /
          ("hallvote-server-test-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    start();
  }
  ~Hall() {
    server.reset();
    log.reset();
    std::filesystem::remove_all(dir);
  }

  // The Pedersen DKG among the key committee, all in this process (tests/support/local_ceremony.h).
  void run_ceremony() {
    const crypto::ThresholdParams params{session.key_committee.quorum,
                                         static_cast<std::uint32_t>(session.key_committee.members.size()),
                                         session.info.id};
    auto ceremony = hallvote::testing::run_local_ceremony(params, random);
    threshold = std::move(ceremony.key);
    trustee_shares = std::move(ceremony.shares);
  }

  void start() {
    audit::LogOptions options;
    options.path = (dir / "session.db").string();
    options.origin = "hallvote.test/" + session.info.id;
    options.server_key = &server_key;
    options.clock = &clock;
    options.vfs = vfs;
    if (!vfs.empty()) options.retry_interval = std::chrono::hours(1);
    if (with_cosigners) {
      for (const auto& member : session.key_committee.members) {
        options.cosigners.push_back(
            {cosigner_name(member.id), audit::kNoteCosignature, official_keys.at(member.id).verify_key()});
      }
    }
    log = audit::AuditLog::open(options).value();
    HallServerOptions server_options;
    server_options.session = &session;
    server_options.session_record = &session_record;
    server_options.log = log.get();
    server_options.server_key = &server_key;
    server_options.election_key = threshold.election_key.encode();
    server_options.threshold_key = threshold;
    server_options.random = &random;
    server_options.max_wait_ms = 200;
    server_options.refusal_limits = refusal_limits;
    server_options.clock = [this] {
      return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms.load()));
    };
    auto started = HallServer::start(server_options);
    ASSERT_TRUE(started) << started.error().message();
    server = std::move(*started);
  }

  void restart() {
    server.reset();
    log.reset();
    start();
  }

  protocol::Response call(const protocol::Peer& peer, protocol::MessageType type,
                          json fields = json::object()) {
    std::promise<crypto::Bytes> answer;
    auto future = answer.get_future();
    server->handle(peer, protocol::encode_request(type, std::move(fields)),
                   [&answer](crypto::Bytes bytes) { answer.set_value(std::move(bytes)); });
    return protocol::decode_response(future.get()).value();
  }

  const session::Deputy& deputy(std::size_t i) const { return session.roster[i]; }
  static protocol::Peer member(const std::string& id) { return {id, protocol::Role::presidium}; }
  static protocol::Peer terminal(std::size_t i) {
    return {"T" + std::to_string(1000 + i), protocol::Role::terminal};
  }
  static protocol::Peer chair() { return {"chair", protocol::Role::chair}; }

  protocol::Response sign_in(std::size_t i) {
    const auto challenge = call(terminal(i), protocol::MessageType::challenge);
    const auto nonce = crypto::from_hex(challenge.body["nonce"].get<std::string>()).value();
    const auto signature =
        deputy_keys.at(deputy(i).id).sign(protocol::sign_in_message(session.info.id, terminal(i).id, nonce));
    return call(terminal(i), protocol::MessageType::sign_in,
                {{"deputy_id", deputy(i).id}, {"signature", crypto::to_hex(signature)}});
  }

  // Opens sign-in, signs in the first `count` deputies in office (roster index i at terminal i) and starts the
  // session. Their roster indices go to `seated` when given.
  void seat(std::size_t count, std::vector<std::size_t>* seated = nullptr) {
    ASSERT_TRUE(call(chair(), protocol::MessageType::open_sign_in).ok);
    std::size_t done = 0;
    for (std::size_t i = 0; i < session.roster.size() && done < count; ++i) {
      if (!deputy(i).in_office) continue;
      ASSERT_TRUE(sign_in(i).ok) << i;
      if (seated != nullptr) seated->push_back(i);
      ++done;
    }
    auto started = call(chair(), protocol::MessageType::start_session);
    ASSERT_TRUE(started.ok) << started.detail;
  }

  // The first `quorum` trustees decrypt the closed vote's tally; returns the last answer (with the result).
  protocol::Response decrypt(const std::string& vote_id) {
    auto tally = call(chair(), protocol::MessageType::tally, {{"vote_id", vote_id}});
    EXPECT_TRUE(tally.ok) << tally.detail;
    std::vector<crypto::Ciphertext> ciphertexts;
    for (const auto& hex : tally.body["ciphertexts"]) {
      ciphertexts.push_back(
          crypto::Ciphertext::decode(crypto::from_hex(hex.get<std::string>()).value()).value());
    }
    const auto base_hash = crypto::from_hex(tally.body["base_hash"].get<std::string>()).value();
    protocol::Response last;
    for (std::size_t m = 0; m < session.key_committee.quorum; ++m) {
      const auto& member = session.key_committee.members[m];
      const auto share = crypto::decrypt_partially(trustee_shares[m], base_hash, ciphertexts, random);
      last =
          call({member.id, protocol::Role::presidium}, protocol::MessageType::submit_share,
               {{"vote_id", vote_id}, {"official_id", member.id}, {"share", crypto::to_hex(share.encode())}});
      EXPECT_TRUE(last.ok) << last.detail;
    }
    return last;
  }

  // Prepares, approves (by the first `quorum` officials) and opens `vote_id`.
  void open_vote(const std::string& vote_id) {
    ASSERT_TRUE(call(chair(), protocol::MessageType::prepare_vote, {{"vote_id", vote_id}}).ok);
    for (std::size_t m = 0; m < session.key_committee.quorum; ++m) {
      const auto& member = session.key_committee.members[m];
      const protocol::Peer presidium{member.id, protocol::Role::presidium};
      auto definition = call(presidium, protocol::MessageType::ballot_definition, {{"vote_id", vote_id}});
      ASSERT_TRUE(definition.ok);
      const auto base_hash =
          crypto::from_hex_fixed<32>(definition.body["base_hash"].get<std::string>()).value();
      const auto signature = official_keys.at(member.id).sign(protocol::approval_message(base_hash));
      auto approved =
          call(presidium, protocol::MessageType::approve_vote,
               {{"vote_id", vote_id}, {"official_id", member.id}, {"signature", crypto::to_hex(signature)}});
      ASSERT_TRUE(approved.ok) << approved.detail;
    }
    auto opened = call(chair(), protocol::MessageType::open_vote, {{"vote_id", vote_id}});
    ASSERT_TRUE(opened.ok) << opened.detail;
  }

  protocol::SignedBallot fetch(std::size_t i) {
    auto response =
        call(terminal(i), protocol::MessageType::fetch_ballot, {{"deputy_id", deputy(i).id}, {"wait_ms", 0}});
    EXPECT_TRUE(response.ok) << response.detail;
    return protocol::SignedBallot::from_json(response.body["ballot"].dump()).value();
  }

  struct Cast {
    crypto::Bytes ballot;
    crypto::Signature signature{};
  };

  Cast make_cast(std::size_t i, const protocol::BallotDefinition& definition,
                 const protocol::Choices& choices) {
    const auto& key = deputy_keys.at(deputy(i).id);
    auto ballot = protocol::encrypt_ballot(definition, deputy(i).id, key.verify_key(), choices, random);
    EXPECT_TRUE(ballot) << ballot.error().message();
    Cast cast{ballot->encode(), {}};
    cast.signature = key.sign(protocol::cast_signing_message(cast.ballot));
    return cast;
  }

  protocol::Response send(std::size_t terminal_index, const std::string& vote_id, const Cast& cast) {
    return call(terminal(terminal_index), protocol::MessageType::cast,
                {{"vote_id", vote_id},
                 {"ballot", crypto::to_hex(cast.ballot)},
                 {"signature", crypto::to_hex(cast.signature)}});
  }

  audit::NoteKey log_key() const { return log->log_key(); }
  std::string cosigner_name(const std::string& official) const {
    return "hallvote.test/" + session.info.id + "/" + official;
  }
};

// A choose vote's choices: the selections at `chosen` of the one contest.
inline protocol::Choices pick(const protocol::BallotDefinition& d, std::initializer_list<std::size_t> chosen) {
  protocol::Choices choices(1, std::vector<std::uint8_t>(d.shape.contests[0].selections.size(), 0));
  for (auto c : chosen) choices[0][c] = 1;
  return choices;
}

}  // namespace hallvote::server::testing
