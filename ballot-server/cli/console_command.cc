// hallvote-server console: the chair's console (主持人控制台). Connects to the server with the chair's
// certificate (<hall>/operators/ID.{key,crt}), asks for the state every --poll-ms (status, attendance, the
// progress of every vote, the result of the vote in focus), computes the console's view
// (hallvote/hall/chair_console.h) and serves the page (ballot-server/web-console) on 127.0.0.1, printing
// `PAGE http://127.0.0.1:<port>/`; runs until SIGINT/SIGTERM. A command the chair confirms on the page is
// checked against what is offered now, sent once, and its outcome shown in words. A lost server is retried; the
// page keeps the last view, marked as reconnecting, and offers no command meanwhile.
#include <condition_variable>
#include <csignal>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

#include "commands.h"
#include "hall_client.h"
#include "hallvote/hall/big_screen.h"
#include "hallvote/hall/chair_console.h"
#include "hallvote/network/local_page_server.h"
#include "page_program.h"

namespace hallvote::server_tool {
namespace {

using nlohmann::json;
using setup::ConsoleCommand;

protocol::MessageType message_of(ConsoleCommand command) {
  using protocol::MessageType;
  switch (command) {
    case ConsoleCommand::open_sign_in:
      return MessageType::open_sign_in;
    case ConsoleCommand::start_session:
      return MessageType::start_session;
    case ConsoleCommand::prepare_vote:
      return MessageType::prepare_vote;
    case ConsoleCommand::open_vote:
      return MessageType::open_vote;
    case ConsoleCommand::hold_vote:
      return MessageType::hold_vote;
    case ConsoleCommand::resume_vote:
      return MessageType::resume_vote;
    case ConsoleCommand::close_vote:
      return MessageType::close_vote;
    case ConsoleCommand::close_session:
      return MessageType::close_session;
  }
  return MessageType::status;
}

// An answer's body, or the error that stopped the poll (a refusal of a read-only question is an error too).
Result<json> ask(setup::HallClient& client, protocol::MessageType type, const json& fields = json::object()) {
  auto response = client.call(type, fields);
  if (!response) return forward(response.error());
  if (!response->ok) return fail(std::errc::protocol_error, setup::refusal_text(*response));
  return response->body;
}

// One poll of the server: the console's input, or the error that stopped it.
Result<setup::ConsoleInput> poll(setup::HallClient& client) {
  setup::ConsoleInput input;
  input.now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto status = ask(client, protocol::MessageType::status);
  if (!status) return forward(status.error());
  input.status = std::move(*status);
  auto attendance = ask(client, protocol::MessageType::attendance);
  if (!attendance) return forward(attendance.error());
  input.attendance = std::move(*attendance);
  for (const auto& vote : input.status.value("votes", json::array())) {
    const std::string id = vote.value("vote_id", "");
    auto progress = ask(client, protocol::MessageType::progress, {{"vote_id", id}});
    if (!progress) return forward(progress.error());
    input.progress[id] = std::move(*progress);
  }
  const auto focus = setup::console_focus_vote(input.status);
  if (focus && input.progress.contains(*focus) && setup::big_screen_shows_result(input.progress[*focus])) {
    auto result = ask(client, protocol::MessageType::result, {{"vote_id", *focus}});
    if (!result) return forward(result.error());
    input.result = std::move(*result);
  }
  return input;
}

// Sends the confirmed command once and says what came of it. A lost answer is reported as such (the command
// may have run): the chair looks at the state before trying again.
setup::ConsoleNotice run_command(const session::SessionDefinition& session,
                                 std::optional<setup::HallClient>& client,
                                 const setup::ConsoleRequest& request) {
  if (!client) return setup::command_refused(request, "", "未连接 / not connected");
  json fields = json::object();
  if (!request.vote_id.empty()) fields["vote_id"] = request.vote_id;
  if (!request.reason.empty()) fields["reason"] = request.reason;
  auto response = client->call(message_of(request.command), fields);
  if (!response) {
    client.reset();
    return setup::command_refused(request, "", response.error().message());
  }
  if (!response->ok) {
    const std::string code = response->error ? std::string(protocol::wire_name(*response->error)) : "internal";
    return setup::command_refused(request, code, response->detail);
  }
  return setup::command_succeeded(session, request, response->body);
}

// The console's shared state: the last input, the last notice, the commands confirmed and not yet sent, and the
// view the page has. Touched by the page server's thread (intents, snapshots) and the main loop.
struct Console {
  const session::SessionDefinition& session;
  std::mutex mutex;
  std::condition_variable wake;
  setup::ConsoleInput input;
  std::optional<setup::ConsoleNotice> notice;
  std::deque<setup::ConsoleRequest> requests;
  std::string view;
  bool running = false;  // a command is on its way: a second confirmation (a double click) is ignored meanwhile
  bool stopping = false;
  network::LocalPageServer* page = nullptr;

  explicit Console(const session::SessionDefinition& s) : session(s) {
    input.connected = false;
    view = setup::console_view(session, input, notice).dump();
  }

  void publish_locked() {
    std::string next = setup::console_view(session, input, notice).dump();
    if (next == view) return;
    view = next;
    if (page != nullptr) page->broadcast(std::move(next));
  }

  void on_message(std::string_view text) {
    std::lock_guard lock(mutex);
    if (running || !requests.empty()) return;  // checked against a state the command in flight is changing
    auto request = setup::parse_console_intent(session, input, text);
    if (!request) {
      const std::string& detail = request.error().detail;
      notice = setup::ConsoleNotice{false, detail.substr(0, detail.find(" / "))};
    } else {
      requests.push_back(std::move(*request));
      notice = setup::ConsoleNotice{true, "正在执行…", true};
      wake.notify_all();
    }
    publish_locked();
  }
};

int run_console(const PageProgramOptions& o) {
  auto hall = setup::load_hall(o.dir);
  if (!hall) return setup::report_error(hall.error().message(), setup::kExitSetup);
  auto options = setup::client_options(*hall, hall->paths.operators(), o.as,
                                       setup::resolve_endpoint(hall->paths, o.address, o.port));
  if (!options) return setup::report_error(options.error().message(), setup::kExitSetup);

  const sigset_t signals = block_stop_signals();

  Console console(hall->session);
  network::LocalPageHandlers handlers;
  handlers.snapshot = [&console]() {
    std::lock_guard lock(console.mutex);
    return console.view;
  };
  handlers.on_message = [&console](std::string_view text) { console.on_message(text); };
  auto page = network::LocalPageServer::start({o.web_root, o.page_port, 2048}, std::move(handlers));
  if (!page) return setup::report_error(page.error().message(), setup::kExitSetup);
  {
    std::lock_guard lock(console.mutex);
    console.page = page->get();
  }
  std::thread signal_waiter([&console, signals]() {
    int signal = 0;
    sigwait(&signals, &signal);
    std::lock_guard lock(console.mutex);
    console.stopping = true;
    console.wake.notify_all();
  });
  std::cout << "主持人控制台已启动 / chair's console started\nPAGE http://127.0.0.1:" << (*page)->port() << "/"
            << std::endl;

  network::ClientContext context(1);
  std::optional<setup::HallClient> client;
  while (true) {
    if (!client) {
      auto connected = setup::HallClient::connect(context, options->copy());
      if (connected) client.emplace(std::move(*connected));
    }
    std::optional<setup::ConsoleRequest> request;
    {
      std::lock_guard lock(console.mutex);
      if (console.stopping) break;
      if (!console.requests.empty()) {
        request = std::move(console.requests.front());
        console.requests.pop_front();
        console.running = true;
      }
    }
    std::optional<setup::ConsoleNotice> outcome;
    if (request) outcome = run_command(hall->session, client, *request);
    auto input = client ? poll(*client) : Result<setup::ConsoleInput>(fail(std::errc::not_connected));
    std::unique_lock lock(console.mutex);
    if (outcome) console.notice = std::move(outcome);
    console.running = false;  // the outcome and the state after it are published together
    if (input) {
      console.input = std::move(*input);
    } else {
      client.reset();  // reconnect on the next round
      console.input.connected = false;
    }
    console.publish_locked();
    console.wake.wait_for(lock, std::chrono::milliseconds(o.poll_ms),
                          [&console]() { return console.stopping || !console.requests.empty(); });
    if (console.stopping) break;
  }
  {
    std::lock_guard lock(console.mutex);
    console.page = nullptr;
  }
  page->reset();
  signal_waiter.join();
  std::cout << "主持人控制台已停止 / chair's console stopped" << std::endl;
  return setup::kExitOk;
}

}  // namespace

void add_console_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<PageProgramOptions>();
  options->web_root = HALLVOTE_CONSOLE_WEB_ROOT;
  auto* cmd = app.add_subcommand(
      "console",
      "主持人控制台：签到、开会、表决的开始/暂停/恢复/截止与结果 / the chair's console (a page on 127.0.0.1)");
  add_page_program_options(*cmd, *options, "主持人证书编号（enrol --role chair）/ the chair's certificate id");
  cmd->callback([options, &exit_code]() { exit_code = run_console(*options); });
}

}  // namespace hallvote::server_tool
