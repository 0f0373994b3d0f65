// hallvote-presidium cosign: a key-committee member checks the server's latest checkpoint of the log, reads it,
// confirms and adds a tlog-cosignature, so that the record can no longer be forked without the member noticing
// (C2SP tlog-cosignature; docs/audit-log.md).
#include <chrono>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/result_report.h"
#include "hallvote/presidium/review.h"
#include "hallvote/tlog/checkpoint.h"
#include "hallvote/tlog/note.h"
#include "member.h"

namespace hallvote::presidium_tool {
namespace {

struct CosignCommand {
  MemberOptions member;
};

int run_cosign(const CosignCommand& o) {
  auto hall = setup::load_hall(o.member.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  if (auto member = find_member(*hall, o.member); !member)
    return setup::report_error(member.error().message(), setup::kExitSetup);
  network::ClientContext context(1);
  auto client = connect_member(*hall, o.member, context);
  if (!client) return setup::report_error(client.error().message(), setup::kExitNetwork);
  auto fetched = request(*client, protocol::MessageType::checkpoint, nlohmann::json::object());
  if (!fetched) return setup::report_error(fetched.error().message, fetched.error().exit_code);
  // Cosign only what the log key really signed.
  const std::string note_text = fetched->value("note", "");
  auto verified = audit::verify_checkpoint_note(note_text, hall->log_key(), hall->cosigners());
  if (!verified)
    return setup::report_error("检查点签名无效 / the checkpoint does not verify: " + verified.error().message(),
                               setup::kExitFailed);
  if (!member_confirms(o.member,
                       presidium::cosign_review(verified->checkpoint.origin, verified->checkpoint.size,
                                                verified->checkpoint.root),
                       setup::official_words(hall->session, o.member.as) +
                           "：是否联署这个检查点？/ cosign this "
                           "checkpoint?")) {
    return setup::kExitFailed;
  }
  auto key = load_signing_key(*hall, o.member);
  if (!key) return setup::report_error(key.error().message(), setup::kExitSetup);
  const auto now = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  const audit::NoteSignature cosignature =
      audit::cosign_note(verified->note.text, hall->log_key().name + "/" + o.member.as, *key, now);
  auto sent = request(*client, protocol::MessageType::cosign,
                      {{"size", verified->checkpoint.size},
                       {"name", cosignature.name},
                       {"key_id", cosignature.key_id},
                       {"signature", crypto::to_hex(cosignature.signature)}});
  if (!sent) return setup::report_error(sent.error().message, sent.error().exit_code);
  std::cout << setup::official_words(hall->session, o.member.as) << "已联署检查点 / cosigned the checkpoint of "
            << verified->checkpoint.size << " entries\n";
  return setup::kExitOk;
}

}  // namespace

void add_cosign_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CosignCommand>();
  auto* cmd =
      app.add_subcommand("cosign",
                         "联署日志检查点：显示日志条目数和根哈希指纹，输入“是”后联署 / check the log's latest "
                         "checkpoint and cosign it after you type 是");
  cmd->footer(
      "步骤 / steps: 1 显示检查点 shows the checkpoint; 2 输入“是” type 是; 3 输入密钥口令 type your key "
      "passphrase; 4 联署并提交 cosigns and submits.");
  add_member_options(*cmd, options->member);
  cmd->callback([options, &exit_code] { exit_code = run_cosign(*options); });
}

}  // namespace hallvote::presidium_tool
