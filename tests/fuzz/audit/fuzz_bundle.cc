// libFuzzer target: parse_bundle and the whole verifier on what parses. Properties: no crash or sanitizer
// report; a bundle that parses re-serialises to exactly the input (every byte has one meaning); a parse failure
// names a line inside the input; verification never throws and a failure always carries a location.
#include <cstdint>
#include <string_view>

#include "fuzz_keys.h"
#include "hallvote/auditor/log_verifier.h"

using namespace hallvote::audit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bundle = parse_bundle(text);
  if (!bundle) {
    const auto lines = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
    if (bundle.error().line < 1 || bundle.error().line > lines + 1) __builtin_trap();
    return 0;
  }
  if (bundle->serialize() != text) __builtin_trap();
  VerifyOptions options;
  options.trusted_vkeys = {fuzzing::log_key().vkey()};
  for (const auto& c : fuzzing::keys().cosigners()) options.trusted_vkeys.push_back(c.vkey());
  for (const bool pinned : {false, true}) {
    if (!pinned) options.trusted_vkeys.clear();
    const Report report = verify_bundle(*bundle, options);
    if (!report.ok()) {
      const Failure& f = *report.failure;
      if (f.check.empty() || (!f.entry && !f.checkpoint && !f.line && f.check != "bundle.keys" &&
                              f.check != "checkpoint.coverage")) {
        __builtin_trap();
      }
    } else if (report.entries != bundle->entries.size() || report.tree_size != bundle->entries.size()) {
      __builtin_trap();
    }
  }
  return 0;
}
