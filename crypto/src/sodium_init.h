// Internal: libsodium must be initialised once before use; every entry point that touches libsodium calls this.
#pragma once

namespace hallvote::crypto::detail {

// Initialises libsodium (thread-safe, idempotent). Aborts if the library cannot start: nothing is safe then.
void ensure_sodium();

}  // namespace hallvote::crypto::detail
