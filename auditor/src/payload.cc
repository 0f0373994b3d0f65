#include "payload.h"

namespace hallvote::vote_audit::internal {

using nlohmann::json;

namespace {

std::string where(std::string_view name) { return "payload." + std::string(name); }

}  // namespace

Problem Payload::malformed(std::string_view name, const std::string& what) const {
  return at_(check_, where(name), VoteAuditErrc::malformed, where(name) + ": " + what);
}

const json* Payload::find(std::string_view name) const {
  if (!json_.is_object()) return nullptr;
  auto it = json_.find(name);
  return it == json_.end() ? nullptr : &*it;
}

Got<std::string> Payload::text(std::string_view name) const {
  const json* v = find(name);
  if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
    return tl::unexpected(malformed(name, "应为非空文本 / expected a non-empty string"));
  }
  return v->get<std::string>();
}

Got<std::uint64_t> Payload::count(std::string_view name, std::uint64_t max) const {
  const json* v = find(name);
  if (v == nullptr || !v->is_number_unsigned()) {
    return tl::unexpected(malformed(name, "应为非负整数 / expected a non-negative integer"));
  }
  const auto value = v->get<std::uint64_t>();
  if (value > max) return tl::unexpected(malformed(name, "超出范围 / above " + std::to_string(max)));
  return value;
}

Got<std::uint32_t> Payload::count32(std::string_view name) const {
  auto value = count(name, UINT32_MAX);
  if (!value) return tl::unexpected(value.error());
  return static_cast<std::uint32_t>(*value);
}

Got<crypto::Bytes> Payload::hex_bytes(std::string_view name, std::size_t max_size) const {
  const json* v = find(name);
  if (v == nullptr || !v->is_string())
    return tl::unexpected(malformed(name, "应为十六进制文本 / expected hex text"));
  const auto& text = v->get_ref<const std::string&>();
  if (text.size() > 2 * max_size) {
    return tl::unexpected(malformed(name, "超过 " + std::to_string(max_size) + " 字节 / longer than " +
                                              std::to_string(max_size) + " bytes"));
  }
  auto bytes = crypto::from_hex(text);
  if (!bytes) return tl::unexpected(malformed(name, bytes.error().detail));
  return std::move(*bytes);
}

Got<const json*> Payload::object(std::string_view name) const {
  const json* v = find(name);
  if (v == nullptr || !v->is_object()) return tl::unexpected(malformed(name, "应为对象 / expected an object"));
  return v;
}

Got<const json*> Payload::array(std::string_view name) const {
  const json* v = find(name);
  if (v == nullptr || !v->is_array()) return tl::unexpected(malformed(name, "应为数组 / expected an array"));
  return v;
}

}  // namespace hallvote::vote_audit::internal
