// What every member-side command shares: the options naming the member, the hall, the ceremony folder, where
// the passphrase comes from and --yes; the member's sealed keys (opened only after the member confirmed); the
// confirmation; and the member's TLS connection to the server (certificate <hall>/operators/ID.*).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "hall_client.h"
#include "hallvote/crypto/secret.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/hall/hall_dir.h"
#include "hallvote/presidium/passphrase.h"

namespace hallvote::presidium_tool {

struct MemberOptions {
  std::string dir = "var/hall";
  std::string as;
  std::string keys;
  presidium::PassphraseSource passphrase;  // --passphrase-file / --passphrase-fd; else the env (tests), the tty
  bool yes = false;                        // --yes: confirmed in advance (non-interactive runs)
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;
};

// Adds --dir, --as, --keys, --passphrase-file, --passphrase-fd, --yes, --address and --port to `command`.
// (--passphrase and --passphrase-prefix are refused before parsing: presidium_main.cc.)
void add_member_options(CLI::App& command, MemberOptions& options);

// The member `options.as` on the session's key committee; the error text is ready to print.
[[nodiscard]] Result<const session::Official*> find_member(const setup::Hall& hall,
                                                           const MemberOptions& options);

// Prints `review` and asks the member to confirm `question` (presidium/confirm.h, on stdin/stdout). False:
// kNotSigned was printed and nothing may be signed or sent.
[[nodiscard]] bool member_confirms(const MemberOptions& options, const std::string& review,
                                   const std::string& question);

// Opens the member's sealed key file of `kind` at `path` with the member's passphrase (asked for now; wiped
// when this returns). The error text is ready to print.
[[nodiscard]] Result<crypto::SecretBytes> open_member_key(const MemberOptions& options,
                                                          const std::filesystem::path& path,
                                                          std::string_view kind);

// The member's approval/cosigning key from <keys>/ID.sign, checked against the key registered for the member in
// the session. The error text is ready to print.
[[nodiscard]] Result<crypto::SigningKey> load_signing_key(const setup::Hall& hall,
                                                          const MemberOptions& options);

// Connects to the hall's server as the member. `context` must outlive the client.
[[nodiscard]] Result<setup::HallClient> connect_member(const setup::Hall& hall, const MemberOptions& options,
                                                       network::ClientContext& context);

// Sends one request and returns its answer, or the error text ready to print with its exit code.
struct Refusal {
  std::string message;
  int exit_code = 0;
};
[[nodiscard]] tl::expected<nlohmann::json, Refusal> request(setup::HallClient& client,
                                                            protocol::MessageType type, nlohmann::json fields);

}  // namespace hallvote::presidium_tool
