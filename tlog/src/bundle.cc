#include "hallvote/tlog/bundle.h"

#include <algorithm>
#include <optional>

#include "base64.h"
#include "hallvote/tlog/errors.h"

namespace hallvote::audit {
namespace {

using ParseResult = tl::expected<Bundle, BundleParseError>;

tl::unexpected<BundleParseError> parse_fail(std::uint64_t line, std::string detail) {
  return tl::unexpected<BundleParseError>(
      BundleParseError{line, Error{make_error_code(AuditErrc::malformed), std::move(detail)}});
}

class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  // The next line without its newline, or nullopt at the end / when the last line lacks a newline.
  std::optional<std::string_view> next() {
    const std::size_t eol = text_.find('\n');
    if (eol == std::string_view::npos) return std::nullopt;
    auto line = text_.substr(0, eol);
    text_.remove_prefix(eol + 1);
    ++number_;
    return line;
  }
  [[nodiscard]] std::uint64_t number() const { return number_ + 1; }  // of the line next() would return
  [[nodiscard]] bool at_end() const { return text_.empty(); }

 private:
  std::string_view text_;
  std::uint64_t number_ = 0;
};

std::optional<std::uint64_t> count_after(std::string_view line, std::string_view keyword) {
  if (line.substr(0, keyword.size() + 1) != std::string(keyword) + " ") return std::nullopt;
  auto digits = line.substr(keyword.size() + 1);
  if (digits.empty() || digits.size() > 12 || (digits.size() > 1 && digits[0] == '0') ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoull(std::string(digits));
}

}  // namespace

std::string Bundle::serialize() const {
  std::string out = std::string(kBundleHeader) + "\nlog " + log_key.vkey() + "\n";
  for (const auto& c : cosigners) out += "cosigner " + c.vkey() + "\n";
  out += "entries " + std::to_string(entries.size()) + "\n";
  for (const auto& e : entries) out += base64_encode(e) + "\n";
  out += "checkpoints " + std::to_string(checkpoints.size()) + "\n";
  for (const auto& c : checkpoints) out += base64_encode(crypto::as_bytes(c)) + "\n";
  return out + "end\n";
}

ParseResult parse_bundle(std::string_view text) {
  LineReader in(text);
  Bundle b;
  auto line = in.next();
  if (!line || *line != kBundleHeader) return parse_fail(1, "expected \"" + std::string(kBundleHeader) + "\"");
  line = in.next();
  if (!line || line->substr(0, 4) != "log ") return parse_fail(2, "expected \"log <vkey>\"");
  auto log_key = NoteKey::parse(line->substr(4));
  if (!log_key || log_key->type != kNoteEd25519)
    return parse_fail(2, "log key: not an Ed25519 (type 0x01) vkey");
  b.log_key = *log_key;
  std::uint64_t entry_count = 0;
  for (;;) {
    const auto n = in.number();
    line = in.next();
    if (!line) return parse_fail(n, "expected \"cosigner <vkey>\" or \"entries <n>\"");
    if (auto count = count_after(*line, "entries")) {
      entry_count = *count;
      break;
    }
    if (line->substr(0, 9) != "cosigner ")
      return parse_fail(n, "expected \"cosigner <vkey>\" or \"entries <n>\"");
    auto key = NoteKey::parse(line->substr(9));
    if (!key || key->type != kNoteCosignature) return parse_fail(n, "cosigner key: not a type 0x04 vkey");
    b.cosigners.push_back(*key);
  }
  for (std::uint64_t i = 0; i < entry_count; ++i) {
    const auto n = in.number();
    line = in.next();
    if (!line) return parse_fail(n, "entry " + std::to_string(i) + ": missing");
    auto bytes = base64_decode(*line);
    if (!bytes) return parse_fail(n, "entry " + std::to_string(i) + ": not canonical base64");
    b.entries.push_back(std::move(*bytes));
  }
  auto n = in.number();
  line = in.next();
  const auto checkpoint_count = line ? count_after(*line, "checkpoints") : std::nullopt;
  if (!checkpoint_count) return parse_fail(n, "expected \"checkpoints <n>\"");
  for (std::uint64_t i = 0; i < *checkpoint_count; ++i) {
    n = in.number();
    line = in.next();
    if (!line) return parse_fail(n, "checkpoint " + std::to_string(i) + ": missing");
    auto bytes = base64_decode(*line);
    if (!bytes) return parse_fail(n, "checkpoint " + std::to_string(i) + ": not canonical base64");
    b.checkpoints.emplace_back(bytes->begin(), bytes->end());
  }
  n = in.number();
  line = in.next();
  if (!line || *line != "end" || !in.at_end()) return parse_fail(n, "expected \"end\" as the last line");
  return b;
}

}  // namespace hallvote::audit
