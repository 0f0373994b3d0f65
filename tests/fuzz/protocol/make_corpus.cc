// Writes the seed corpus of protocol_fuzz (one file per decoder, prefixed with its selector byte) from real
// messages: a request, a response, the W1 definition, a signed ballot and an encrypted ballot.
#include <fstream>
#include <string>

#include "hallvote/crypto/group.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/messages.h"
#include "w1_definition.h"

namespace hv = hallvote;

namespace {

void write(const std::string& dir, const std::string& name, std::uint8_t selector,
           const hv::crypto::Bytes& bytes) {
  std::ofstream out(dir + "/" + name, std::ios::binary);
  out.put(static_cast<char>(selector));
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

hv::crypto::Bytes bytes(const std::string& text) { return hv::crypto::Bytes(text.begin(), text.end()); }

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  hv::crypto::DeterministicRandom random(1);
  const hv::protocol::BallotDefinition d = fuzz_w1_definition();
  write(dir, "request-cast", 0,
        hv::protocol::encode_request(hv::protocol::MessageType::cast, {{"vote_id", "W1"}, {"ballot", "00"}}));
  write(dir, "response-error", 1,
        hv::protocol::encode_error({make_error_code(hv::protocol::ProtocolErrc::already_cast), "D0001"}));
  write(dir, "definition", 2, bytes(d.canonical_json()));
  const auto server = hv::crypto::SigningKey::generate(random);
  hv::protocol::SignedBallot signed_ballot{
      d,
      {{"P01", server.sign(hv::protocol::approval_message(d.base_hash()))}},
      server.sign(hv::protocol::issue_message(d.base_hash()))};
  write(dir, "signed-ballot", 3, bytes(signed_ballot.to_json()));
  const auto deputy = hv::crypto::SigningKey::generate(random);
  auto ballot =
      hv::protocol::encrypt_ballot(d, "D0001", deputy.verify_key(), {{1, 0, 0, 1, 0, 0, 0, 0, 0, 0}}, random);
  write(dir, "cast-ballot", 4, ballot->encode());
  return 0;
}
