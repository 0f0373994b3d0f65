// Expected failures are values: every fallible operation returns Result<T>, which holds either the value or an
// Error naming what failed (an std::error_code from the failing library's own category) and why, in words.
//
// The alias uses only the names std::expected shares with tl::expected (value, error, has_value, operator bool,
// operator*, operator->, and_then, transform, or_else), so std::expected can replace it later.
#pragma once

#include <string>
#include <system_error>
#include <tl/expected.hpp>
#include <utility>

namespace hallvote {

// A rejected input or a failed operation. `detail` says what, where and why; it never contains secrets.
struct Error {
  std::error_code code;
  std::string detail;

  // "<category message>: <detail>", or the category message alone.
  [[nodiscard]] std::string message() const {
    return detail.empty() ? code.message() : code.message() + ": " + detail;
  }
};

template <class T>
using Result = tl::expected<T, Error>;

// Result of an operation that returns nothing on success.
using Status = Result<void>;

// Builds the failure branch of a Result: `return fail(CryptoErrc::invalid_point, "ciphertext 3, field a");`
template <class Errc>
[[nodiscard]] inline tl::unexpected<Error> fail(Errc code, std::string detail = {}) {
  return tl::unexpected<Error>(Error{make_error_code(code), std::move(detail)});
}

// The same, for a code already made (e.g. to re-word a lower layer's error with more context).
[[nodiscard]] inline tl::unexpected<Error> fail(std::error_code code, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(detail)});
}

// Passes a failure from a Result of another type upwards unchanged.
[[nodiscard]] inline tl::unexpected<Error> forward(Error error) {
  return tl::unexpected<Error>(std::move(error));
}

}  // namespace hallvote

// Declares `var` = `expr` (a Result) and returns its error from the enclosing function when it failed:
//   HALLVOTE_TRY(round, jf::count32(payload, "round", where));  then use *round.
#define HALLVOTE_TRY(var, expr) \
  auto var = (expr);            \
  if (!var) return ::hallvote::forward(std::move(var).error())
