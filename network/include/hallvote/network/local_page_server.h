// The local page server: serves one screen's static page (HTML/CSS/JS from a folder of the repository) and
// one WebSocket to a browser on the same machine, 127.0.0.1 only. The seat terminal, the chair's console and
// the big screen are each a C++ process with one of these: the page renders the state the process sends and
// sends back intents; it holds no rule and no key.
//
// Checks (docs/seat.md "The page server"): listens on 127.0.0.1 only; a request whose Host is not
// 127.0.0.1:<port> or localhost:<port> is refused (DNS rebinding), and so is a WebSocket whose Origin is not
// that page's own; only plain file names of the folder are served (no sub-folders, no "..", known types);
// every answer carries a Content-Security-Policy that allows the page's own files and its WebSocket only;
// messages from the page are limited in size.
//
// Thread-safety: the server runs its own thread; handlers are called on it, one at a time. broadcast() and
// the destructor may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "hallvote/common/result.h"

namespace hallvote::network {

struct LocalPageOptions {
  std::filesystem::path web_root;        // the page's files: index.html and what it loads, one flat folder
  std::uint16_t port = 0;                // 0: any free port
  std::size_t max_message_bytes = 4096;  // a longer message from the page closes its WebSocket
};

struct LocalPageHandlers {
  // The state a page is sent as soon as its WebSocket opens.
  std::function<std::string()> snapshot;
  // A text message from the page (an intent); the answer, if any, goes out by broadcast().
  std::function<void(std::string_view message)> on_message;
  // Optional: POST /control/<name> with a text body, for local control that is not the deputy's (a
  // simulated card inserted or taken out in a demo or test). Returns the answer text or the error (400).
  std::function<Result<std::string>(std::string_view name, std::string_view body)> on_control;
};

class LocalPageServer {
 public:
  // Binds 127.0.0.1:options.port and starts serving. Fails (std::errc, naming the folder or the port) when the
  // folder has no index.html or the port cannot be bound.
  [[nodiscard]] static Result<std::unique_ptr<LocalPageServer>> start(LocalPageOptions options,
                                                                      LocalPageHandlers handlers);
  virtual ~LocalPageServer() = default;

  // The port bound (useful with options.port = 0).
  [[nodiscard]] virtual std::uint16_t port() const noexcept = 0;
  // Sends `text` to every open page. Pages that fall behind get the latest text only (each text is a whole
  // state, so nothing is lost by skipping). Texts are ordered by when broadcast() was called, whatever thread
  // called it: a page never gets an older text after a newer one, nor after the snapshot it opened with (so
  // a caller broadcasts after changing the state its snapshot handler reads).
  virtual void broadcast(std::string text) = 0;
};

}  // namespace hallvote::network
