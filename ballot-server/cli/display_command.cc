// hallvote-server display: the hall's big screen (大屏). Connects to the server with a `display` certificate
// (<hall>/operators/ID.{key,crt}; hallvote-server enrol --role display), asks for the public state every
// --poll-ms, computes the big screen's view (hallvote/hall/big_screen.h) and serves the page
// (ballot-server/web-display) on 127.0.0.1, printing `PAGE http://127.0.0.1:<port>/`; runs until
// SIGINT/SIGTERM. A lost server is retried; the page keeps the last view, marked as reconnecting.
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "commands.h"
#include "hall_client.h"
#include "hallvote/hall/big_screen.h"
#include "hallvote/network/local_page_server.h"
#include "page_program.h"

namespace hallvote::server_tool {
namespace {

using nlohmann::json;

// One poll of the server: the big screen's input, or the error that stopped it.
Result<setup::BigScreenInput> poll(setup::HallClient& client) {
  setup::BigScreenInput input;
  auto status = client.call(protocol::MessageType::status);
  if (!status) return forward(status.error());
  if (!status->ok) return fail(std::errc::protocol_error, setup::refusal_text(*status));
  input.status = status->body;
  const auto vote = setup::big_screen_vote(input.status);
  if (!vote) return input;
  auto progress = client.call(protocol::MessageType::progress, {{"vote_id", *vote}});
  if (!progress) return forward(progress.error());
  if (!progress->ok) return input;
  input.progress = progress->body;
  if (!setup::big_screen_shows_result(progress->body)) return input;
  auto result = client.call(protocol::MessageType::result, {{"vote_id", *vote}});
  if (!result) return forward(result.error());
  if (result->ok) input.result = result->body;
  return input;
}

int run_display(const PageProgramOptions& o) {
  auto hall = setup::load_hall(o.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return setup::report_error(options.error().message(), setup::kExitSetup);

  sigset_t signals = block_stop_signals();

  std::mutex mutex;  // guards view
  std::string view = setup::big_screen_view(hall->session, {json::object(), {}, {}, false}).dump();
  network::LocalPageHandlers handlers;
  handlers.snapshot = [&]() {
    std::lock_guard lock(mutex);
    return view;
  };
  auto page = network::LocalPageServer::start({o.web_root, o.page_port, 1024}, std::move(handlers));
  if (!page) return setup::report_error(page.error().message(), setup::kExitSetup);
  std::cout << "大屏已启动 / big screen started\nPAGE http://127.0.0.1:" << (*page)->port() << "/" << std::endl;

  network::ClientContext context(1);
  std::optional<setup::HallClient> client;
  setup::BigScreenInput last{json::object(), {}, {}, false};
  while (true) {
    if (!client) {
      auto connected = setup::HallClient::connect(context, options->copy());
      if (connected) client.emplace(std::move(*connected));
    }
    auto input = client ? poll(*client) : Result<setup::BigScreenInput>(fail(std::errc::not_connected));
    if (input) {
      last = std::move(*input);
    } else {
      client.reset();  // reconnect on the next poll
      last.connected = false;
    }
    std::string next = setup::big_screen_view(hall->session, last).dump();
    {
      std::lock_guard lock(mutex);
      if (next != view) {
        view = next;
        (*page)->broadcast(std::move(next));
      }
    }
    timespec wait{static_cast<time_t>(o.poll_ms / 1000), static_cast<long>(o.poll_ms % 1000) * 1000000L};
    const int got = sigtimedwait(&signals, nullptr, &wait);
    if (got == SIGINT || got == SIGTERM) break;
  }
  std::cout << "大屏已停止 / big screen stopped" << std::endl;
  return setup::kExitOk;
}

}  // namespace

void add_display_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PageProgramOptions>();
  options->web_root = HALLVOTE_DISPLAY_WEB_ROOT;
  auto* cmd = app.add_subcommand(
      "display", "会场大屏：只读显示出席、表决进度和解密后的结果 / the hall's big screen (read-only)");
  add_page_program_options(*cmd, *options,
                           "大屏证书编号（enrol --role display）/ the display's certificate id");
  cmd->callback([options, &exit_code]() { exit_code = run_display(*options); });
}

}  // namespace hallvote::server_tool
