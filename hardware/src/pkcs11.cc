#include "hallvote/hardware/pkcs11.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdio>

#include "hallvote/crypto/secret.h"
#include "hallvote/hardware/errors.h"

namespace hallvote::hardware::pkcs11 {
namespace {

struct RvName {
  ck_rv_t rv;
  const char* name;
};

// The codes a card, a reader or SoftHSM2 answer in practice; others print as hex.
constexpr RvName kRvNames[] = {
    {CKR_OK, "CKR_OK"},
    {CKR_HOST_MEMORY, "CKR_HOST_MEMORY"},
    {CKR_SLOT_ID_INVALID, "CKR_SLOT_ID_INVALID"},
    {CKR_GENERAL_ERROR, "CKR_GENERAL_ERROR"},
    {CKR_FUNCTION_FAILED, "CKR_FUNCTION_FAILED"},
    {CKR_ARGUMENTS_BAD, "CKR_ARGUMENTS_BAD"},
    {CKR_ATTRIBUTE_SENSITIVE, "CKR_ATTRIBUTE_SENSITIVE"},
    {CKR_ATTRIBUTE_TYPE_INVALID, "CKR_ATTRIBUTE_TYPE_INVALID"},
    {CKR_ATTRIBUTE_VALUE_INVALID, "CKR_ATTRIBUTE_VALUE_INVALID"},
    {CKR_DATA_LEN_RANGE, "CKR_DATA_LEN_RANGE"},
    {CKR_DEVICE_ERROR, "CKR_DEVICE_ERROR"},
    {CKR_DEVICE_MEMORY, "CKR_DEVICE_MEMORY"},
    {CKR_DEVICE_REMOVED, "CKR_DEVICE_REMOVED"},
    {CKR_FUNCTION_NOT_SUPPORTED, "CKR_FUNCTION_NOT_SUPPORTED"},
    {CKR_KEY_HANDLE_INVALID, "CKR_KEY_HANDLE_INVALID"},
    {CKR_KEY_TYPE_INCONSISTENT, "CKR_KEY_TYPE_INCONSISTENT"},
    {CKR_MECHANISM_INVALID, "CKR_MECHANISM_INVALID"},
    {CKR_MECHANISM_PARAM_INVALID, "CKR_MECHANISM_PARAM_INVALID"},
    {CKR_OBJECT_HANDLE_INVALID, "CKR_OBJECT_HANDLE_INVALID"},
    {CKR_OPERATION_ACTIVE, "CKR_OPERATION_ACTIVE"},
    {CKR_OPERATION_NOT_INITIALIZED, "CKR_OPERATION_NOT_INITIALIZED"},
    {CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"},
    {CKR_PIN_INVALID, "CKR_PIN_INVALID"},
    {CKR_PIN_LEN_RANGE, "CKR_PIN_LEN_RANGE"},
    {CKR_PIN_LOCKED, "CKR_PIN_LOCKED"},
    {CKR_SESSION_CLOSED, "CKR_SESSION_CLOSED"},
    {CKR_SESSION_COUNT, "CKR_SESSION_COUNT"},
    {CKR_SESSION_HANDLE_INVALID, "CKR_SESSION_HANDLE_INVALID"},
    {CKR_SESSION_READ_ONLY, "CKR_SESSION_READ_ONLY"},
    {CKR_SESSION_EXISTS, "CKR_SESSION_EXISTS"},
    {CKR_SESSION_READ_WRITE_SO_EXISTS, "CKR_SESSION_READ_WRITE_SO_EXISTS"},
    {CKR_TEMPLATE_INCOMPLETE, "CKR_TEMPLATE_INCOMPLETE"},
    {CKR_TEMPLATE_INCONSISTENT, "CKR_TEMPLATE_INCONSISTENT"},
    {CKR_TOKEN_NOT_PRESENT, "CKR_TOKEN_NOT_PRESENT"},
    {CKR_TOKEN_NOT_RECOGNIZED, "CKR_TOKEN_NOT_RECOGNIZED"},
    {CKR_TOKEN_WRITE_PROTECTED, "CKR_TOKEN_WRITE_PROTECTED"},
    {CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"},
    {CKR_USER_NOT_LOGGED_IN, "CKR_USER_NOT_LOGGED_IN"},
    {CKR_USER_PIN_NOT_INITIALIZED, "CKR_USER_PIN_NOT_INITIALIZED"},
    {CKR_USER_TYPE_INVALID, "CKR_USER_TYPE_INVALID"},
    {CKR_USER_ANOTHER_ALREADY_LOGGED_IN, "CKR_USER_ANOTHER_ALREADY_LOGGED_IN"},
    {CKR_BUFFER_TOO_SMALL, "CKR_BUFFER_TOO_SMALL"},
    {CKR_CRYPTOKI_NOT_INITIALIZED, "CKR_CRYPTOKI_NOT_INITIALIZED"},
    {CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"},
};

}  // namespace

std::string rv_name(ck_rv_t rv) {
  for (const auto& known : kRvNames) {
    if (known.rv == rv) return known.name;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "CKR_0x%08lx", rv);
  return buffer;
}

Error rv_error(ck_rv_t rv, std::string_view call) {
  std::string detail = std::string(call) + ": " + rv_name(rv);
  switch (rv) {
    case CKR_DEVICE_REMOVED:
    case CKR_TOKEN_NOT_PRESENT:
    case CKR_SESSION_HANDLE_INVALID:
    case CKR_SESSION_CLOSED:
      return {make_error_code(HardwareErrc::no_card), std::move(detail)};
    case CKR_PIN_LOCKED:
      return {make_error_code(HardwareErrc::card_locked), std::move(detail)};
    case CKR_USER_NOT_LOGGED_IN:
      return {make_error_code(HardwareErrc::pin_required), std::move(detail)};
    default:
      return {make_error_code(HardwareErrc::device_failure), std::move(detail)};
  }
}

Error wrong_pin_error(ck_flags_t token_flags) {
  if (token_flags & CKF_USER_PIN_LOCKED)
    return {make_error_code(HardwareErrc::card_locked), "密码错误次数已满 / no tries left"};
  if (token_flags & CKF_USER_PIN_FINAL_TRY)
    return {make_error_code(HardwareErrc::wrong_pin), "还可尝试 1 次 / 1 try left"};
  if (token_flags & CKF_USER_PIN_COUNT_LOW)
    return {make_error_code(HardwareErrc::wrong_pin), "剩余次数不多 / few tries left"};
  return {make_error_code(HardwareErrc::wrong_pin), {}};
}

Result<std::shared_ptr<Module>> Module::load(const std::filesystem::path& path) {
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    return fail(HardwareErrc::device_failure, "无法加载 PKCS#11 模块 / cannot load the PKCS#11 module " +
                                                  path.string() + ": " + (why ? why : "dlopen"));
  }
  auto get_function_list = reinterpret_cast<CK_C_GetFunctionList>(dlsym(library, "C_GetFunctionList"));
  ck_function_list* api = nullptr;
  if (get_function_list == nullptr || get_function_list(&api) != CKR_OK || api == nullptr) {
    dlclose(library);
    return fail(HardwareErrc::device_failure,
                path.string() + ": 不是 PKCS#11 模块 / not a PKCS#11 module (no C_GetFunctionList)");
  }
  ck_c_initialize_args args{};
  args.flags = CKF_OS_LOCKING_OK;
  if (const ck_rv_t rv = api->C_Initialize(&args); rv != CKR_OK) {
    dlclose(library);
    return forward(rv_error(rv, "C_Initialize"));
  }
  return std::shared_ptr<Module>(new Module(library, api));
}

Module::~Module() {
  api_->C_Finalize(nullptr);
  dlclose(library_);
}

Result<std::vector<ck_slot_id_t>> Module::slots_with_token() const {
  unsigned long count = 0;
  if (const ck_rv_t rv = api_->C_GetSlotList(1 /* token present */, nullptr, &count); rv != CKR_OK)
    return forward(rv_error(rv, "C_GetSlotList"));
  std::vector<ck_slot_id_t> slots(count);
  if (const ck_rv_t rv = api_->C_GetSlotList(1 /* token present */, slots.data(), &count); rv != CKR_OK)
    return forward(rv_error(rv, "C_GetSlotList"));
  slots.resize(count);
  return slots;
}

Result<ck_token_info> Module::token_info(ck_slot_id_t slot) const {
  ck_token_info info{};
  if (const ck_rv_t rv = api_->C_GetTokenInfo(slot, &info); rv != CKR_OK)
    return forward(rv_error(rv, "C_GetTokenInfo"));
  return info;
}

Result<std::optional<ck_slot_id_t>> Module::find_token(std::string_view label) const {
  HALLVOTE_TRY(slots, slots_with_token());
  for (const auto slot : *slots) {
    auto info = token_info(slot);
    if (!info) continue;  // removed between the two calls
    if (token_label(*info) == label) return slot;
  }
  return std::nullopt;
}

std::string token_label(const ck_token_info& info) {
  std::string label(reinterpret_cast<const char*>(info.label), sizeof info.label);
  const auto end = label.find_last_not_of(' ');
  label.erase(end == std::string::npos ? 0 : end + 1);
  return label;
}

Result<std::array<unsigned char, 32>> padded_label(std::string_view label) {
  std::array<unsigned char, 32> out;
  if (label.size() > out.size()) {
    return fail(std::errc::invalid_argument,
                "令牌标签超过32字节 / a token label holds at most 32 bytes: " + std::string(label));
  }
  out.fill(' ');
  std::copy(label.begin(), label.end(), out.begin());
  return out;
}

Result<crypto::VerifyKey> parse_ec_point(crypto::ByteView der) {
  if (der.size() != 34 || der[0] != 0x04 || der[1] != 0x20) {
    return fail(HardwareErrc::device_failure,
                "CKA_EC_POINT: 不是32字节的 DER OCTET STRING / not a DER OCTET STRING of 32 bytes");
  }
  std::array<std::uint8_t, 32> key;
  std::copy(der.begin() + 2, der.end(), key.begin());
  return crypto::VerifyKey(key);
}

crypto::Bytes ed25519_params() {
  // PrintableString (0x13), 12 bytes, "edwards25519".
  return {0x13, 0x0c, 'e', 'd', 'w', 'a', 'r', 'd', 's', '2', '5', '5', '1', '9'};
}

Result<Session> Session::open(std::shared_ptr<Module> module, ck_slot_id_t slot, bool read_write) {
  ck_session_handle_t handle = CK_INVALID_HANDLE;
  const ck_flags_t flags = CKF_SERIAL_SESSION | (read_write ? CKF_RW_SESSION : 0);
  if (const ck_rv_t rv = module->api().C_OpenSession(slot, flags, nullptr, nullptr, &handle); rv != CKR_OK)
    return forward(rv_error(rv, "C_OpenSession"));
  return Session(std::move(module), slot, handle);
}

Session::Session(Session&& other) noexcept
    : module_(std::move(other.module_)), slot_(other.slot_), handle_(other.handle_) {
  other.handle_ = CK_INVALID_HANDLE;
}

Session& Session::operator=(Session&& other) noexcept {
  if (this != &other) {
    if (handle_ != CK_INVALID_HANDLE) module_->api().C_CloseSession(handle_);
    module_ = std::move(other.module_);
    slot_ = other.slot_;
    handle_ = other.handle_;
    other.handle_ = CK_INVALID_HANDLE;
  }
  return *this;
}

Session::~Session() {
  if (handle_ != CK_INVALID_HANDLE) module_->api().C_CloseSession(handle_);
}

ck_rv_t Session::login(ck_user_type_t user, std::string_view pin) const {
  crypto::Bytes buffer(pin.begin(), pin.end());
  const ck_rv_t rv = api().C_Login(handle_, user, buffer.data(), buffer.size());
  crypto::secure_wipe(buffer);
  return rv;
}

Result<std::vector<ck_object_handle_t>> Session::find(std::vector<ck_attribute> attributes) const {
  if (const ck_rv_t rv = api().C_FindObjectsInit(handle_, attributes.data(), attributes.size()); rv != CKR_OK)
    return forward(rv_error(rv, "C_FindObjectsInit"));
  std::vector<ck_object_handle_t> found(16);
  unsigned long count = 0;
  const ck_rv_t rv = api().C_FindObjects(handle_, found.data(), found.size(), &count);
  api().C_FindObjectsFinal(handle_);
  if (rv != CKR_OK) return forward(rv_error(rv, "C_FindObjects"));
  found.resize(count);
  return found;
}

Result<crypto::Bytes> Session::attribute(ck_object_handle_t object, ck_attribute_type_t type) const {
  ck_attribute query{type, nullptr, 0};
  if (const ck_rv_t rv = api().C_GetAttributeValue(handle_, object, &query, 1); rv != CKR_OK)
    return forward(rv_error(rv, "C_GetAttributeValue"));
  crypto::Bytes value(query.value_len);
  query.value = value.data();
  if (const ck_rv_t rv = api().C_GetAttributeValue(handle_, object, &query, 1); rv != CKR_OK)
    return forward(rv_error(rv, "C_GetAttributeValue"));
  value.resize(query.value_len);
  return value;
}

Result<ck_object_handle_t> Session::ed25519_key(ck_object_class_t object_class) const {
  ck_key_type_t key_type = CKK_EC_EDWARDS;
  HALLVOTE_TRY(keys, find({attr(CKA_CLASS, object_class), attr(CKA_KEY_TYPE, key_type)}));
  const char* what = object_class == CKO_PRIVATE_KEY ? "私钥 / private key" : "公钥 / public key";
  if (keys->empty())
    return fail(HardwareErrc::device_failure, std::string("卡内没有 Ed25519 ") + what + " / no Ed25519 key");
  if (keys->size() > 1) {
    return fail(HardwareErrc::device_failure,
                std::string("卡内有多个 Ed25519 ") + what + " / more than one Ed25519 key on the card");
  }
  return keys->front();
}

Result<crypto::Signature> Session::sign_eddsa(ck_object_handle_t key, crypto::ByteView message) const {
  ck_mechanism mechanism{CKM_EDDSA, nullptr, 0};
  if (const ck_rv_t rv = api().C_SignInit(handle_, &mechanism, key); rv != CKR_OK)
    return forward(rv_error(rv, "C_SignInit"));
  crypto::Signature signature{};
  unsigned long length = signature.size();
  // C_Sign takes a non-const pointer but only reads the data.
  crypto::Bytes data(message.begin(), message.end());
  if (const ck_rv_t rv = api().C_Sign(handle_, data.data(), data.size(), signature.data(), &length);
      rv != CKR_OK)
    return forward(rv_error(rv, "C_Sign"));
  if (length != signature.size()) {
    return fail(HardwareErrc::device_failure, "C_Sign: 签名长度 " + std::to_string(length) +
                                                  " 字节 / signature of " + std::to_string(length) +
                                                  " bytes, expected 64");
  }
  return signature;
}

}  // namespace hallvote::hardware::pkcs11
