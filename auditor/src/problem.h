// Internal: a failed vote-level check as the check functions report it, before the walk adds the entry
// sequence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "hallvote/auditor/errors.h"
#include "hallvote/common/result.h"

namespace hallvote::vote_audit::internal {

struct Problem {
  std::string_view check;  // an id of vote_checks()
  std::string vote_id;
  std::optional<std::uint32_t> round;
  std::string field;
  Error error;
};

// nullopt: the check passed.
using Check = std::optional<Problem>;

template <class T>
using Got = tl::expected<T, Problem>;

// Where the checks of one entry are: the vote and round, filled in as soon as the check functions know them,
// so that every problem they report names them.
struct At {
  std::string vote_id;
  std::optional<std::uint32_t> round;

  [[nodiscard]] Problem operator()(std::string_view check, std::string field, Error error) const {
    return Problem{check, vote_id, round, std::move(field), std::move(error)};
  }
  [[nodiscard]] Problem operator()(std::string_view check, std::string field, VoteAuditErrc code,
                                   std::string detail) const {
    return (*this)(check, std::move(field), Error{make_error_code(code), std::move(detail)});
  }
};

}  // namespace hallvote::vote_audit::internal
