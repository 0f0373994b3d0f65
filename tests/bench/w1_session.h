// The benchmarks' session: `deputies` deputies in office, a key committee of `officials` presidium members with
// quorum `quorum`, and one vote "W1" (10 projects, choose at most 3), written as the session files staff would
// write (so the server logs them and an auditor re-reads them like any other session).
#pragma once

#include <string>
#include <vector>

#include "hallvote/cards/card_list.h"
#include "hallvote/crypto/random.h"
#include "hallvote/crypto/signature.h"
#include "hallvote/protocol/session_record.h"

namespace hallvote::bench {

inline protocol::SessionRecord w1_session_record(std::size_t deputies, std::size_t officials,
                                                 std::uint32_t quorum, std::vector<crypto::SigningKey>& cards,
                                                 std::vector<crypto::SigningKey>& official_keys,
                                                 crypto::RandomSource& random) {
  std::string roster = "代表编号,姓名,代表团,座位号,公钥,是否在任\n";
  std::vector<session::Deputy> listed;
  cards::CardList card_list;
  for (std::size_t i = 0; i < deputies; ++i) {
    cards.push_back(crypto::SigningKey::generate(random));
    std::string id = std::to_string(i + 1);
    id = "D" + std::string(id.size() < 4 ? 4 - id.size() : 0, '0') + id;
    listed.push_back({id, "代表" + std::to_string(i + 1), "", "", "", true});
    card_list.cards.emplace(id, cards.back().verify_key());
    roster += id + ",代表" + std::to_string(i + 1) + ",第一代表团," + std::to_string(i + 1) + "号," +
              cards.back().verify_key().hex() + ",是\n";
  }
  std::string toml =
      "format_version = 1\n\n[session]\nid = \"load-1\"\nbody = \"负载测试县第一届人民代表大会第一次会议\"\n"
      "level = \"county\"\ndate = 2027-01-08\nhall = \"会场\"\n\n[roster]\ncsv = \"roster.csv\"\n\n"
      "[key_committee]\nquorum = " +
      std::to_string(quorum) + "\n";
  for (std::size_t m = 0; m < officials; ++m) {
    official_keys.push_back(crypto::SigningKey::generate(random));
    toml += "\n[[key_committee.members]]\nid = \"P0" + std::to_string(m + 1) + "\"\nname = \"主席团成员" +
            std::to_string(m + 1) + "\"\nrole = \"presidium_member\"\npublic_key = \"" +
            official_keys.back().verify_key().hex() + "\"\n";
  }
  std::string items;
  for (int p = 0; p < 10; ++p) {
    const std::string id = "X" + std::to_string(p);
    toml += "\n[[projects.items]]\nid = \"" + id + "\"\ntitle = \"项目" + std::to_string(p + 1) +
            "\"\ncategory = \"教育\"\nbudget_wan = 100\nlead_department = \"教育局\"\nsummary = \"\"\n";
    items += (p == 0 ? "\"" : ", \"") + id + "\"";
  }
  toml += "\n[[votes]]\nid = \"W1\"\ntitle = \"民生实事项目票决（10选3）\"\nkind = \"choose\"\nitems = [" +
          items + "]\nplaces = 3\n";
  protocol::SessionRecord record;
  record.files.session_file = "load.toml";
  record.files.contents = {{"load.toml", toml}, {"roster.csv", roster}};
  card_list.roster_hash = cards::roster_hash(listed);
  cards::sign(card_list, crypto::SigningKey::generate(random));  // the issuing office's
  record.card_list = card_list.to_json();
  return record;
}

}  // namespace hallvote::bench
