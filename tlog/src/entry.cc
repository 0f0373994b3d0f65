#include "hallvote/tlog/entry.h"

#include <algorithm>
#include <cstdlib>

#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

constexpr std::string_view kMagic = "HVLE";

// Reads big-endian fields from canonical bytes, failing with the name of the field that runs short.
class Reader {
 public:
  explicit Reader(crypto::ByteView bytes) : bytes_(bytes) {}
  Result<crypto::ByteView> take(std::size_t n, std::string_view field) {
    if (bytes_.size() - pos_ < n) return fail(AuditErrc::malformed, std::string(field) + ": truncated");
    auto out = bytes_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  Result<std::uint64_t> number(std::size_t n, std::string_view field) {
    auto b = take(n, field);
    if (!b) return forward(b.error());
    std::uint64_t v = 0;
    for (std::uint8_t byte : *b) v = (v << 8) | byte;
    return v;
  }
  [[nodiscard]] bool done() const { return pos_ == bytes_.size(); }

 private:
  crypto::ByteView bytes_;
  std::size_t pos_ = 0;
};

void append_u16_be(crypto::Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

template <std::size_t N>
std::array<std::uint8_t, N> to_array(crypto::ByteView b) {
  std::array<std::uint8_t, N> out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}

bool has_control_char(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

crypto::Bytes encode(const Entry& entry) {
  if (entry.actor.empty() || entry.actor.size() > kMaxActorSize || entry.payload.size() > kMaxPayloadSize ||
      entry.time_ms < 0) {
    std::abort();  // misuse: AuditLog validates these before encoding
  }
  crypto::Bytes out;
  out.reserve(4 + 1 + 2 + 8 + 8 + 1 + entry.actor.size() + 32 + 4 + entry.payload.size() + 32 + 64);
  out.insert(out.end(), kMagic.begin(), kMagic.end());
  out.push_back(kEntryFormatVersion);
  append_u16_be(out, static_cast<std::uint16_t>(entry.type));
  crypto::append_u64_be(out, entry.sequence);
  crypto::append_u64_be(out, static_cast<std::uint64_t>(entry.time_ms));
  out.push_back(static_cast<std::uint8_t>(entry.actor.size()));
  out.insert(out.end(), entry.actor.begin(), entry.actor.end());
  out.insert(out.end(), entry.actor_key.bytes().begin(), entry.actor_key.bytes().end());
  crypto::append_u32_be(out, static_cast<std::uint32_t>(entry.payload.size()));
  out.insert(out.end(), entry.payload.begin(), entry.payload.end());
  out.insert(out.end(), entry.previous.begin(), entry.previous.end());
  out.insert(out.end(), entry.signature.begin(), entry.signature.end());
  return out;
}

crypto::ByteView signed_part(crypto::ByteView canonical) {
  return canonical.first(canonical.size() - std::tuple_size_v<crypto::Signature>);
}

Result<Entry> decode(crypto::ByteView canonical) {
  Reader r(canonical);
  Entry e;
  auto magic = r.take(kMagic.size(), "magic");
  if (!magic) return forward(magic.error());
  if (!std::equal(magic->begin(), magic->end(), kMagic.begin()))
    return fail(AuditErrc::malformed, "magic: not HVLE");
  auto version = r.number(1, "version");
  if (!version) return forward(version.error());
  if (*version != kEntryFormatVersion) {
    return fail(AuditErrc::unsupported_version, "version: " + std::to_string(*version));
  }
  auto type = r.number(2, "type");
  if (!type) return forward(type.error());
  if (!entry_type_name(static_cast<std::uint16_t>(*type))) {
    return fail(AuditErrc::malformed, "type: " + std::to_string(*type) + " not in the registry");
  }
  e.type = static_cast<EntryType>(*type);
  auto sequence = r.number(8, "sequence");
  if (!sequence) return forward(sequence.error());
  e.sequence = *sequence;
  auto time = r.number(8, "time");
  if (!time) return forward(time.error());
  if (*time > static_cast<std::uint64_t>(INT64_MAX)) return fail(AuditErrc::malformed, "time: negative");
  e.time_ms = static_cast<std::int64_t>(*time);
  auto actor_size = r.number(1, "actor");
  if (!actor_size) return forward(actor_size.error());
  auto actor = r.take(*actor_size, "actor");
  if (!actor) return forward(actor.error());
  e.actor.assign(actor->begin(), actor->end());
  if (e.actor.empty() || has_control_char(e.actor))
    return fail(AuditErrc::malformed, "actor: empty or control character");
  auto key = r.take(32, "actor_key");
  if (!key) return forward(key.error());
  e.actor_key = crypto::VerifyKey(to_array<32>(*key));
  auto payload_size = r.number(4, "payload");
  if (!payload_size) return forward(payload_size.error());
  if (*payload_size > kMaxPayloadSize) return fail(AuditErrc::malformed, "payload: longer than 1 MiB");
  auto payload = r.take(*payload_size, "payload");
  if (!payload) return forward(payload.error());
  e.payload.assign(payload->begin(), payload->end());
  auto previous = r.take(32, "previous");
  if (!previous) return forward(previous.error());
  e.previous = to_array<32>(*previous);
  auto signature = r.take(64, "signature");
  if (!signature) return forward(signature.error());
  e.signature = to_array<64>(*signature);
  if (!r.done()) return fail(AuditErrc::malformed, "signature: trailing bytes after the entry");
  return e;
}

Hash entry_hash(crypto::ByteView canonical) { return crypto::sha256(canonical); }

void sign_entry(Entry& entry, const crypto::SigningKey& key) {
  entry.signature = {};
  const crypto::Bytes bytes = encode(entry);
  entry.signature = key.sign(signed_part(bytes));
}

}  // namespace hallvote::audit
