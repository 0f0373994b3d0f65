// A decrypted round's tally report (计票结果报告单, the vote's latest `result` entry) and its certification by
// the key committee: every scrutineer, then q presidium members (docs/protocol.md §4.5.5, §4.5.8;
// protocol/certification.h). Serialized with the other commands by State::control.
#include "hallvote/protocol/certification.h"
#include "hallvote/tlog/entry.h"
#include "state.h"

namespace hallvote::server {

using protocol::ProtocolErrc;

namespace {

struct Report {
  crypto::Bytes bytes;  // the result entry's canonical bytes
  audit::Hash hash{};   // their SHA-256: the entry hash
};

Result<Report> read_report(HallServer::State& s, std::uint64_t sequence) {
  auto bytes = s.log.entry(sequence);
  if (!bytes)
    return fail(ProtocolErrc::internal,
                "result entry " + std::to_string(sequence) + ": " + bytes.error().message());
  Report report{std::move(*bytes), {}};
  report.hash = audit::entry_hash(report.bytes);
  return report;
}

json current_round_json(const VoteRuntime& v) {
  const session::RoundRecord& round = v.lifecycle.current();
  return {{"number", round.spec.number},
          {"purpose", std::string(session::display_name_zh(round.spec.purpose))},
          {"items", round.spec.items},
          {"state", std::string(session::to_string(round.state))},
          {"state_zh", std::string(session::display_name_zh(round.state))}};
}

// Checks 5–7 of docs/protocol.md §4.5.8: the round exists, is the current one, and is decrypted and not yet
// certified. Precondition: mutex held.
Status check_round(const VoteRuntime& v, std::uint64_t round) {
  const session::RoundRecord& current = v.lifecycle.current();
  const std::string n = std::to_string(round);
  if (round > current.spec.number) {
    return reject(ProtocolErrc::wrong_vote,
                  "表决“" + v.definition->title + "”没有第" + n + "轮 / the vote has no round " + n);
  }
  if (round < current.spec.number || current.state == session::VoteState::certified ||
      current.state == session::VoteState::announced) {
    return reject(ProtocolErrc::wrong_state,
                  "第" + n + "轮计票结果已确认 / round " + n + " is already certified");
  }
  if (current.state != session::VoteState::decrypted) {
    return reject(ProtocolErrc::wrong_state,
                  "第" + n + "轮" + std::string(session::display_name_zh(current.state)) +
                      "，尚无计票结果可确认 / round " + n + " is " +
                      std::string(session::to_string(current.state)) + ", no result to certify yet");
  }
  return {};
}

}  // namespace

json certification_json(const HallServer::State& s, const VoteRuntime& v, std::uint32_t round) {
  auto it = v.certifiers.find(round);
  const std::vector<std::string> none;
  return protocol::certification_progress(s.session.key_committee, it == v.certifiers.end() ? none : it->second)
      .to_json();
}

Result<json> handle_result(HallServer::State& s, const protocol::Peer&, const json& body) {
  json answer;
  std::uint64_t sequence = 0;
  {
    std::lock_guard lock(s.mutex);
    auto it = s.votes.find(text_field(body, "vote_id"));
    if (it == s.votes.end()) return reject(ProtocolErrc::wrong_vote, text_field(body, "vote_id"));
    const VoteRuntime& v = it->second;
    if (!v.result) return reject(ProtocolErrc::wrong_state, "结果尚未解密 / not decrypted yet");
    sequence = v.result_sequence;
    answer = {{"vote_id", it->first},
              {"title", v.definition->title},
              {"kind", std::string(session::to_string(v.definition->kind))},
              {"result", v.result->to_json()},
              {"result_sequence", sequence},
              {"certification", certification_json(s, v, v.result->round.spec.number)},
              {"current_round", current_round_json(v)}};
  }
  auto report = read_report(s, sequence);  // the log is append-only: the entry read here is the one named above
  if (!report) return forward(report.error());
  answer["entry"] = crypto::to_hex(report->bytes);
  answer["result_hash"] = crypto::to_hex(report->hash);
  return answer;
}

Result<json> handle_certify(HallServer::State& s, const protocol::Peer& peer, const json& body) {
  std::lock_guard control(s.control);
  const auto& committee = s.session.key_committee;
  // 1–2: the sender certifies as themselves, and is on the key committee.
  const std::string official_id = text_field(body, "official_id");
  if (official_id != peer.id) {
    return reject(ProtocolErrc::forbidden, "只能以本人身份确认 / certify only as yourself (" + peer.id + ")");
  }
  const session::Official* official = s.session.find_official(official_id);
  if (official == nullptr) {
    return reject(ProtocolErrc::forbidden,
                  "'" + official_id + "' 不是主席团/监票人成员 / not a key committee member");
  }
  // 3: the fields.
  const std::uint64_t round = count_field(body, "round", 0);
  if (round == 0 || round > 0xFFFFFFFFu) return reject(ProtocolErrc::malformed, "certify.round");
  if (!body.contains("result_sequence") || !body["result_sequence"].is_number_unsigned()) {
    return reject(ProtocolErrc::malformed, "certify.result_sequence");
  }
  const std::uint64_t result_sequence = body["result_sequence"].get<std::uint64_t>();
  auto result_hash = crypto::from_hex_fixed<32>(text_field(body, "result_hash"));
  if (!result_hash) return reject(ProtocolErrc::malformed, "certify.result_hash");
  auto signature = crypto::from_hex_fixed<64>(text_field(body, "signature"));
  if (!signature) return reject(ProtocolErrc::malformed, "certify.signature");

  if (auto ok = record_redecided_result_if_due(s, text_field(body, "vote_id")); !ok) return forward(ok.error());
  std::string vote_id;
  std::uint64_t latest_result = 0;
  std::vector<std::string> signers;
  {
    std::lock_guard lock(s.mutex);
    // 4–7: the vote, the round, its state.
    auto it = s.votes.find(text_field(body, "vote_id"));
    if (it == s.votes.end()) {
      return reject(ProtocolErrc::wrong_vote, "没有表决“" + text_field(body, "vote_id") + "” / no vote '" +
                                                  text_field(body, "vote_id") + "'");
    }
    if (auto ok = check_round(it->second, round); !ok) return forward(ok.error());
    if (const auto& result = it->second.result; result && !result->decided && !result->next_round) {
      return reject(
          ProtocolErrc::wrong_state,
          "不足名额如何处理尚待主席团决定，决定后再确认计票结果 / the presidium has yet to decide the "
          "shortfall: certify after its decision (hallvote-presidium decide)");
    }
    vote_id = it->first;
    latest_result = it->second.result_sequence;
    if (auto c = it->second.certifiers.find(static_cast<std::uint32_t>(round));
        c != it->second.certifiers.end()) {
      signers = c->second;
    }
  }
  // 8: the report signed is the log's: the latest result entry, by sequence and entry hash.
  auto report = read_report(s, latest_result);
  if (!report) return forward(report.error());
  if (result_sequence != latest_result || *result_hash != report->hash) {
    return reject(
        ProtocolErrc::invalid_certification,
        "计票结果报告单与审计日志不符 / the report does not match the log: the round's result is entry " +
            std::to_string(latest_result) + " with hash " + crypto::to_hex(report->hash) + ", not entry " +
            std::to_string(result_sequence) + " with hash " + crypto::to_hex(*result_hash));
  }
  // 9: the signing order and repeats; 10: the signature.
  if (auto ok = protocol::check_next_certifier(committee, signers, official_id); !ok)
    return forward(ok.error());
  const auto round32 = static_cast<std::uint32_t>(round);
  if (auto ok = protocol::verify_certification(committee, s.session.info.id, vote_id, round32, result_sequence,
                                               *result_hash, official_id, *signature);
      !ok) {
    return forward(ok.error());
  }
  // 11: record.
  signers.push_back(official_id);
  const protocol::Certification certification{vote_id,
                                              round32,
                                              result_sequence,
                                              *result_hash,
                                              official_id,
                                              official->name,
                                              std::string(session::to_string(official->role)),
                                              *signature,
                                              protocol::certification_progress(committee, signers).complete};
  auto recorded = s.record(protocol::CertificationEntry{certification});
  if (!recorded) return forward(recorded.error());
  json answer;
  {
    std::lock_guard lock(s.mutex);
    const VoteRuntime& v = s.votes.at(vote_id);
    answer = certification_json(s, v, round32);
    answer["vote_id"] = vote_id;
    answer["round"] = round32;
    answer["current_round"] = current_round_json(v);
  }
  if (certification.complete && s.options.on_certified) {
    Result<std::string> records =
        s.ensure_checkpoint(*recorded).and_then([&] { return s.options.on_certified(vote_id); });
    if (records) {
      answer["records"] = *records;
    } else {
      answer["records_error"] = records.error().message();
    }
  }
  return answer;
}

}  // namespace hallvote::server
