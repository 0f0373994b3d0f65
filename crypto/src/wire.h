// Internal: fixed-width encodings of points and scalars inside proofs and ciphertexts (docs/crypto.md §1).
#pragma once

#include <string>

#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/errors.h"
#include "hallvote/crypto/group.h"

namespace hallvote::crypto::wire {

inline void put(Bytes& out, const Point& point) {
  const auto bytes = point.encode();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

inline void put(Bytes& out, const Scalar& scalar) {
  const auto bytes = scalar.encode();
  out.insert(out.end(), bytes.begin(), bytes.end());
}

// Reads consecutive 32-byte fields; every failure names the field (`where`).
class Reader {
 public:
  explicit Reader(ByteView bytes) : bytes_(bytes) {}

  Result<Point> point(const std::string& where) {
    auto field = next(where);
    if (!field) return forward(field.error());
    auto point = Point::decode(*field);
    if (!point) return fail(CryptoErrc::invalid_point, where + ": " + point.error().detail);
    return point;
  }

  Result<Scalar> scalar(const std::string& where) {
    auto field = next(where);
    if (!field) return forward(field.error());
    auto scalar = Scalar::decode(*field);
    if (!scalar) return fail(CryptoErrc::invalid_scalar, where + ": " + scalar.error().detail);
    return scalar;
  }

  [[nodiscard]] bool at_end() const { return offset_ == bytes_.size(); }

 private:
  Result<ByteView> next(const std::string& where) {
    if (bytes_.size() - offset_ < 32) return fail(CryptoErrc::invalid_encoding, where + ": truncated");
    ByteView field = bytes_.subspan(offset_, 32);
    offset_ += 32;
    return field;
  }

  ByteView bytes_;
  std::size_t offset_ = 0;
};

}  // namespace hallvote::crypto::wire
