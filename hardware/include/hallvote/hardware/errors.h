// Error codes of hallvote::hardware: what a seat device can refuse or fail at.
#pragma once

#include <system_error>

namespace hallvote::hardware {

enum class HardwareErrc {
  no_card = 1,     // no card in the reader
  wrong_pin,       // the PIN did not match; the detail says how many tries remain
  card_locked,     // three wrong PINs in a row: the card refuses until staff unlock it
  pin_required,    // signing before the PIN was verified in this card session
  invalid_pin,     // not 6 digits
  device_failure,  // the device did not answer (unplugged, dead, timed out)
};

const std::error_category& hardware_category() noexcept;

inline std::error_code make_error_code(HardwareErrc e) noexcept {
  return {static_cast<int>(e), hardware_category()};
}

}  // namespace hallvote::hardware

template <>
struct std::is_error_code_enum<hallvote::hardware::HardwareErrc> : std::true_type {};
