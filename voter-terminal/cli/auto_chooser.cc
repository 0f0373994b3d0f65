#include "auto_chooser.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "hallvote/crypto/hash.h"

namespace hallvote::terminal_tool {
namespace {

// splitmix64: small, fast, good enough to spread simulated preferences.
class Stream {
 public:
  explicit Stream(std::uint64_t state) : state_(state) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

std::uint64_t start_state(std::uint64_t seed, std::uint64_t deputy, std::string_view vote) {
  const auto digest = crypto::HashInput("simulated-choices").add_u64(seed).add_u64(deputy).add(vote).sha256();
  std::uint64_t state = 0;
  for (std::size_t i = 0; i < 8; ++i) state = (state << 8) | digest[i];
  return state;
}

}  // namespace

bool choose_deterministically(terminal::BallotScreen& screen, std::uint64_t seed, std::uint64_t deputy_index) {
  const auto& shape = screen.definition().shape;
  Stream random(start_state(seed, deputy_index, shape.vote_id));
  const bool blank_allowed = std::all_of(shape.contests.begin(), shape.contests.end(),
                                         [](const auto& c) { return c.min_selected == 0; });
  if (blank_allowed && random.below(25) == 0) return true;
  for (std::size_t c = 0; c < shape.contests.size(); ++c) {
    const auto& contest = shape.contests[c];
    const std::size_t options = contest.selections.size();
    if (options == 0) continue;
    if (contest.max_selected == 1) {
      // One choice (赞成/反对/弃权, 满意度): as in real halls, most choose the first option (赞成, 满意), a
      // few another, and a few leave it blank where that is allowed.
      const std::size_t roll = random.below(100);
      if (roll < 4 && contest.min_selected == 0) continue;
      const std::size_t option = roll < 70 ? 0 : 1 + random.below(options - 1);
      (void)screen.toggle(c, option < options ? option : 0);
      continue;
    }
    // How many to pick: at least the minimum, at most the maximum, preferring full ballots.
    const std::size_t most = std::min<std::size_t>(contest.max_selected, options);
    std::size_t want = most;
    if (most > contest.min_selected && random.below(3) == 0) {
      want = contest.min_selected + random.below(most - contest.min_selected + 1);
    }
    // A per-contest preference order: earlier options a little more popular, so counts differ.
    std::vector<std::size_t> order(options);
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = 0; i < options; ++i) {
      const std::size_t j = i + random.below(std::min<std::size_t>(options - i, 1 + options / 2));
      std::swap(order[i], order[j]);
    }
    std::size_t picked = 0;
    for (std::size_t i = 0; i < options && picked < want; ++i) {
      if (screen.toggle(c, order[i])) ++picked;  // a refusal (aggregate limit) just tries the next option
    }
  }
  return false;
}

}  // namespace hallvote::terminal_tool
