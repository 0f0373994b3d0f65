// libFuzzer target for every decoder of the hall protocol (docs/protocol.md §3–§6): the request and response
// envelopes, the ballot definition and the signed ballot (JSON), and the encrypted ballot (binary, decoded
// against a fixed W1 definition). The first input byte picks the decoder. Invariants: no decoder crashes or
// throws; a definition that parses re-serialises to a text that parses to the same base hash; an encrypted
// ballot that decodes re-encodes to exactly its input; a key ceremony transcript (docs/crypto.md §6.5) is
// checked whole, and each of its messages that parses re-serialises to the same message. Built by the fuzz
// preset, run by tests/fuzz/run. (The key-ceremony seed is the transcript of a real three-member ceremony.)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hallvote/crypto/group.h"
#include "hallvote/protocol/ballot_definition.h"
#include "hallvote/protocol/cast_ballot.h"
#include "hallvote/protocol/key_ceremony.h"
#include "hallvote/protocol/messages.h"
#include "w1_definition.h"

namespace hv = hallvote;

namespace {

const hv::protocol::BallotDefinition& w1() {
  static const hv::protocol::BallotDefinition definition = fuzz_w1_definition();
  return definition;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const hv::crypto::ByteView input(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
  switch (data[0] % 6) {
    case 0:
      (void)hv::protocol::decode_request(input);
      break;
    case 1:
      (void)hv::protocol::decode_response(input);
      break;
    case 2: {
      auto definition = hv::protocol::BallotDefinition::from_json(text);
      if (definition) {
        auto again = hv::protocol::BallotDefinition::from_json(definition->canonical_json());
        if (!again || again->base_hash() != definition->base_hash()) std::abort();
      }
      break;
    }
    case 3: {
      auto ballot = hv::protocol::SignedBallot::from_json(text);
      if (ballot && !hv::protocol::SignedBallot::from_json(ballot->to_json())) std::abort();
      break;
    }
    case 4: {
      auto ballot = hv::protocol::CastBallot::decode(input, w1());
      if (ballot && ballot->encode() != hv::crypto::Bytes(input.begin(), input.end())) std::abort();
      break;
    }
    case 5: {
      const auto json = nlohmann::json::parse(text, nullptr, false);
      if (json.is_discarded()) break;
      (void)hv::protocol::verify_ceremony(json);
      if (json.is_object() && json.contains("messages") && json["messages"].is_array()) {
        for (const auto& m : json["messages"]) {
          auto message = hv::protocol::CeremonyMessage::from_json(m, "m");
          if (!message) continue;
          auto again = hv::protocol::CeremonyMessage::from_json(message->to_json(), "m");
          if (!again || !(*again == *message)) std::abort();
        }
      }
      break;
    }
  }
  return 0;
}
