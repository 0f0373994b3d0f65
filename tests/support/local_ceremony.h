// The Pedersen DKG of crypto/threshold.h among n trustees, all in this process: for tests and benchmarks only
// (one process sees every secret). Every reveal and share is checked as a real ceremony checks it.
#pragma once

#include <vector>

#include "hallvote/crypto/threshold.h"

namespace hallvote::testing {

struct LocalCeremony {
  crypto::ThresholdKey key;
  std::vector<crypto::KeyShare> shares;  // trustee j's share at [j − 1]
};

inline LocalCeremony run_local_ceremony(const crypto::ThresholdParams& params, crypto::RandomSource& random) {
  std::vector<crypto::Dealer> dealers;
  std::vector<crypto::DealerReveal> reveals;
  std::vector<crypto::BoxKeyPair> boxes;
  for (std::uint32_t i = 1; i <= params.n; ++i) {
    dealers.push_back(crypto::Dealer::create(params, i, random).value());
    reveals.push_back(dealers.back().reveal());
    boxes.push_back(crypto::BoxKeyPair::generate(random));
  }
  LocalCeremony ceremony{crypto::ThresholdKey::from_reveals(params, reveals).value(), {}};
  for (std::uint32_t j = 1; j <= params.n; ++j) {
    std::vector<crypto::SecretScalar> opened;
    for (std::uint32_t i = 1; i <= params.n; ++i) {
      opened.push_back(crypto::open_share(params, j, boxes[j - 1], reveals[i - 1],
                                          dealers[i - 1].sealed_share_for(j, boxes[j - 1].public_key()))
                           .value());
    }
    ceremony.shares.push_back(crypto::KeyShare::combine(j, opened));
  }
  return ceremony;
}

}  // namespace hallvote::testing
