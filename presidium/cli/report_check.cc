#include "report_check.h"

#include "hallvote/hall/exit_codes.h"
#include "hallvote/protocol/events.h"
#include "hallvote/tlog/entry.h"

namespace hallvote::presidium_tool {

using nlohmann::json;

namespace {

Result<CheckedReport> check_report(const setup::Hall& hall, const std::string& vote, const json& answer) {
  auto bytes = crypto::from_hex(answer.value("entry", ""));
  if (!bytes) return fail(std::errc::invalid_argument, "result.entry 不是十六进制 / is not hex");
  auto entry = audit::decode(*bytes);
  if (!entry)
    return fail(std::errc::invalid_argument,
                "result.entry 无法解析 / does not decode: " + entry.error().message());
  if (entry->type != audit::EntryType::result || entry->actor != "server") {
    return fail(std::errc::invalid_argument,
                "result.entry 不是服务器的计票结果条目 / is not the server's result entry");
  }
  if (entry->actor_key.hex() != hall.server_key.hex() ||
      !hall.server_key.verify(audit::signed_part(*bytes), entry->signature)) {
    return fail(std::errc::invalid_argument,
                "计票结果条目的服务器签名无效 / the result entry is not signed by the hall's server key");
  }
  if (!answer.contains("result_sequence") || !answer["result_sequence"].is_number_unsigned() ||
      answer["result_sequence"].get<std::uint64_t>() != entry->sequence) {
    return fail(std::errc::invalid_argument,
                "result_sequence 与条目序号不符 / does not match the entry's sequence");
  }
  auto logged = protocol::decode_as<protocol::ResultEntry>(entry->type, entry->payload);
  if (!logged || logged->vote_id != vote) {
    return fail(std::errc::invalid_argument, "条目不是本表决的计票结果 / the entry is not this vote's result");
  }
  const json outcome = logged->outcome.to_json();
  if (outcome != answer.value("result", json())) {
    return fail(std::errc::invalid_argument,
                "服务器显示的结果与日志条目不符 / the result shown differs from the log entry");
  }
  CheckedReport report{answer, entry->sequence, audit::entry_hash(*bytes), outcome};
  if (answer.value("result_hash", "") != crypto::to_hex(report.hash)) {
    return fail(std::errc::invalid_argument, "result_hash 不是条目的 SHA-256 / is not the entry's SHA-256");
  }
  return report;
}

}  // namespace

tl::expected<CheckedReport, Refusal> fetch_checked_report(setup::HallClient& client, const setup::Hall& hall,
                                                          const std::string& vote) {
  auto answer = request(client, protocol::MessageType::result, {{"vote_id", vote}});
  if (!answer) return tl::unexpected(answer.error());
  auto report = check_report(hall, vote, *answer);
  if (!report) {
    return tl::unexpected(
        Refusal{"计票结果报告单未通过核对 / the report failed its check: " + report.error().message(),
                setup::kExitFailed});
  }
  return std::move(*report);
}

}  // namespace hallvote::presidium_tool
