// libFuzzer target: Receipt::parse (c2sp.org/tlog-proof@v1) and verify_receipt, which runs RFC 9162 inclusion
// verification with any index, tree size and proof length. Properties: no crash or sanitizer report; a receipt
// that parses formats back to exactly the input; a receipt that verifies has its index inside the tree.
#include <cstdint>
#include <string_view>

#include "fuzz_keys.h"
#include "hallvote/tlog/checkpoint.h"

using namespace hallvote::audit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto receipt = Receipt::parse(text);
  if (!receipt) return 0;
  if (receipt->format() != text) __builtin_trap();
  if (auto verified = verify_receipt(*receipt, fuzzing::log_key(), fuzzing::keys().cosigners())) {
    if (receipt->index >= verified->checkpoint.size) __builtin_trap();
  }
  (void)decode(receipt->entry);
  return 0;
}
