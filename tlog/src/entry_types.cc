#include "hallvote/tlog/entry_types.h"

#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

enum class Kind { text, hex32, count, object, list };

struct Field {
  std::string_view name;
  Kind kind;
};

struct TypeSpec {
  std::string_view name;
  std::initializer_list<Field> fields;
};

// Indexed by wire value - 1. docs/audit-log.md §3 lists the same table.
const std::array<TypeSpec, kLastEntryType> kRegistry{{
    {"session_opened", {{"session_id", Kind::text}, {"title", Kind::text}, {"officials", Kind::list}}},
    {"terminal_enrolled", {{"terminal_id", Kind::text}, {"seat", Kind::text}, {"terminal_key", Kind::hex32}}},
    {"deputy_signed_in", {{"deputy_id", Kind::text}, {"terminal_id", Kind::text}}},
    {"vote_opened", {{"vote_id", Kind::text}, {"title", Kind::text}, {"kind", Kind::text}}},
    {"ballot_approved", {{"vote_id", Kind::text}, {"official_id", Kind::text}}},
    {"ballot_issued", {{"vote_id", Kind::text}, {"deputy_id", Kind::text}, {"terminal_id", Kind::text}}},
    {"ballot_cast", {{"vote_id", Kind::text}, {"deputy_id", Kind::text}, {"ballot_hash", Kind::hex32}}},
    {"cast_rejected", {{"vote_id", Kind::text}, {"deputy_id", Kind::text}, {"reason", Kind::text}}},
    {"vote_held", {{"vote_id", Kind::text}, {"reason", Kind::text}}},
    {"vote_resumed", {{"vote_id", Kind::text}}},
    {"vote_closed", {{"vote_id", Kind::text}, {"ballots", Kind::count}}},
    {"tally", {{"vote_id", Kind::text}, {"ballots", Kind::count}, {"tally_hash", Kind::hex32}}},
    {"decryption_share", {{"vote_id", Kind::text}, {"trustee", Kind::text}, {"share_hash", Kind::hex32}}},
    {"result", {{"vote_id", Kind::text}, {"outcome", Kind::object}}},
    {"certification", {{"vote_id", Kind::text}, {"certifier", Kind::text}, {"result_hash", Kind::hex32}}},
    {"checkpoint_cosigned", {{"size", Kind::count}, {"root", Kind::hex32}, {"cosigner", Kind::text}}},
    {"session_closed", {{"session_id", Kind::text}}},
    {"sign_in_opened", {{"session_id", Kind::text}}},
    {"session_started", {{"session_id", Kind::text}, {"present", Kind::count}, {"in_office", Kind::count}}},
    {"ballot_prepared", {{"vote_id", Kind::text}, {"round", Kind::count}, {"base_hash", Kind::hex32}}},
}};

bool is_lower_hex32(const nlohmann::json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

const char* check_kind(const nlohmann::json& v, Kind kind) {
  switch (kind) {
    case Kind::text: return v.is_string() && !v.get_ref<const std::string&>().empty() ? nullptr : "expected a non-empty string";
    case Kind::hex32: return is_lower_hex32(v) ? nullptr : "expected 64 lower-case hex digits";
    case Kind::count: return v.is_number_unsigned() ? nullptr : "expected a non-negative integer";
    case Kind::object: return v.is_object() ? nullptr : "expected an object";
    case Kind::list: return v.is_array() ? nullptr : "expected an array";
  }
  return "unknown kind";
}

bool has_float(const nlohmann::json& v) {
  if (v.is_number_float()) return true;
  if (v.is_structured()) {
    for (const auto& item : v) {
      if (has_float(item)) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string_view> entry_type_name(std::uint16_t wire_value) {
  if (wire_value < kFirstEntryType || wire_value > kLastEntryType) return std::nullopt;
  return kRegistry[wire_value - 1u].name;
}

Status check_payload(EntryType type, std::string_view payload) {
  const auto wire = static_cast<std::uint16_t>(type);
  if (!entry_type_name(wire)) return fail(AuditErrc::invalid_payload, "type: not in the registry");
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return fail(AuditErrc::invalid_payload, "payload: not a JSON object");
  if (has_float(json)) return fail(AuditErrc::invalid_payload, "payload: floating-point numbers are not allowed");
  if (json.dump() != payload) return fail(AuditErrc::invalid_payload, "payload: not canonical JSON");
  for (const Field& field : kRegistry[wire - 1u].fields) {
    const std::string where = "payload." + std::string(field.name);
    const auto it = json.find(field.name);
    if (it == json.end()) return fail(AuditErrc::invalid_payload, where + ": required field missing");
    if (const char* problem = check_kind(*it, field.kind)) return fail(AuditErrc::invalid_payload, where + ": " + problem);
  }
  return {};
}

}  // namespace hallvote::audit
