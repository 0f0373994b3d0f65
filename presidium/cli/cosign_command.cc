// hallvote-presidium cosign: a key-committee member checks the server's latest checkpoint of the log, reads it,
// confirms and adds a tlog-cosignature, so that the record can no longer be forked without the member noticing
// (C2SP tlog-cosignature; docs/audit-log.md).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/log_extension.h"
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
  // The checkpoint this member cosigned last, kept beside their keys: the new one must extend it.
  const std::filesystem::path kept_path = std::filesystem::path(o.member.keys) / (o.member.as + ".cosigned");
  std::optional<audit::Checkpoint> kept;
  if (std::filesystem::exists(kept_path)) {
    auto text = setup::read_text(kept_path);
    auto parsed = text ? audit::Checkpoint::parse(*text) : Result<audit::Checkpoint>(forward(text.error()));
    if (!parsed) {
      return setup::report_error(kept_path.string() +
                                     ": 上次联署的检查点无法读取，请勿联署并报告会务负责人 / the "
                                     "checkpoint you cosigned last cannot be read: " +
                                     parsed.error().message(),
                                 setup::kExitSetup);
    }
    kept = std::move(*parsed);
  }
  auto fetched = request(*client, protocol::MessageType::checkpoint,
                         kept ? nlohmann::json{{"known_size", kept->size}} : nlohmann::json::object());
  if (!fetched) return setup::report_error(fetched.error().message, fetched.error().exit_code);
  // Cosign only what the log key really signed.
  const std::string note_text = fetched->value("note", "");
  auto verified = audit::verify_checkpoint_note(note_text, hall->log_key(), hall->cosigners());
  if (!verified)
    return setup::report_error("检查点签名无效 / the checkpoint does not verify: " + verified.error().message(),
                               setup::kExitFailed);
  if (kept) {
    if (auto extends = setup::answer_extends(*kept, verified->checkpoint, *fetched); !extends) {
      return setup::report_error(
          "警报：服务器的审计日志没有延续您上次联署的检查点（" + std::to_string(kept->size) +
              " 条），日志可能被回退或分叉。请勿联署，立即报告会务负责人 / ALARM: the log does "
              "not extend the checkpoint you cosigned last: " +
              extends.error().detail,
          setup::kExitFailed);
    }
  }
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
  if (auto saved = setup::write_file(kept_path, verified->checkpoint.text(), setup::FileMode::secret); !saved) {
    std::cerr << "警告：未能保存已联署的检查点 / warning: the cosigned checkpoint was not kept: "
              << saved.error().message() << "\n";
  }
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
