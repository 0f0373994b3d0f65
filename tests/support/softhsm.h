// SoftHSM2 tokens for tests: a temporary token folder with its own SOFTHSM2_CONF, the module loaded from it,
// and deputy cards issued on it with hallvote::cards::issue_card (the key pair generated on the token).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "hallvote/cards/issue.h"
#include "hallvote/hardware/pkcs11.h"

namespace hallvote::testing {

inline constexpr const char* kSoftHsmModule = "/usr/lib/softhsm/libsofthsm2.so";
inline constexpr const char* kTestSoPin = "12345678";

class SoftHsm {
 public:
  // A fresh token folder under the temporary directory; SOFTHSM2_CONF points at it (the process's environment:
  // one SoftHsm at a time).
  SoftHsm() {
    std::random_device random;
    dir_ = std::filesystem::temp_directory_path() / ("hallvote-softhsm-" + std::to_string(random()));
    std::filesystem::create_directories(dir_ / "tokens");
    std::ofstream(dir_ / "softhsm2.conf") << "directories.tokendir = " << (dir_ / "tokens").string() << "\n"
                                          << "objectstore.backend = file\nlog.level = ERROR\n";
    setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
    load();
  }
  ~SoftHsm() {
    module_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  SoftHsm(const SoftHsm&) = delete;
  SoftHsm& operator=(const SoftHsm&) = delete;

  // (Re)loads the module: SoftHSM2 reads its token folder at C_Initialize.
  void load() {
    module_.reset();
    auto loaded = hardware::pkcs11::Module::load(kSoftHsmModule);
    ASSERT_TRUE(loaded) << loaded.error().message();
    module_ = *loaded;
  }
  [[nodiscard]] const std::shared_ptr<hardware::pkcs11::Module>& module() const { return module_; }
  [[nodiscard]] const std::filesystem::path& token_dir() const { return dir_; }

  // Issues a card on the blank token: its public key.
  crypto::VerifyKey issue(const std::string& deputy_id, const std::string& pin) {
    auto slot = cards::blank_token_slot(*module_);
    EXPECT_TRUE(slot) << slot.error().message();
    if (!slot) return crypto::VerifyKey({});
    auto issued = cards::issue_card(module_, *slot, {deputy_id, kTestSoPin, pin});
    EXPECT_TRUE(issued) << issued.error().message();
    if (!issued) return crypto::VerifyKey({});
    return issued->credential;
  }

 private:
  std::filesystem::path dir_;
  std::shared_ptr<hardware::pkcs11::Module> module_;
};

}  // namespace hallvote::testing
