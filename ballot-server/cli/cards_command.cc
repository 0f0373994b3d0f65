// hallvote-server cards: the demo card list of simulated deputy cards for a demo or test hall (signed by a demo
// issuer derived from the seed and marked demo: docs/cards.md §4.4).
#include <iostream>

#include "commands.h"
#include "hallvote/hall/cli.h"
#include "hallvote/hall/files.h"
#include "hallvote/hall/simulated_cards.h"
#include "hallvote/session/loader.h"

namespace hallvote::server_tool {
namespace {

struct CardsOptions {
  std::string session;
  std::string seed;
  std::string out;
};

int run_cards(const CardsOptions& o) {
  auto session = session::load_session(o.session);
  if (!session) return setup::report_error(session.error().message(), setup::kExitSetup);
  const auto list = setup::simulated_cards_json(*session, o.seed);
  if (auto ok = setup::write_file(o.out, list.dump(2) + "\n", setup::FileMode::plain); !ok) {
    return setup::report_error(ok.error().message(), setup::kExitSetup);
  }
  const auto count = list["cards"].size();
  std::cout << "已为 " << count << " 名代表生成演示用模拟代表证清单：" << o.out << "\n"
            << "wrote the demo card list of " << count << " simulated cards to " << o.out << "\n"
            << "注意：仅用于演示和测试，知道种子即可冒充任何代表 / demo and tests only: the seed impersonates "
               "anyone\n";
  return setup::kExitOk;
}

}  // namespace

void add_cards_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<CardsOptions>();
  auto* cmd =
      app.add_subcommand("cards",
                         "生成演示用模拟代表证清单 / write the demo card list of simulated deputy cards "
                         "(demo/test halls only; a real "
                         "hall gets them from the card-issuing step, where each key is made on the card)");
  cmd->add_option("--session", options->session, "会议文件 / session TOML file")->required();
  cmd->add_option("--seed", options->seed,
                  "模拟卡种子（与 hallvote-terminal --card-seed 相同）/ card seed text")
      ->required();
  cmd->add_option("--out", options->out, "输出 / output card list (cards.json)")->required();
  cmd->callback([options, &exit_code] { exit_code = run_cards(*options); });
}

}  // namespace hallvote::server_tool
