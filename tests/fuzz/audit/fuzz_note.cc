// libFuzzer target: the signed-note parser (parse_note), the checkpoint parser (Checkpoint::parse), vkeys
// (NoteKey::parse), signer keys, and verify_checkpoint_note. Properties: no crash or sanitizer report; whatever
// parses formats back to exactly the input.
#include <cstdint>
#include <string_view>

#include "fuzz_keys.h"
#include "hallvote/tlog/checkpoint.h"

using namespace hallvote::audit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto note = parse_note(text)) {
    if (note->format() != text || note->signatures.empty() || note->signatures.size() > kMaxNoteSignatures) {
      __builtin_trap();
    }
    if (auto c = Checkpoint::parse(note->text); c && c->text() != note->text) __builtin_trap();
    for (const auto& s : note->signatures) {
      (void)verify_note_signature(note->text, s, fuzzing::log_key());
      for (const auto& c : fuzzing::keys().cosigners()) (void)verify_note_signature(note->text, s, c);
    }
  }
  if (auto c = Checkpoint::parse(text); c && c->text() != text) __builtin_trap();
  (void)verify_checkpoint_note(text, fuzzing::log_key(), fuzzing::keys().cosigners());
  if (auto key = NoteKey::parse(text); key && key->vkey() != text) __builtin_trap();
  (void)parse_signer_key(text);
  return 0;
}
