// libFuzzer target: entry decode (canonical bytes, docs/audit-log.md §2), the payload schemas (check_payload,
// canonical JSON) and the verifier's chain and enrolment checks on a one-entry log. Properties: no crash or
// sanitizer report; what decodes encodes back to exactly the input.
#include <cstdint>

#include "fuzz_keys.h"
#include "hallvote/auditor/log_verifier.h"

using namespace hallvote;
using namespace hallvote::audit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const crypto::ByteView bytes(data, size);
  // The payload schemas on their own: two bytes of type, then the payload.
  if (size >= 2) {
    const auto wire = static_cast<std::uint16_t>((data[0] << 8) | data[1]);
    (void)check_payload(static_cast<EntryType>(wire),
                        std::string_view(reinterpret_cast<const char*>(data) + 2, size - 2));
  }
  auto entry = decode(bytes);
  if (!entry) return 0;
  if (encode(*entry) != crypto::Bytes(bytes.begin(), bytes.end())) __builtin_trap();
  (void)entry->actor_key.verify(signed_part(bytes), entry->signature);
  (void)entry_type_name(static_cast<std::uint16_t>(entry->type));
  // As entry 0 of a log whose server key is the entry's own key (signatures not checked): chain, schema,
  // enrolment.
  Bundle bundle;
  bundle.log_key = NoteKey{"fuzz.example/log", kNoteEd25519, entry->actor_key};
  bundle.entries.emplace_back(bytes.begin(), bytes.end());
  VerifyOptions options;
  options.entry_signatures = false;
  (void)verify_bundle(bundle, options);
  return 0;
}
