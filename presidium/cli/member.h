// What every member-side command shares: the options naming the member, the hall and the ceremony folder; the
// member's sealed keys; and the member's TLS connection to the server (certificate <hall>/operators/ID.*).
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "hall_client.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/hall/hall_dir.h"

namespace hallvote::presidium_tool {

struct MemberOptions {
  std::string dir = "var/hall";
  std::string as;
  std::string keys;
  std::optional<std::string> passphrase;
  std::string prefix;
  std::optional<std::string> address;
  std::optional<std::uint16_t> port;

  // The passphrase of the member's key files: --passphrase, else prefix + id.
  [[nodiscard]] std::string key_passphrase() const { return passphrase ? *passphrase : prefix + as; }
};

// Adds --dir, --as, --keys, --passphrase, --passphrase-prefix, --address and --port to `command`.
void add_member_options(CLI::App& command, MemberOptions& options);

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
