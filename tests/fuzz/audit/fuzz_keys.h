// Keys shared by the audit fuzz targets and make_corpus.cc: the sample session of tests/audit/session_fixture.h
// with a fixed seed, so that the seed corpus's checkpoints and receipts verify under the keys the targets use
// and the fuzzer starts from inputs that reach every check.
#pragma once

#include "session_fixture.h"

namespace hallvote::audit::fuzzing {

inline constexpr std::uint64_t kSeed = 77;

inline const testing::SessionKeys& keys() {
  static const testing::SessionKeys k(kSeed);
  return k;
}

inline const NoteKey& log_key() {
  static const NoteKey key{keys().origin, kNoteEd25519, keys().server.verify_key()};
  return key;
}

}  // namespace hallvote::audit::fuzzing
