// A PKCS#11 module loaded by path and RAII handles over it: the layer under Pkcs11CardReader (the seats) and
// the card-issuing tool (hallvote-cards). Calls the PKCS#11 v2.40/3.0 C API directly (the header p11-kit
// ships); Ed25519 keys are CKK_EC_EDWARDS objects signed with CKM_EDDSA.
//
// Errors are HardwareErrc values whose detail names the call and the CKR code ("C_Sign: CKR_DEVICE_ERROR"):
// a token that went away (CKR_DEVICE_REMOVED, CKR_TOKEN_NOT_PRESENT, CKR_SESSION_HANDLE_INVALID,
// CKR_SESSION_CLOSED) is no_card, CKR_PIN_LOCKED is card_locked, CKR_USER_NOT_LOGGED_IN is pin_required,
// anything else device_failure. Not thread-safe: one owner drives one module.
#pragma once

// The GNU form of the header: the compatibility form #defines `value`, `count`, `params`… as macros.
#ifndef CRYPTOKI_GNU
#define CRYPTOKI_GNU 1
#endif
#include <p11-kit/pkcs11.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hallvote/common/result.h"
#include "hallvote/crypto/bytes.h"
#include "hallvote/crypto/signature.h"

namespace hallvote::hardware::pkcs11 {

// "CKR_PIN_INCORRECT"; "CKR_0x000001a0" for a value without a name here.
[[nodiscard]] std::string rv_name(ck_rv_t rv);

// The mapping above, as a failure: `call` names the function ("C_Sign").
[[nodiscard]] Error rv_error(ck_rv_t rv, std::string_view call);

// CKR_PIN_INCORRECT as the seat reports it, from the token's flags read after the failed C_Login:
// CKF_USER_PIN_LOCKED → card_locked; CKF_USER_PIN_FINAL_TRY → wrong_pin "1 try left"; CKF_USER_PIN_COUNT_LOW →
// wrong_pin "few tries left"; none → wrong_pin without a count (PKCS#11 tokens need not say how many remain).
[[nodiscard]] Error wrong_pin_error(ck_flags_t token_flags);

// A loaded and initialised module. C_Finalize and dlclose on destruction (after every Session is gone: each
// Session holds the module).
class Module {
 public:
  // dlopen(path), C_GetFunctionList, C_Initialize with OS locking. device_failure naming the path otherwise.
  [[nodiscard]] static Result<std::shared_ptr<Module>> load(const std::filesystem::path& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  [[nodiscard]] const ck_function_list& api() const noexcept { return *api_; }
  // The slots that hold a token now.
  [[nodiscard]] Result<std::vector<ck_slot_id_t>> slots_with_token() const;
  [[nodiscard]] Result<ck_token_info> token_info(ck_slot_id_t slot) const;
  // The slot whose token has this label (the first one; nullopt when none does).
  [[nodiscard]] Result<std::optional<ck_slot_id_t>> find_token(std::string_view label) const;

 private:
  Module(void* library, ck_function_list* api) : library_(library), api_(api) {}
  void* library_;
  ck_function_list* api_;
};

// A token's label (32 bytes, blank-padded) without its padding.
[[nodiscard]] std::string token_label(const ck_token_info& info);
// The label field's bytes for `label` (at most 32 bytes, else std::errc::invalid_argument).
[[nodiscard]] Result<std::array<unsigned char, 32>> padded_label(std::string_view label);

// CKA_EC_POINT of an Ed25519 public key: exactly the DER OCTET STRING 04 20 ‖ 32 bytes (RFC 8410 form as
// PKCS#11 3.0 stores it); anything else is device_failure ("CKA_EC_POINT: …").
[[nodiscard]] Result<crypto::VerifyKey> parse_ec_point(crypto::ByteView der);

// CKA_EC_PARAMS for Ed25519: the DER printable string "edwards25519" (PKCS#11 3.0 §2.3.10; what SoftHSM2 and
// OpenSC accept when generating a key).
[[nodiscard]] crypto::Bytes ed25519_params();

// An open session on one slot. Move-only; C_CloseSession on destruction.
class Session {
 public:
  [[nodiscard]] static Result<Session> open(std::shared_ptr<Module> module, ck_slot_id_t slot, bool read_write);
  Session(Session&& other) noexcept;
  Session& operator=(Session&& other) noexcept;
  ~Session();

  [[nodiscard]] ck_session_handle_t handle() const noexcept { return handle_; }
  [[nodiscard]] const ck_function_list& api() const noexcept { return module_->api(); }
  [[nodiscard]] ck_slot_id_t slot() const noexcept { return slot_; }

  // C_Login with the PIN copied into a buffer that is wiped afterwards. Returns the CKR code (the caller maps
  // CKR_PIN_INCORRECT with the token's flags).
  [[nodiscard]] ck_rv_t login(ck_user_type_t user, std::string_view pin) const;
  // The objects matching `attributes` (at most 16).
  [[nodiscard]] Result<std::vector<ck_object_handle_t>> find(std::vector<ck_attribute> attributes) const;
  // One attribute's value.
  [[nodiscard]] Result<crypto::Bytes> attribute(ck_object_handle_t object, ck_attribute_type_t type) const;
  // The single Ed25519 key of `object_class` (CKO_PUBLIC_KEY or CKO_PRIVATE_KEY) on the token;
  // device_failure when there is none or more than one.
  [[nodiscard]] Result<ck_object_handle_t> ed25519_key(ck_object_class_t object_class) const;
  // C_SignInit(CKM_EDDSA) + C_Sign: a pure Ed25519 signature (RFC 8032) over `message`.
  [[nodiscard]] Result<crypto::Signature> sign_eddsa(ck_object_handle_t key, crypto::ByteView message) const;

 private:
  Session(std::shared_ptr<Module> module, ck_slot_id_t slot, ck_session_handle_t handle)
      : module_(std::move(module)), slot_(slot), handle_(handle) {}
  std::shared_ptr<Module> module_;
  ck_slot_id_t slot_ = 0;
  ck_session_handle_t handle_ = CK_INVALID_HANDLE;
};

// An attribute pointing at `value` (which must outlive its use).
template <class T>
[[nodiscard]] ck_attribute attr(ck_attribute_type_t type, T& value) {
  return {type, &value, sizeof(value)};
}

}  // namespace hallvote::hardware::pkcs11
