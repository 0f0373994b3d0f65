// The W1 ballot definition (10 projects, choose at most 3, under the generator as a fixed election key) that
// protocol_fuzz decodes encrypted ballots against and make_corpus makes its seeds from.
#pragma once

#include <string>

#include "hallvote/crypto/group.h"
#include "hallvote/protocol/ballot_definition.h"

inline hallvote::protocol::BallotDefinition fuzz_w1_definition() {
  hallvote::protocol::BallotDefinition d;
  d.session_id = "fuzz";
  d.session_body = "模糊测试会议";
  d.vote_title = "10选3";
  d.kind = hallvote::session::VoteKind::choose;
  d.shape.vote_id = "W1";
  d.shape.round = 1;
  hallvote::session::Contest contest{"W1", "", d.vote_title, {}, 0, 3};
  for (int i = 0; i < 10; ++i)
    contest.selections.push_back({"X" + std::to_string(i), "项目" + std::to_string(i)});
  d.shape.contests.push_back(contest);
  d.election_key = hallvote::crypto::Point::generator().encode();
  return d;
}
