// hallvote-terminal headless: one deputy signs in, resends the ballot a previous run sent but holds no verified
// receipt for, waits for each ballot the SPEC covers, casts it, and prints the confirmation code and receipt
// index. A cast whose answer is lost is resent (the same bytes) until the wait ends; the ballot stays kept in
// the state folder for the next run until its receipt verifies.
#include <iostream>
#include <set>
#include <thread>

#include "choice_spec.h"
#include "hallvote/hall/cli.h"
#include "hallvote/protocol/errors.h"
#include "modes.h"
#include "receipt_file.h"
#include "seat.h"
#include "transient.h"

namespace hallvote::terminal_tool {

namespace {

int exit_code_of(const Error& error) {
  return error.code.category() == network::network_category() ? setup::kExitNetwork : setup::kExitFailed;
}

// Prints a verified receipt and saves it when asked to; false (after reporting) when it could not be saved.
bool confirm(const CommonOptions& common, const HeadlessOptions& options,
             const terminal::CastReceipt& receipt) {
  std::cout << "投票成功 / cast. 确认码 / confirmation code: " << receipt.confirmation_code
            << "  回执序号 / receipt index: " << receipt.index << "\n";
  if (!receipt.warning.empty()) std::cerr << "警告 / warning: " << receipt.warning << "\n";
  if (common.receipt_dir.empty()) return true;
  auto saved = save_receipt(common.receipt_dir, options.deputy_id, receipt.vote_id, receipt.round, receipt);
  if (!saved) {
    setup::report_error("回执未能保存 / receipt not saved: " + saved.error().message(), setup::kExitFailed);
    return false;
  }
  std::cout << "回执已保存 / receipt saved: " << saved->string() << "\n";
  return true;
}

}  // namespace

int run_headless(const CommonOptions& common, const HeadlessOptions& options) {
  auto spec = ChoiceSpec::parse(options.choices);
  if (!spec) return setup::report_error(spec.error().message(), setup::kExitUsage);
  auto hall = setup::load_hall(common.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  const std::filesystem::path keys =
      common.keys.empty() ? hall->paths.terminals() : std::filesystem::path(common.keys);
  const std::filesystem::path state_dir =
      common.state_dir.empty() ? hall->paths.terminal_state() : std::filesystem::path(common.state_dir);
  network::ClientContext context(1);
  auto seat =
      Seat::create(*hall, context, keys, setup::resolve_endpoint(hall->paths, common.address, common.port),
                   {options.terminal_id, options.deputy_id, common.card_seed, common.pin}, state_dir);
  if (!seat) return setup::report_error(seat.error().message(), setup::kExitSetup);
  auto signed_in = (*seat)->sign_in();
  if (!signed_in)
    return setup::report_error("签到失败 / sign-in failed: " + signed_in.error().message(),
                               exit_code_of(signed_in.error()));
  std::cout << "已签到 / signed in: " << signed_in->deputy_id << " " << signed_in->name << "（"
            << signed_in->seat << "）\n";

  std::set<std::string> to_cast;  // the SPEC keys not yet cast
  for (const auto& [vote, clauses] : spec->votes) to_cast.insert(vote);
  // The SPEC key a confirmed ballot settles: its round's ("V1#2") or, failing that, its vote's.
  const auto settle = [&](const terminal::CastReceipt& receipt) {
    const std::string round_key = receipt.vote_id + "#" + std::to_string(receipt.round);
    to_cast.erase(to_cast.count(round_key) != 0 ? round_key : receipt.vote_id);
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(common.wait_seconds);
  bool looked_for_kept = false;  // the ballot a previous run kept is resent first
  while (!to_cast.empty()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      if ((*seat)->has_pending()) {
        return setup::report_error(
            "未收到回执：选票已保存，下次启动时重发 / no receipt yet: the ballot is kept in " +
                state_dir.string() + " and resent at the next start",
            setup::kExitFailed);
      }
      return setup::report_error("等待选票超时 / timed out waiting for the ballot of " + *to_cast.begin(),
                                 setup::kExitFailed);
    }
    if (!looked_for_kept || (*seat)->has_pending()) {
      auto resent = (*seat)->resend_pending();
      if (!resent && (*seat)->has_pending() && transient(resent.error())) {
        std::cerr << "重发选票 / resending the ballot: " << resent.error().message() << "\n";
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      if (!resent)
        return setup::report_error(
            "待确认选票未能重发 / the pending ballot was not resent: " + resent.error().message(),
            exit_code_of(resent.error()));
      looked_for_kept = true;
      if (*resent) {
        std::cout << "已重发上次的选票 / the ballot sent before was resent\n";
        if (!confirm(common, options, **resent)) return setup::kExitFailed;
        settle(**resent);
        continue;
      }
    }
    auto ballot = (*seat)->wait_for_ballot(std::min(left, std::chrono::milliseconds(5000)));
    if (!ballot)
      return setup::report_error("选票无效 / ballot refused: " + ballot.error().message(),
                                 exit_code_of(ballot.error()));
    if (!*ballot) continue;
    // The SPEC's clauses for this round ("V1#2") or, failing those, for the vote ("V1").
    const session::BallotShape& shape = (*ballot)->definition.shape;
    const std::string round_key = shape.vote_id + "#" + std::to_string(shape.round);
    const std::string key = to_cast.count(round_key) != 0 ? round_key : shape.vote_id;
    if (to_cast.count(key) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a vote the SPEC does not cover
      continue;
    }
    terminal::BallotScreen screen((*ballot)->definition);
    std::cout << "收到选票 / ballot: " << screen.definition().vote_title << "（第 "
              << screen.definition().shape.round << " 轮）\n";
    if (auto ok = spec->apply(screen); !ok) return setup::report_error(ok.error().message(), setup::kExitUsage);
    std::cout << screen.review();
    auto receipt = (*seat)->cast(screen);
    if (!receipt && (*seat)->has_pending() && transient(receipt.error())) {
      std::cerr << "未收到回执，将重发同一选票 / no receipt, the same ballot will be resent: "
                << receipt.error().message() << "\n";
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    if (!receipt)
      return setup::report_error("投票失败 / casting failed: " + receipt.error().message(),
                                 exit_code_of(receipt.error()));
    if (!confirm(common, options, *receipt)) return setup::kExitFailed;
    settle(*receipt);
  }
  return setup::kExitOk;
}

}  // namespace hallvote::terminal_tool
