// hallvote-terminal headless: one deputy signs in, waits for each ballot the SPEC covers, casts it, and prints
// the confirmation code and receipt index.
#include <iostream>
#include <set>
#include <thread>

#include "choice_spec.h"
#include "hallvote/hall/cli.h"
#include "modes.h"
#include "receipt_file.h"
#include "seat.h"

namespace hallvote::terminal_tool {

namespace {

int exit_code_of(const Error& error) {
  return error.code.category() == network::network_category() ? setup::kExitNetwork : setup::kExitFailed;
}

}  // namespace

int run_headless(const CommonOptions& common, const HeadlessOptions& options) {
  auto spec = ChoiceSpec::parse(options.choices);
  if (!spec) return setup::report_error(spec.error().message(), setup::kExitUsage);
  auto hall = setup::load_hall(common.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  const std::filesystem::path keys =
      common.keys.empty() ? hall->paths.terminals() : std::filesystem::path(common.keys);
  network::ClientContext context(1);
  auto seat =
      Seat::create(*hall, context, keys, setup::resolve_endpoint(hall->paths, common.address, common.port),
                   {options.terminal_id, options.deputy_id, common.card_seed, common.pin});
  if (!seat) return setup::report_error(seat.error().message(), setup::kExitSetup);
  auto signed_in = (*seat)->sign_in();
  if (!signed_in)
    return setup::report_error("签到失败 / sign-in failed: " + signed_in.error().message(),
                               exit_code_of(signed_in.error()));
  std::cout << "已签到 / signed in: " << signed_in->deputy_id << " " << signed_in->name << "（"
            << signed_in->seat << "）\n";

  std::set<std::string> pending;
  for (const auto& [vote, clauses] : spec->votes) pending.insert(vote);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(common.wait_seconds);
  while (!pending.empty()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return setup::report_error("等待选票超时 / timed out waiting for the ballot of " + *pending.begin(),
                                 setup::kExitFailed);
    }
    auto ballot = (*seat)->wait_for_ballot(std::min(left, std::chrono::milliseconds(5000)));
    if (!ballot)
      return setup::report_error("选票无效 / ballot refused: " + ballot.error().message(),
                                 exit_code_of(ballot.error()));
    if (!*ballot) continue;
    // The SPEC's clauses for this round ("V1#2") or, failing those, for the vote ("V1").
    const session::BallotShape& shape = (*ballot)->definition.shape;
    const std::string round_key = shape.vote_id + "#" + std::to_string(shape.round);
    const std::string key = pending.count(round_key) != 0 ? round_key : shape.vote_id;
    if (pending.count(key) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a vote the SPEC does not cover
      continue;
    }
    terminal::BallotScreen screen((*ballot)->definition);
    std::cout << "收到选票 / ballot: " << screen.definition().vote_title << "（第 "
              << screen.definition().shape.round << " 轮）\n";
    if (auto ok = spec->apply(screen); !ok) return setup::report_error(ok.error().message(), setup::kExitUsage);
    std::cout << screen.review();
    auto receipt = (*seat)->cast(screen);
    if (!receipt)
      return setup::report_error("投票失败 / casting failed: " + receipt.error().message(),
                                 exit_code_of(receipt.error()));
    std::cout << "投票成功 / cast. 确认码 / confirmation code: " << receipt->confirmation_code
              << "  回执序号 / receipt index: " << receipt->index << "\n";
    if (!common.receipt_dir.empty()) {
      auto saved = save_receipt(common.receipt_dir, options.deputy_id, shape.vote_id, shape.round, *receipt);
      if (!saved)
        return setup::report_error("回执未能保存 / receipt not saved: " + saved.error().message(),
                                   setup::kExitFailed);
      std::cout << "回执已保存 / receipt saved: " << saved->string() << "\n";
    }
    pending.erase(key);
  }
  return setup::kExitOk;
}

}  // namespace hallvote::terminal_tool
