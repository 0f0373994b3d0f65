// Internal: the batched encoding of doubled points behind Point::double_and_encode, on libdecaf's point type
// (exposed for tests/crypto/group_test.cc, which checks it on points only libdecaf's API can make, such as
// representatives carrying torsion).
#pragma once

#include <decaf/point_255.h>

#include <array>
#include <cstdint>
#include <span>

namespace hallvote::crypto::detail {

// Replaces every point Q by 2·Q and writes the ristretto255 encoding of 2·Q to encodings[i] (same length), with
// one field inversion for the batch. Constant time. The pointers must be distinct.
void double_and_encode(std::span<decaf_255_point_s* const> points,
                       std::span<std::array<std::uint8_t, 32>> encodings);

}  // namespace hallvote::crypto::detail
