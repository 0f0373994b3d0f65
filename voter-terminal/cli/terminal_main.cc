// hallvote-terminal: the seat terminal without a screen — one deputy scripted from the command line, or N
// simulated deputies for demos and load.
#include <CLI/CLI.hpp>
#include <iostream>

#include "hallvote/hall/exit_codes.h"
#include "modes.h"

int main(int argc, char** argv) {
  using namespace hallvote;
  terminal_tool::CommonOptions common;
  terminal_tool::HeadlessOptions headless;
  terminal_tool::SimulateOptions simulate;
  terminal_tool::SeatRunOptions seat;
  seat.web_root = HALLVOTE_SEAT_WEB_ROOT;
  CLI::App app{
      "hallvote-terminal — 座席终端（无界面）/ seat terminal, headless.\n"
      "  座席 / the seat:    run --dir D --id T0001 [--page-port P] （触摸屏页面 / the touchscreen page）\n"
      "  单人 / one deputy:  --dir D --id T0001 --deputy JC0001 --pin 123456 --card-seed S --choices SPEC\n"
      "  模拟 / simulate:    --dir D --simulate N --card-seed S [--votes K]\n"
      "模拟代表证的密钥由 --card-seed 派生（与 hallvote-server cards 相同；仅限演示）/ simulated card keys "
      "derive from "
      "--card-seed (as hallvote-server cards; demo only)."};
  app.footer(
      std::string(
          "SPEC (--choices, and one per line in a --vote-pattern FILE): clauses separated by ';', each "
          "CONTEST=SEL[,SEL...] (or CONTEST:SEL,...). CONTEST is the vote id for a choose vote (V1), else "
          "<vote>/<item> (V2/JC2025-05). SEL: project ids (choose); for|against|abstain (per item); "
          "satisfied|basically_satisfied|dissatisfied|abstain (satisfaction); "
          "赞成/反对/弃权/满意/基本满意/不满意 "
          "also accepted. CONTEST= leaves it blank (未表态). V1#2:… applies to round 2 (a run-off) only; "
          "without a '#' "
          "clause a round uses the vote's plain clauses. Examples: 'V1:JC2025-01,JC2025-03'  "
          "'V2/JC2025-05=for;V2/JC2025-06=against'.\n") +
      setup::kExitCodesHelp);
  app.add_option("--dir", common.dir, "会场目录 / hall directory")->capture_default_str();
  app.add_option("--keys", common.keys, "终端密钥目录 / terminal keys folder (default <hall>/terminals)");
  app.add_option("--address", common.address, "服务器地址 / server address (default <hall>/listen.json)");
  app.add_option("--port", common.port, "服务器端口 / server port (default <hall>/listen.json)");
  app.add_option("--card-seed", common.card_seed, "模拟代表证种子 / simulated card seed")->required();
  app.add_option("--pin", common.pin, "代表证PIN / card PIN (6 digits)")->capture_default_str();
  app.add_option("--receipt-dir", common.receipt_dir,
                 "回执保存目录（供 hallvote-audit receipt 核对）/ save each verified receipt here (for "
                 "hallvote-audit receipt)");
  app.add_option(
      "--state-dir", common.state_dir,
      "待确认选票目录（发出后、回执核验前保存，重启后重发）/ where each sent ballot is kept until its "
      "receipt verifies, and resent from after a restart (default <hall>/terminal-state)");
  app.add_option("--wait", common.wait_seconds,
                 "单人模式等待选票秒数 / seconds to wait for ballots (one deputy)")
      ->capture_default_str();
  app.add_option("--id", headless.terminal_id, "终端编号 / terminal id (its certificate)");
  app.add_option("--deputy", headless.deputy_id, "代表编号 / deputy id");
  app.add_option("--choices", headless.choices, "选择 / choices SPEC (see below)");
  auto* simulate_option = app.add_option("--simulate", simulate.count, "模拟 N 名代表 / simulate N deputies");
  app.add_option("--first-deputy-index", simulate.first_deputy_index,
                 "第一名模拟代表在在任名册中的位置（从0起）/ position of the first deputy among those in "
                 "office (0-based)")
      ->capture_default_str();
  app.add_option("--vote-pattern", simulate.vote_pattern,
                 "random 或 SPEC 文件 / random, or a file of SPEC lines")
      ->capture_default_str();
  app.add_option("--threads", simulate.threads, "工作线程 / worker threads")->capture_default_str();
  app.add_option("--io-threads", simulate.io_threads, "网络线程 / network threads")->capture_default_str();
  app.add_option("--votes", simulate.votes,
                 "每名代表投满 K 次后结束（0 = 直到 Ctrl-C）/ stop after K votes (0: until signal)")
      ->capture_default_str();
  app.add_option("--seed", simulate.seed, "选择的随机种子 / choice seed")->capture_default_str();
  app.add_option("--terminal-prefix", simulate.terminal_prefix, "终端编号前缀 / terminal id prefix")
      ->capture_default_str();
  app.fallthrough();  // the hall options (--dir, --card-seed …) may follow `run`
  auto* run = app.add_subcommand(
      "run", "座席终端：服务触摸屏页面 / the seat terminal daemon: serves the touchscreen page on 127.0.0.1");
  run->add_option("--id", seat.terminal_id, "终端编号 / terminal id (its certificate)")->required();
  run->add_option("--web-root", seat.web_root, "座席页面目录 / the seat page's folder")->capture_default_str();
  run->add_option("--page-port", seat.page_port, "页面端口（0 = 任选）/ page port on 127.0.0.1 (0: any)")
      ->capture_default_str();
  run->add_option("--poll-ms", seat.poll_ms, "查询会场状态的间隔 / status poll interval (ms)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : setup::kExitUsage;
  }
  try {
    if (run->parsed()) return terminal_tool::run_seat_daemon(common, seat);
    if (simulate_option->count() > 0) {
      if (simulate.count == 0)
        return setup::report_error("--simulate N 需 N > 0 / needs N > 0", setup::kExitUsage);
      return terminal_tool::run_simulation(common, simulate);
    }
    if (headless.terminal_id.empty() || headless.deputy_id.empty() || headless.choices.empty()) {
      return setup::report_error(
          "单人模式需要 --id、--deputy、--choices / one-deputy mode needs --id, --deputy, "
          "--choices (or use --simulate N)",
          setup::kExitUsage);
    }
    return terminal_tool::run_headless(common, headless);
  } catch (const std::exception& e) {
    return setup::report_error(std::string("unexpected: ") + e.what(), setup::kExitFailed);
  }
}
