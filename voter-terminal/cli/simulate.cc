// hallvote-terminal --simulate N: builds the seats, runs the simulation, prints progress and a summary.
#include <signal.h>

#include <cstdio>
#include <iostream>

#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/process.h"
#include "simulation.h"

namespace hallvote::terminal_tool {
namespace {

Result<std::vector<ChoiceSpec>> load_pattern(const std::string& pattern) {
  std::vector<ChoiceSpec> specs;
  if (pattern == "random") return specs;
  auto text = setup::read_text(pattern);
  if (!text) return forward(text.error());
  std::size_t start = 0;
  while (start < text->size()) {
    auto end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t\r")] == '#')
      continue;
    auto spec = ChoiceSpec::parse(line);
    if (!spec) return forward(spec.error());
    specs.push_back(std::move(*spec));
  }
  if (specs.empty()) return fail(std::errc::invalid_argument, pattern + ": 没有选择 / no SPEC lines");
  return specs;
}

void print_progress(const SimulationCounters& c) {
  std::cout << "模拟 / simulation: 签到 " << c.signed_in << "/" << c.seats << "，已投 " << c.cast
            << " 张（空白 " << c.blank << "），重试 " << c.retries << "，失败 " << c.failed << std::endl;
}

}  // namespace

int run_simulation(const CommonOptions& common, const SimulateOptions& options) {
  const auto files = setup::raise_open_file_limit();
  if (files != 0 && files < options.count + 64) {
    std::cerr << "警告 / warning: 文件句柄上限 " << files << " 可能不够 / the open-file limit may be too low\n";
  }
  auto hall = setup::load_hall(common.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto specs = load_pattern(options.vote_pattern);
  if (!specs) return setup::report_error(specs.error().message(), setup::kExitUsage);
  std::vector<const session::Deputy*> deputies;
  for (const auto& deputy : hall->session.roster) {
    if (deputy.in_office) deputies.push_back(&deputy);
  }
  if (std::uint64_t{options.first_deputy_index} + options.count > deputies.size()) {
    return setup::report_error("在任代表只有 " + std::to_string(deputies.size()) + " 名 / only " +
                                   std::to_string(deputies.size()) + " deputies in office",
                               setup::kExitUsage);
  }
  const std::filesystem::path keys =
      common.keys.empty() ? hall->paths.terminals() : std::filesystem::path(common.keys);
  const auto endpoint = setup::resolve_endpoint(hall->paths, common.address, common.port);
  const std::filesystem::path state_dir =
      common.state_dir.empty() ? hall->paths.terminal_state() : std::filesystem::path(common.state_dir);

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  network::ClientContext context(std::max(1u, options.io_threads));
  std::vector<Simulation::SimSeat> seats;
  for (std::uint32_t k = 0; k < options.count; ++k) {
    char number[16];
    std::snprintf(number, sizeof number, "%04u", k + 1);
    const std::uint32_t position = options.first_deputy_index + k;
    SeatParams params{options.terminal_prefix + number, deputies[position]->id, common.card_seed, common.pin};
    auto seat = Seat::create(*hall, context, keys, endpoint, params, state_dir);
    if (!seat) return setup::report_error(seat.error().message(), setup::kExitSetup);
    seats.push_back({std::move(*seat), position, false, {}, {}});
  }
  std::cout << "模拟 " << options.count << " 名代表（" << deputies[options.first_deputy_index]->id
            << " 起），服务器 " << endpoint.address << ":" << endpoint.port << " / simulating " << options.count
            << " deputies" << std::endl;

  SimulationCounters last;
  bool interrupted = false;
  {
    Simulation simulation(std::move(seats), std::move(*specs), options, common.receipt_dir);
    simulation.start();
    while (!simulation.all_finished()) {
      timespec wait{2, 0};
      const int got = sigtimedwait(&signals, nullptr, &wait);
      if (got == SIGINT || got == SIGTERM) {
        interrupted = true;
        break;
      }
      print_progress(simulation.counters());
    }
    simulation.stop();
    simulation.join();
    last = simulation.counters();
  }
  std::cout << "== 模拟结束 / simulation summary ==\n"
            << "  代表 / deputies: " << last.seats << "\n  已签到 / signed in: " << last.signed_in
            << "\n  已投票（回执已验证）/ cast, receipts verified: " << last.cast
            << "（其中空白 / blank: " << last.blank << "）\n  失败 / failed: " << last.failed << "\n";
  for (const auto& [reason, count] : last.failure_reasons)
    std::cout << "    " << count << " × " << reason << "\n";
  std::cout << "SUMMARY signed_in=" << last.signed_in << " cast=" << last.cast << " blank=" << last.blank
            << " failed=" << last.failed << (interrupted ? " interrupted" : "") << std::endl;
  return last.failed == 0 ? setup::kExitOk : setup::kExitFailed;
}

}  // namespace hallvote::terminal_tool
