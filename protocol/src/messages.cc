#include "hallvote/protocol/messages.h"

#include <array>

#include "hallvote/crypto/hash.h"
#include "hallvote/protocol/json_fields.h"

namespace hallvote::protocol {
namespace {

using nlohmann::json;

struct TypeInfo {
  MessageType type;
  std::string_view name;
  std::array<bool, 5> roles;  // terminal, staff, chair, presidium, display
};

constexpr std::array<TypeInfo, 25> kTypes = {{
    {MessageType::status, "status", {true, true, true, true, true}},
    {MessageType::challenge, "challenge", {true, false, false, false, false}},
    {MessageType::sign_in, "sign_in", {true, false, false, false, false}},
    {MessageType::fetch_ballot, "fetch_ballot", {true, false, false, false, false}},
    {MessageType::cast, "cast", {true, false, false, false, false}},
    {MessageType::challenge_ballot, "challenge_ballot", {true, false, false, false, false}},
    {MessageType::open_sign_in, "open_sign_in", {false, true, true, false, false}},
    {MessageType::start_session, "start_session", {false, false, true, false, false}},
    {MessageType::prepare_vote, "prepare_vote", {false, false, true, false, false}},
    {MessageType::open_vote, "open_vote", {false, false, true, false, false}},
    {MessageType::hold_vote, "hold_vote", {false, false, true, false, false}},
    {MessageType::resume_vote, "resume_vote", {false, false, true, false, false}},
    {MessageType::close_vote, "close_vote", {false, false, true, false, false}},
    {MessageType::close_session, "close_session", {false, false, true, false, false}},
    {MessageType::attendance, "attendance", {false, true, true, true, false}},
    {MessageType::progress, "progress", {false, true, true, true, true}},
    {MessageType::ballot_definition, "ballot_definition", {false, false, true, true, false}},
    {MessageType::approve_vote, "approve_vote", {false, false, false, true, false}},
    {MessageType::tally, "tally", {false, true, true, true, false}},
    {MessageType::submit_share, "submit_share", {false, false, false, true, false}},
    {MessageType::result, "result", {false, true, true, true, true}},
    {MessageType::checkpoint, "checkpoint", {false, true, true, true, false}},
    {MessageType::cosign, "cosign", {false, false, false, true, false}},
    {MessageType::certify, "certify", {false, false, false, true, false}},
    {MessageType::decide, "decide", {false, false, false, true, false}},
}};

constexpr std::array<std::string_view, 5> kRoleNames = {"terminal", "staff", "chair", "presidium", "display"};

Result<json> parse_object(crypto::ByteView frame) {
  if (frame.size() > kMaxMessageBytes) {
    return fail(ProtocolErrc::malformed,
                "message of " + std::to_string(frame.size()) + " bytes exceeds the limit");
  }
  const std::string_view text(reinterpret_cast<const char*>(frame.data()), frame.size());
  auto parsed = json_fields::parse(text, "message");
  if (!parsed) return forward(parsed.error());
  if (!parsed->is_object()) return fail(ProtocolErrc::malformed, "message: expected a JSON object");
  auto version = json_fields::count(*parsed, "v", "message");
  if (!version) return forward(version.error());
  if (*version != kProtocolVersion) {
    return fail(ProtocolErrc::unsupported_version,
                "protocol version " + std::to_string(*version) + ", this server speaks 1");
  }
  return parsed;
}

crypto::Bytes to_bytes(const json& value) {
  // Invalid UTF-8 (echoed from a bad request) becomes U+FFFD instead of an exception.
  const std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return crypto::Bytes(text.begin(), text.end());
}

}  // namespace

std::string_view to_string(MessageType type) noexcept { return kTypes[static_cast<std::size_t>(type)].name; }

std::string_view to_string(Role role) noexcept { return kRoleNames[static_cast<std::size_t>(role)]; }

std::string_view display_name_zh(Role role) noexcept {
  constexpr std::array<std::string_view, 5> names = {"座席终端", "会务人员", "主持人", "主席团成员或监票人",
                                                     "会场大屏"};
  return names[static_cast<std::size_t>(role)];
}

bool parse_role(std::string_view text, Role& out) noexcept {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == text) {
      out = static_cast<Role>(i);
      return true;
    }
  }
  return false;
}

bool allowed(Role role, MessageType type) noexcept {
  return kTypes[static_cast<std::size_t>(type)].roles[static_cast<std::size_t>(role)];
}

crypto::Bytes encode_request(MessageType type, json fields) {
  fields["v"] = kProtocolVersion;
  fields["type"] = std::string(to_string(type));
  return to_bytes(fields);
}

Result<Request> decode_request(crypto::ByteView frame) {
  auto object = parse_object(frame);
  if (!object) return forward(object.error());
  auto type = json_fields::text(*object, "type", "message");
  if (!type) return forward(type.error());
  for (const auto& info : kTypes) {
    if (info.name == *type) return Request{info.type, std::move(*object)};
  }
  return fail(ProtocolErrc::unknown_message, "message type '" + type->substr(0, 64) + "'");
}

crypto::Bytes encode_ok(json fields) {
  fields["v"] = kProtocolVersion;
  fields["ok"] = true;
  return to_bytes(fields);
}

crypto::Bytes encode_error(const Error& error) {
  ProtocolErrc code = ProtocolErrc::internal;
  std::string detail = error.message();
  if (error.code.category() == protocol_category()) {
    code = static_cast<ProtocolErrc>(error.code.value());
    detail = error.detail.empty() ? error.code.message() : error.detail;
  }
  return to_bytes(json{
      {"v", kProtocolVersion}, {"ok", false}, {"error", std::string(wire_name(code))}, {"detail", detail}});
}

Result<Response> decode_response(crypto::ByteView frame) {
  auto object = parse_object(frame);
  if (!object) return forward(object.error());
  auto ok = json_fields::boolean(*object, "ok", "response");
  if (!ok) return forward(ok.error());
  Response response;
  response.ok = *ok;
  if (!response.ok) {
    auto name = json_fields::text(*object, "error", "response");
    if (!name) return forward(name.error());
    ProtocolErrc code{};
    if (!parse_wire_name(*name, code))
      return fail(ProtocolErrc::malformed, "response.error: unknown '" + *name + "'");
    response.error = code;
    auto detail = json_fields::text(*object, "detail", "response", /*allow_empty=*/true);
    if (detail) response.detail = *detail;
  }
  response.body = std::move(*object);
  return response;
}

crypto::Bytes sign_in_message(std::string_view session_id, std::string_view terminal_id,
                              crypto::ByteView nonce) {
  const auto digest = crypto::HashInput("sign-in").add(session_id).add(terminal_id).add(nonce).sha256();
  return {digest.begin(), digest.end()};
}

}  // namespace hallvote::protocol
