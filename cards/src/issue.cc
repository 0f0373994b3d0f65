#include "hallvote/cards/issue.h"

#include <algorithm>

#include "hallvote/cards/errors.h"
#include "hallvote/crypto/hash.h"

namespace hallvote::cards {

namespace p11 = hardware::pkcs11;

namespace {

bool is_six_digits(std::string_view pin) {
  return pin.size() == 6 && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

tl::unexpected<Error> step_failed(std::string_view step, const Error& error) {
  return fail(CardsErrc::issuing, std::string(step) + ": " + error.message());
}

tl::unexpected<Error> step_failed(std::string_view step, ck_rv_t rv, std::string_view call) {
  return step_failed(step, p11::rv_error(rv, call));
}

// A PIN as the non-const buffer C_InitToken/C_InitPIN take, wiped when it goes.
class PinBuffer {
 public:
  explicit PinBuffer(std::string_view pin) : bytes_(pin.begin(), pin.end()) {}
  ~PinBuffer() { crypto::secure_wipe(bytes_); }
  PinBuffer(const PinBuffer&) = delete;
  PinBuffer& operator=(const PinBuffer&) = delete;
  unsigned char* data() { return bytes_.data(); }
  unsigned long size() const { return bytes_.size(); }

 private:
  crypto::Bytes bytes_;
};

Status check_attribute_true(const p11::Session& session, ck_object_handle_t key, ck_attribute_type_t type,
                            bool expected, const char* name) {
  auto value = session.attribute(key, type);
  if (!value) return step_failed(std::string("读取 / reading ") + name, value.error());
  if (value->size() != 1 || (value->front() != 0) != expected) {
    return fail(CardsErrc::issuing, std::string("私钥属性 ") + name + " 不符合要求 / private key " + name +
                                        " is " + (expected ? "false" : "true"));
  }
  return {};
}

}  // namespace

Result<ck_slot_id_t> blank_token_slot(const p11::Module& module) {
  auto slots = module.slots_with_token();
  if (!slots) return step_failed("C_GetSlotList", slots.error());
  std::vector<ck_slot_id_t> blank;
  for (const auto slot : *slots) {
    auto info = module.token_info(slot);
    if (info && !(info->flags & CKF_TOKEN_INITIALIZED)) blank.push_back(slot);
  }
  if (blank.size() != 1) {
    return fail(CardsErrc::issuing, "应恰有一张空白卡，实有 " + std::to_string(blank.size()) +
                                        " 张（请用 --slot 指定）/ expected exactly one blank token, found " +
                                        std::to_string(blank.size()) + " (name one with --slot)");
  }
  return blank.front();
}

Result<IssuedCard> issue_card(const std::shared_ptr<p11::Module>& module, ck_slot_id_t slot,
                              const IssueRequest& request) {
  if (request.deputy_id.empty() || request.deputy_id.size() > 32) {
    return fail(std::errc::invalid_argument,
                "代表编号应为1至32字节 / the deputy id must be 1 to 32 bytes: " + request.deputy_id);
  }
  if (!is_six_digits(request.user_pin))
    return fail(std::errc::invalid_argument, "代表证密码应为6位数字 / the card PIN must be 6 digits");
  if (request.so_pin.empty())
    return fail(std::errc::invalid_argument, "缺少安全管理员密码 / the SO PIN is empty");
  HALLVOTE_TRY(label, p11::padded_label(request.deputy_id));

  const auto& api = module->api();
  {
    PinBuffer so_pin(request.so_pin);
    if (const ck_rv_t rv = api.C_InitToken(slot, so_pin.data(), so_pin.size(), label->data()); rv != CKR_OK)
      return step_failed("初始化令牌 / initialising the token", rv, "C_InitToken");
  }
  auto found = module->find_token(request.deputy_id);
  if (!found || !*found) {
    return fail(CardsErrc::issuing,
                "初始化后找不到令牌 / the token is gone after C_InitToken: " + request.deputy_id);
  }
  IssuedCard issued{**found, crypto::VerifyKey({})};

  auto session = p11::Session::open(module, issued.slot, true);
  if (!session) return step_failed("打开会话 / opening a session", session.error());
  if (const ck_rv_t rv = session->login(CKU_SO, request.so_pin); rv != CKR_OK)
    return step_failed("安全管理员登录 / SO login", rv, "C_Login");
  {
    PinBuffer user_pin(request.user_pin);
    const ck_rv_t rv = api.C_InitPIN(session->handle(), user_pin.data(), user_pin.size());
    if (rv != CKR_OK) return step_failed("设置代表证密码 / setting the PIN", rv, "C_InitPIN");
  }
  api.C_Logout(session->handle());
  if (const ck_rv_t rv = session->login(CKU_USER, request.user_pin); rv != CKR_OK)
    return step_failed("代表登录 / user login", rv, "C_Login");

  auto params = p11::ed25519_params();
  unsigned char yes = 1;
  unsigned char no = 0;
  unsigned char id = 1;
  std::string label_text = request.deputy_id;  // templates take non-const pointers
  std::vector<ck_attribute> public_template = {p11::attr(CKA_TOKEN, yes),
                                               p11::attr(CKA_VERIFY, yes),
                                               p11::attr(CKA_ID, id),
                                               {CKA_EC_PARAMS, params.data(), params.size()},
                                               {CKA_LABEL, label_text.data(), label_text.size()}};
  std::vector<ck_attribute> private_template = {p11::attr(CKA_TOKEN, yes),
                                                p11::attr(CKA_PRIVATE, yes),
                                                p11::attr(CKA_SENSITIVE, yes),
                                                p11::attr(CKA_SIGN, yes),
                                                p11::attr(CKA_EXTRACTABLE, no),
                                                p11::attr(CKA_ID, id),
                                                {CKA_LABEL, label_text.data(), label_text.size()}};
  ck_mechanism mechanism{CKM_EC_EDWARDS_KEY_PAIR_GEN, nullptr, 0};
  ck_object_handle_t public_key = CK_INVALID_HANDLE;
  ck_object_handle_t private_key = CK_INVALID_HANDLE;
  if (const ck_rv_t rv =
          api.C_GenerateKeyPair(session->handle(), &mechanism, public_template.data(), public_template.size(),
                                private_template.data(), private_template.size(), &public_key, &private_key);
      rv != CKR_OK)
    return step_failed("在卡内生成密钥 / generating the key on the token", rv, "C_GenerateKeyPair");

  auto point = session->attribute(public_key, CKA_EC_POINT);
  if (!point) return step_failed("读取公钥 / reading the public key", point.error());
  auto credential = p11::parse_ec_point(*point);
  if (!credential) return step_failed("读取公钥 / reading the public key", credential.error());
  issued.credential = *credential;
  for (auto [type, expected, name] :
       {std::tuple{CKA_SENSITIVE, true, "CKA_SENSITIVE"}, std::tuple{CKA_EXTRACTABLE, false, "CKA_EXTRACTABLE"},
        std::tuple{CKA_ALWAYS_SENSITIVE, true, "CKA_ALWAYS_SENSITIVE"},
        std::tuple{CKA_NEVER_EXTRACTABLE, true, "CKA_NEVER_EXTRACTABLE"}}) {
    if (auto ok = check_attribute_true(*session, private_key, type, expected, name); !ok)
      return forward(ok.error());
  }
  const auto test = crypto::HashInput("card-issue-check").add(request.deputy_id).sha256();
  auto signature = session->sign_eddsa(private_key, test);
  if (!signature) return step_failed("试签名 / test signature", signature.error());
  if (!issued.credential.verify(test, *signature)) {
    return fail(CardsErrc::issuing,
                "卡内试签名验证失败 / the token's test signature does not verify (not pure "
                "Ed25519?)");
  }
  api.C_Logout(session->handle());
  return issued;
}

}  // namespace hallvote::cards
