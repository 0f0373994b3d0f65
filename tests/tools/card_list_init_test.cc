// hallvote-cards and hallvote-server init end to end (docs/cards.md §4–5): the office makes its issuer key,
// issues cards on SoftHSM2 tokens, signs the card list; init takes only a list the office signed for the
// session's roster, and refuses one changed after signing, signed by another key, naming another roster, a real
// list without the office's key, a demo list where the office's key is given, and the old bare key map.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.h"

namespace hallvote::tools_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class CardListInit : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hallvote-cards-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "tokens");
    std::ofstream(dir_ / "softhsm2.conf") << "directories.tokendir = " << (dir_ / "tokens").string()
                                          << "\nobjectstore.backend = file\nlog.level = ERROR\n";
    ::setenv("SOFTHSM2_CONF", (dir_ / "softhsm2.conf").c_str(), 1);
    ::setenv("HALLVOTE_PASSPHRASE", "cards-test-passphrase", 1);
    ::setenv("HALLVOTE_ISSUER_PASSPHRASE", "issuer-test-passphrase", 1);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  Finished tool(const char* program, std::vector<std::string> args) {
    args.insert(args.begin(), program);
    return run(args, dir_ / ("step-" + std::to_string(++steps_) + ".log"));
  }
  Finished cards(std::vector<std::string> args) { return tool(HALLVOTE_CARDS_BIN, std::move(args)); }
  Finished init(const std::string& session, const std::string& list, const std::string& issuer) {
    std::vector<std::string> args{"init",    "--dir", path("hall"),          "--session", session,
                                  "--cards", list,    "--insecure-fast-kdf", "--force"};
    if (!issuer.empty()) args.insert(args.end(), {"--card-issuer", issuer});
    return tool(HALLVOTE_SERVER_BIN, args);
  }
  // keygen, returning the public key (the last line of its output).
  std::string keygen(const std::string& name) {
    const auto done = cards({"keygen", "--out", path(name), "--insecure-fast-kdf"});
    EXPECT_EQ(done.exit_code, 0) << done.output;
    auto text = done.output;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text.substr(text.find_last_of('\n') + 1);
  }
  json read(const std::string& name) const {
    std::ifstream in(path(name));
    return json::parse(in);
  }
  void write(const std::string& name, const json& value) const { std::ofstream(path(name)) << value.dump(2); }

  fs::path dir_;
  int steps_ = 0;
};

const std::string kSession = std::string(HALLVOTE_TOOLS_DATA) + "/tools-hall.toml";
const std::string kOtherSession = std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/jianchi-township.toml";

TEST_F(CardListInit, InitTakesOnlyTheListTheOfficeSignedForTheRoster) {
  const std::string issuer = keygen("issuer.key");
  ASSERT_EQ(issuer.size(), 64u) << issuer;
  // Every deputy of the roster gets a SoftHSM2 token with its key made on it.
  std::ifstream roster(std::string(HALLVOTE_TOOLS_DATA) + "/tools-hall-roster.csv");
  std::string line;
  std::getline(roster, line);  // header
  int issued = 0;
  while (std::getline(roster, line)) {
    const std::string id = line.substr(0, line.find(','));
    const auto done = cards({"issue", "--module", "/usr/lib/softhsm/libsofthsm2.so", "--deputy", id, "--so-pin",
                             "12345678", "--pin", "135790", "--issued", path("issued.json")});
    ASSERT_EQ(done.exit_code, 0) << done.output;
    ++issued;
  }
  EXPECT_EQ(read("issued.json").size(), static_cast<std::size_t>(issued));
  const auto listed = cards({"list", "--session", kSession, "--issued", path("issued.json"), "--issuer-key",
                             path("issuer.key"), "--out", path("cards.json")});
  ASSERT_EQ(listed.exit_code, 0) << listed.output;
  const auto verified =
      cards({"verify", "--cards", path("cards.json"), "--session", kSession, "--issuer", issuer});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;

  const auto accepted = init(kSession, path("cards.json"), issuer);
  ASSERT_EQ(accepted.exit_code, 0) << accepted.output;
  EXPECT_NE(accepted.output.find("card issuer: " + issuer), std::string::npos) << accepted.output;
  EXPECT_EQ(read("hall/hall.json")["cards"], read("cards.json"));

  // Changed after signing: one card key replaced.
  json changed = read("cards.json");
  auto& first = changed["cards"].begin().value();
  first = std::string(first.get<std::string>())
              .replace(0, 2, first.get<std::string>().substr(0, 2) == "00" ? "11" : "00");
  write("changed.json", changed);
  auto refused = init(kSession, path("changed.json"), issuer);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("changed after signing"), std::string::npos) << refused.output;
  refused = cards({"verify", "--cards", path("changed.json"), "--session", kSession, "--issuer", issuer});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("签名无效"), std::string::npos) << refused.output;

  // Signed by another key.
  keygen("other.key");
  ASSERT_EQ(cards({"list", "--session", kSession, "--issued", path("issued.json"), "--issuer-key",
                   path("other.key"), "--out", path("forged.json")})
                .exit_code,
            0);
  refused = init(kSession, path("forged.json"), issuer);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("signed by another key"), std::string::npos) << refused.output;

  // Another roster.
  refused = init(kOtherSession, path("cards.json"), issuer);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("names another roster"), std::string::npos) << refused.output;

  // A real list needs the office's key; a demo list is refused where the office's key is given.
  refused = init(kSession, path("cards.json"), "");
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("--card-issuer"), std::string::npos) << refused.output;
  ASSERT_EQ(
      tool(HALLVOTE_SERVER_BIN, {"cards", "--session", kSession, "--seed", "s", "--out", path("demo.json")})
          .exit_code,
      0);
  refused = init(kSession, path("demo.json"), issuer);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("simulated cards"), std::string::npos) << refused.output;
  const auto demo = init(kSession, path("demo.json"), "");
  EXPECT_EQ(demo.exit_code, 0) << demo.output;
  EXPECT_NE(demo.output.find("模拟代表证"), std::string::npos) << demo.output;

  // The old bare {id: key} map.
  write("bare.json", read("cards.json")["cards"]);
  refused = init(kSession, path("bare.json"), issuer);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.output.find("hallvote-card-list/1"), std::string::npos) << refused.output;
}

TEST_F(CardListInit, IssuingRefusesWithoutABlankTokenOrWithABadPin) {
  auto refused = cards({"issue", "--module", "/usr/lib/softhsm/libsofthsm2.so", "--deputy", "TT0001",
                        "--so-pin", "12345678", "--pin", "12345", "--issued", path("issued.json")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("6位数字"), std::string::npos) << refused.output;
  refused = cards({"issue", "--module", path("missing.so"), "--deputy", "TT0001", "--so-pin", "12345678",
                   "--pin", "135790", "--issued", path("issued.json")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.output.find("PKCS#11"), std::string::npos) << refused.output;
  EXPECT_FALSE(fs::exists(path("issued.json")));
}

}  // namespace
}  // namespace hallvote::tools_test
