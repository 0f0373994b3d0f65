// Checks that span records: ids and keys unique, references resolved, limits possible. Empty ids and keys were
// already reported where they were read and are skipped here.
#include <map>
#include <set>

#include "draft.h"

namespace hallvote::session::detail {
namespace {

void add(Diagnostics& diagnostics, SessionErrc code, const Where& where, std::string_view key, std::string zh,
         std::string en) {
  diagnostics.push_back({code, where.file, where.line, where.field(key), std::move(zh), std::move(en)});
}

// Reports the second and later occurrences of each value; `value_of(i)` gives record i's value.
template <class ValueOf>
void check_unique(std::size_t count, const std::vector<Where>& where, std::string_view key,
                  std::string_view what_zh, std::string_view what_en, SessionErrc code, ValueOf value_of,
                  Diagnostics& diagnostics, std::map<std::string, Where>& first_seen) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& value = value_of(i);
    if (value.empty()) continue;
    const auto [it, inserted] = first_seen.emplace(value, where[i]);
    if (!inserted) {
      const std::string at = it->second.file + ":" + std::to_string(it->second.line);
      add(diagnostics, code, where[i], key, std::string(what_zh) + "“" + value + "”与 " + at + " 重复",
          std::string(what_en) + " '" + value + "' already used at " + at);
    }
  }
}

void check_vote(const SessionDefinition& def, const VoteDefinition& vote, const Where& where,
                Diagnostics& diagnostics) {
  if (vote.items.empty()) {
    add(diagnostics, SessionErrc::empty_list, where, "items", "表决事项不能为空",
        "a vote needs at least one item");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < vote.items.size(); ++i) {
    const std::string& item = vote.items[i];
    const std::string key = "items[" + std::to_string(i + 1) + "]";
    if (item.empty()) continue;
    if (!seen.insert(item).second) {
      add(diagnostics, SessionErrc::duplicate_id, where, key, "事项“" + item + "”重复列出",
          "item '" + item + "' listed twice");
    }
    const bool is_project = def.find_project(item) != nullptr;
    const bool is_motion = def.find_motion(item) != nullptr;
    if (vote.kind == VoteKind::per_item ? !(is_project || is_motion) : !is_project) {
      add(diagnostics, SessionErrc::unknown_reference, where, key,
          vote.kind == VoteKind::per_item ? "没有编号为“" + item + "”的项目或议案"
                                          : "没有编号为“" + item + "”的项目",
          vote.kind == VoteKind::per_item ? "no project or motion with id '" + item + "'"
                                          : "no project with id '" + item + "'");
    }
  }
  const auto m = static_cast<std::uint32_t>(vote.items.size());
  if (vote.kind == VoteKind::choose) {
    if (vote.places == 0) {
      add(diagnostics, SessionErrc::invalid_limit, where, "places", "应选数不能为0",
          "places must be at least 1");
    } else if (vote.places > m) {
      add(diagnostics, SessionErrc::invalid_limit, where, "places",
          "应选数 " + std::to_string(vote.places) + " 大于候选项目数 " + std::to_string(m),
          "places N = " + std::to_string(vote.places) + " exceeds the " + std::to_string(m) + " candidates M");
    }
    // 选举法 art. 44 ¶2: a ballot choosing as many as or fewer than the places is valid, so a minimum would
    // refuse valid ballots.
    if (vote.min_selections > 0) {
      add(diagnostics, SessionErrc::invalid_limit, where, "min_selections",
          "不能规定最少选择数：依照选举法第四十四条第二款，所选项目等于或者少于应选数的为有效票",
          "no minimum may be set: by art. 44 para. 2 of the election law a ballot choosing at most the places "
          "is valid");
    }
  }
  if (vote.kind == VoteKind::satisfaction && vote.max_satisfied) {
    if (*vote.max_satisfied == 0 || *vote.max_satisfied > m) {
      add(diagnostics, SessionErrc::invalid_limit, where, "max_satisfied",
          "“满意”上限应在1到项目数 " + std::to_string(m) + " 之间",
          "max_satisfied must be between 1 and the " + std::to_string(m) + " projects");
    }
  }
}

}  // namespace

void cross_check(const Draft& draft, Diagnostics& diagnostics) {
  const SessionDefinition& def = draft.definition;
  std::map<std::string, Where> seen;
  check_unique(
      def.roster.size(), draft.deputies, "id", "代表编号", "deputy id", SessionErrc::duplicate_id,
      [&](std::size_t i) -> const std::string& { return def.roster[i].id; }, diagnostics, seen);
  seen.clear();
  check_unique(
      def.roster.size(), draft.deputies, "credential_key", "代表公钥", "credential key",
      SessionErrc::duplicate_credential_key,
      [&](std::size_t i) -> const std::string& { return def.roster[i].credential_key; }, diagnostics, seen);
  const auto& members = def.key_committee.members;
  seen.clear();
  check_unique(
      members.size(), draft.officials, "id", "成员编号", "member id", SessionErrc::duplicate_id,
      [&](std::size_t i) -> const std::string& { return members[i].id; }, diagnostics, seen);
  seen.clear();
  check_unique(
      members.size(), draft.officials, "public_key", "成员公钥", "member key",
      SessionErrc::duplicate_credential_key,
      [&](std::size_t i) -> const std::string& { return members[i].public_key; }, diagnostics, seen);
  seen.clear();  // projects and motions share one namespace: votes name either
  check_unique(
      def.projects.size(), draft.projects, "id", "项目编号", "project id", SessionErrc::duplicate_id,
      [&](std::size_t i) -> const std::string& { return def.projects[i].id; }, diagnostics, seen);
  check_unique(
      def.motions.size(), draft.motions, "id", "议案编号", "motion id", SessionErrc::duplicate_id,
      [&](std::size_t i) -> const std::string& { return def.motions[i].id; }, diagnostics, seen);
  seen.clear();
  check_unique(
      def.votes.size(), draft.votes, "id", "表决编号", "vote id", SessionErrc::duplicate_id,
      [&](std::size_t i) -> const std::string& { return def.votes[i].id; }, diagnostics, seen);

  for (std::size_t i = 0; i < members.size(); ++i) {
    if (!members[i].deputy_id.empty() && def.find_deputy(members[i].deputy_id) == nullptr) {
      add(diagnostics, SessionErrc::unknown_reference, draft.officials[i], "deputy_id",
          "代表名册中没有“" + members[i].deputy_id + "”",
          "no deputy '" + members[i].deputy_id + "' on the roster");
    }
  }
  if (def.roster.empty()) {
    diagnostics.push_back(
        {SessionErrc::empty_list, draft.session_file, 0, "roster", "代表名册为空", "the roster is empty"});
  } else if (def.deputies_in_office() == 0) {
    diagnostics.push_back(
        {SessionErrc::empty_list, draft.session_file, 0, "roster", "没有在任代表", "no deputy is in office"});
  }
  const auto n = static_cast<std::uint32_t>(members.size());
  if (draft.committee.line != 0) {
    if (n == 0) {
      add(diagnostics, SessionErrc::empty_list, draft.committee, "members", "密钥委员会没有成员",
          "the key committee has no members");
    } else if (def.key_committee.quorum == 0 || def.key_committee.quorum > n) {
      add(diagnostics, SessionErrc::impossible_quorum, draft.committee, "quorum",
          "门限 k = " + std::to_string(def.key_committee.quorum) + " 应在1到成员数 " + std::to_string(n) +
              " 之间",
          "quorum k = " + std::to_string(def.key_committee.quorum) + " must be between 1 and the " +
              std::to_string(n) + " members");
    }
  }
  for (std::size_t i = 0; i < def.votes.size(); ++i) check_vote(def, def.votes[i], draft.votes[i], diagnostics);
}

}  // namespace hallvote::session::detail
