#include "hallvote/terminal/pending_cast.h"

#include <algorithm>

#include "hallvote/crypto/hash.h"
#include "hallvote/hall/files.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/errors.h"

namespace hallvote::terminal {

using protocol::ProtocolErrc;

namespace {

constexpr std::string_view kFormatLine = "hallvote-pending-cast 1\n";
constexpr std::size_t kMaxText = 4 << 20;  // far above any ballot of the largest session (hex doubles it)

std::string checksum_of(std::string_view body) {
  return crypto::to_hex(crypto::sha256(crypto::as_bytes(body)));
}

tl::unexpected<Error> damaged(const std::string& what) {
  return fail(ProtocolErrc::malformed,
              "待确认选票文件已损坏（" + what + "）/ the pending ballot file is damaged (" + what + ")");
}

// The value of the line "<name> <value>\n" at `at`, advancing past it; nullopt when the line is not that.
std::optional<std::string_view> line_value(std::string_view text, std::size_t& at, std::string_view name) {
  const std::size_t end = text.find('\n', at);
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view line = text.substr(at, end - at);
  if (line.size() <= name.size() || line.substr(0, name.size()) != name || line[name.size()] != ' ')
    return std::nullopt;
  at = end + 1;
  return line.substr(name.size() + 1);
}

bool fit_for_file_name(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

Result<PendingCast> PendingCast::of(crypto::Bytes ballot, const crypto::Signature& signature) {
  auto header = protocol::CastBallot::decode_header(ballot);
  if (!header) return forward(header.error());
  return PendingCast{header->vote_id,   header->round,     header->deputy_id,
                     header->base_hash, std::move(ballot), signature};
}

std::string PendingCast::to_text() const {
  std::string body(kFormatLine);
  body += "ballot " + crypto::to_hex(ballot) + "\n";
  body += "signature " + crypto::to_hex(signature) + "\n";
  return body + "sha256 " + checksum_of(body) + "\n";
}

Result<PendingCast> PendingCast::parse(std::string_view text, const session::SessionDefinition& session) {
  if (text.size() > kMaxText) return damaged("larger than any ballot");
  if (text.substr(0, kFormatLine.size()) != kFormatLine)
    return damaged("first line is not " + std::string(kFormatLine.substr(0, kFormatLine.size() - 1)));
  std::size_t at = kFormatLine.size();
  const auto ballot_hex = line_value(text, at, "ballot");
  const auto signature_hex = line_value(text, at, "signature");
  const std::size_t body_end = at;
  const auto checksum = line_value(text, at, "sha256");
  if (!ballot_hex || !signature_hex || !checksum || at != text.size()) return damaged("lines missing or extra");
  if (*checksum != checksum_of(text.substr(0, body_end))) return damaged("checksum mismatch");
  auto ballot = crypto::from_hex(*ballot_hex);
  auto signature = crypto::from_hex_fixed<64>(*signature_hex);
  if (!ballot || !signature) return damaged("not hex");
  auto pending = of(std::move(*ballot), *signature);
  if (!pending) return damaged(pending.error().detail);
  const bool signed_by_the_card = [&] {
    const auto* deputy = session.find_deputy(pending->deputy_id);
    if (deputy == nullptr) return false;
    auto credential = crypto::VerifyKey::from_hex(deputy->credential_key);
    return credential &&
           credential->verify(protocol::cast_signing_message(pending->ballot), pending->signature).has_value();
  }();
  if (!signed_by_the_card) {
    return fail(
        ProtocolErrc::wrong_credential,
        "待确认选票文件被篡改：代表 " + pending->deputy_id +
            " 的代表证签名不符，未发送 / the pending ballot file was tampered with: the card signature of "
            "deputy " +
            pending->deputy_id + " does not verify; not sent");
  }
  return pending;
}

Result<std::filesystem::path> PendingCastFiles::path_of(std::string_view deputy_id) const {
  if (!fit_for_file_name(deputy_id) || !fit_for_file_name(terminal_id_)) {
    return fail(std::errc::invalid_argument,
                "终端或代表编号不能用作文件名 / terminal or deputy id unfit for a file name: " + terminal_id_ +
                    ", " + std::string(deputy_id));
  }
  return folder_ / (terminal_id_ + "-" + std::string(deputy_id) + ".pending-cast");
}

Status PendingCastFiles::save(const PendingCast& pending) {
  auto path = path_of(pending.deputy_id);
  if (!path) return forward(path.error());
  std::error_code created;
  std::filesystem::create_directories(folder_, created);
  if (created) return fail(created, "待确认选票目录 / pending ballot folder " + folder_.string());
  return setup::write_file(*path, pending.to_text(), setup::FileMode::secret);
}

Result<std::optional<PendingCast>> PendingCastFiles::load(std::string_view deputy_id) {
  auto path = path_of(deputy_id);
  if (!path) return forward(path.error());
  std::error_code error;
  if (!std::filesystem::exists(*path, error)) {
    if (error) return fail(error, "待确认选票文件 / pending ballot file " + path->string());
    return std::optional<PendingCast>();
  }
  auto text = setup::read_text(*path);
  if (!text) return forward(text.error());
  auto pending = PendingCast::parse(*text, session_);
  if (!pending) return fail(pending.error().code, path->string() + ": " + pending.error().detail);
  if (pending->deputy_id != deputy_id) {
    return fail(ProtocolErrc::wrong_credential,
                path->string() + ": 文件中的选票属于代表 " + pending->deputy_id +
                    "，未发送 / the ballot in the file is deputy " + pending->deputy_id + "'s; not sent");
  }
  return std::optional<PendingCast>(std::move(*pending));
}

Status PendingCastFiles::save_checkpoint(const audit::Checkpoint& checkpoint) {
  std::error_code created;
  std::filesystem::create_directories(folder_, created);
  if (created) return fail(created, "终端状态目录 / terminal state folder " + folder_.string());
  return setup::write_file(folder_ / (terminal_id_ + ".checkpoint"), checkpoint.text(),
                           setup::FileMode::secret);
}

Result<std::optional<audit::Checkpoint>> PendingCastFiles::load_checkpoint() {
  const auto path = folder_ / (terminal_id_ + ".checkpoint");
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    if (error) return fail(error, "检查点文件 / checkpoint file " + path.string());
    return std::optional<audit::Checkpoint>();
  }
  auto text = setup::read_text(path);
  if (!text) return forward(text.error());
  auto checkpoint = audit::Checkpoint::parse(*text);
  if (!checkpoint) {
    return fail(ProtocolErrc::malformed, path.string() +
                                             ": 本终端保存的检查点已损坏 / the kept checkpoint is damaged: " +
                                             checkpoint.error().detail);
  }
  return std::optional<audit::Checkpoint>(std::move(*checkpoint));
}

Status PendingCastFiles::remove(std::string_view deputy_id) {
  auto path = path_of(deputy_id);
  if (!path) return forward(path.error());
  return setup::remove_file(*path);
}

}  // namespace hallvote::terminal
