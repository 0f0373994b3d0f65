// The member's explicit "yes" before anything is signed or decrypted: after the review text (review.h) the
// member types 是 (or y / yes); anything else — another word, an empty line, the end of input — cancels, and
// the caller signs nothing and sends nothing. A non-interactive run confirms in advance with --yes
// (`preconfirmed`), after the same review text has been printed.
#pragma once

#include <istream>
#include <ostream>
#include <string_view>

namespace hallvote::presidium {

// What a cancelled signature prints (and the program then exits with 1).
inline constexpr std::string_view kNotSigned = "未签署 / not signed";

// True when `line` (without its line ending; surrounding blanks ignored) is 是, y, Y, yes or YES.
[[nodiscard]] bool is_yes(std::string_view line) noexcept;

// Asks `question` on `out` and reads one line from `in`; true only for a yes (is_yes). With `preconfirmed` it
// reads nothing and says that --yes confirmed. On a cancel it prints kNotSigned and, when the input had ended,
// that a non-interactive run needs --yes.
[[nodiscard]] bool confirm(std::istream& in, std::ostream& out, std::string_view question, bool preconfirmed);

}  // namespace hallvote::presidium
