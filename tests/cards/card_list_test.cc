// The issuer-signed card list (docs/cards.md §4): digest, signature, roster, issuer, demo lists.
#include "hallvote/cards/card_list.h"

#include <gtest/gtest.h>

#include "hallvote/cards/errors.h"
#include "hallvote/crypto/random.h"
#include "hallvote/session/loader.h"

namespace hallvote::cards {
namespace {

class CardListTest : public ::testing::Test {
 protected:
  CardListTest() {
    roster =
        session::load_session(std::string(HALLVOTE_SOURCE_DIR) + "/examples/sessions/jianchi-township.toml")
            .value()
            .roster;
    list.roster_hash = roster_hash(roster);
    for (const auto& deputy : roster)
      list.cards.emplace(deputy.id, crypto::SigningKey::generate(random).verify_key());
    sign(list, issuer);
  }
  Result<CardList> accept_json(const nlohmann::json& json) const {
    return accept(json, roster, {issuer.verify_key()});
  }

  crypto::DeterministicRandom random{5};
  crypto::SigningKey issuer = crypto::SigningKey::generate(random);
  std::vector<session::Deputy> roster;
  CardList list;
};

TEST_F(CardListTest, ASignedListForTheRosterIsAccepted) {
  auto accepted = accept_json(list.to_json());
  ASSERT_TRUE(accepted) << accepted.error().message();
  EXPECT_EQ(accepted->cards.size(), roster.size());
  EXPECT_EQ(accepted->to_json(), list.to_json());
  EXPECT_FALSE(accepted->demo);
}

TEST_F(CardListTest, AListChangedAfterSigningIsRefused) {
  auto changed_key = list.to_json();
  changed_key["cards"][roster.front().id] = crypto::SigningKey::generate(random).verify_key().hex();
  auto removed = list.to_json();
  removed["cards"].erase(roster.back().id);
  auto demo = list.to_json();
  demo["demo"] = true;
  auto other_roster = list.to_json();
  other_roster["roster_hash"] = crypto::to_hex(crypto::sha256(crypto::as_bytes(std::string_view("x"))));
  for (const auto& json : {changed_key, removed, demo, other_roster}) {
    auto refused = accept(json, roster, {issuer.verify_key(), true});
    ASSERT_FALSE(refused) << json.dump();
    EXPECT_EQ(refused.error().code, CardsErrc::bad_signature) << refused.error().message();
  }
}

TEST_F(CardListTest, AListSignedByAnotherKeyIsRefused) {
  CardList forged = list;
  sign(forged, crypto::SigningKey::generate(random));
  auto refused = accept_json(forged.to_json());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, CardsErrc::wrong_issuer);
  EXPECT_NE(refused.error().detail.find(forged.issuer.hex()), std::string::npos);
  EXPECT_TRUE(accept(forged.to_json(), roster, {}));  // no expected issuer: only the signature is checked
}

TEST_F(CardListTest, AListForAnotherRosterIsRefused) {
  auto renamed = roster;
  renamed.front().name += "甲";
  auto refused = accept(list.to_json(), renamed, {issuer.verify_key()});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, CardsErrc::wrong_roster);

  CardList short_list = list;  // signed over its own roster hash, but missing a deputy
  short_list.cards.erase(roster.back().id);
  sign(short_list, issuer);
  auto missing = accept_json(short_list.to_json());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, CardsErrc::wrong_roster);
  EXPECT_NE(missing.error().detail.find(roster.back().id), std::string::npos);

  CardList extra = list;
  extra.cards.emplace("D9999", crypto::SigningKey::generate(random).verify_key());
  sign(extra, issuer);
  auto stranger = accept_json(extra.to_json());
  ASSERT_FALSE(stranger);
  EXPECT_EQ(stranger.error().code, CardsErrc::wrong_roster);
}

TEST_F(CardListTest, TheRosterHashIgnoresOrderSeatsAndDelegations) {
  auto shuffled = roster;
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.front().seat = "99排";
  shuffled.front().delegation = "另一代表团";
  EXPECT_EQ(roster_hash(shuffled), roster_hash(roster));
}

TEST_F(CardListTest, DemoListsAreMarkedAndRefusedWhereARealOneIsRequired) {
  const auto demo = simulated_card_list(roster, "seed");
  EXPECT_TRUE(demo.demo);
  EXPECT_TRUE(demo.verify_signature());
  EXPECT_EQ(simulated_card_list(roster, "seed").issuer, demo.issuer);  // derived from the seed
  EXPECT_NE(simulated_card_list(roster, "other").issuer, demo.issuer);
  auto refused = accept(demo.to_json(), roster, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, CardsErrc::demo_list);
  EXPECT_TRUE(accept(demo.to_json(), roster, {std::nullopt, true}));
}

TEST_F(CardListTest, MalformedListsNameTheField) {
  const auto good = list.to_json();
  auto unknown = good;
  unknown["extra"] = 1;
  auto no_format = good;
  no_format.erase("format");
  auto upper = good;
  std::string issuer_hex = good["issuer"];
  for (auto& c : issuer_hex) c = static_cast<char>(std::toupper(c));
  upper["issuer"] = issuer_hex;
  auto bad_key = good;
  bad_key["cards"][roster.front().id] = "00";
  auto demo_text = good;
  demo_text["demo"] = "false";
  auto empty = good;
  empty["cards"] = nlohmann::json::object();
  const nlohmann::json bare_map = good["cards"];  // the old {id: key} file
  for (const auto& json : {unknown, no_format, upper, bad_key, demo_text, empty, bare_map, nlohmann::json()}) {
    auto refused = CardList::from_json(json);
    ASSERT_FALSE(refused) << json.dump();
    EXPECT_EQ(refused.error().code, CardsErrc::malformed);
  }
  EXPECT_NE(CardList::from_json(bad_key).error().detail.find(roster.front().id), std::string::npos);
}

// A known answer for independent implementations (docs/cards.md §4.2): one card, fixed keys.
TEST(CardListDigest, IsTheDocumentedHashInput) {
  CardList list;
  list.roster_hash.fill(0x11);
  list.cards.emplace("D1", crypto::VerifyKey(std::array<std::uint8_t, 32>{}));
  const auto expected = crypto::HashInput("card-list")
                            .add("hallvote-card-list/1")
                            .add(list.roster_hash)
                            .add_u64(0)
                            .add_u64(1)
                            .add("D1")
                            .add(std::array<std::uint8_t, 32>{})
                            .sha256();
  EXPECT_EQ(list.digest(), expected);
}

}  // namespace
}  // namespace hallvote::cards
