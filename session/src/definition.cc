#include "hallvote/session/definition.h"

#include <algorithm>

namespace hallvote::session {
namespace {

template <class T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) noexcept {
  const auto it = std::find_if(items.begin(), items.end(), [id](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::uint32_t SessionDefinition::deputies_in_office() const noexcept {
  return static_cast<std::uint32_t>(
      std::count_if(roster.begin(), roster.end(), [](const Deputy& d) { return d.in_office; }));
}

const Deputy* SessionDefinition::find_deputy(std::string_view id) const noexcept {
  return find_by_id(roster, id);
}
const Project* SessionDefinition::find_project(std::string_view id) const noexcept {
  return find_by_id(projects, id);
}
const Motion* SessionDefinition::find_motion(std::string_view id) const noexcept {
  return find_by_id(motions, id);
}
const VoteDefinition* SessionDefinition::find_vote(std::string_view id) const noexcept {
  return find_by_id(votes, id);
}
const Official* SessionDefinition::find_official(std::string_view id) const noexcept {
  return find_by_id(key_committee.members, id);
}

std::string_view SessionDefinition::item_title(std::string_view item_id) const noexcept {
  if (const Project* p = find_project(item_id)) return p->title;
  if (const Motion* m = find_motion(item_id)) return m->title;
  return {};
}

std::string_view to_string(Level level) noexcept { return level == Level::county ? "county" : "township"; }

std::string_view to_string(VoteKind kind) noexcept {
  switch (kind) {
    case VoteKind::choose:
      return "choose";
    case VoteKind::per_item:
      return "per_item";
    case VoteKind::satisfaction:
      return "satisfaction";
  }
  return "per_item";
}

std::string_view to_string(OfficialRole role) noexcept {
  switch (role) {
    case OfficialRole::presidium_member:
      return "presidium_member";
    case OfficialRole::chief_scrutineer:
      return "chief_scrutineer";
    case OfficialRole::scrutineer:
      return "scrutineer";
  }
  return "presidium_member";
}

bool parse_level(std::string_view text, Level& out) noexcept {
  for (Level l : {Level::county, Level::township}) {
    if (text == to_string(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

bool parse_vote_kind(std::string_view text, VoteKind& out) noexcept {
  for (VoteKind k : {VoteKind::choose, VoteKind::per_item, VoteKind::satisfaction}) {
    if (text == to_string(k)) {
      out = k;
      return true;
    }
  }
  return false;
}

bool parse_official_role(std::string_view text, OfficialRole& out) noexcept {
  for (OfficialRole r :
       {OfficialRole::presidium_member, OfficialRole::chief_scrutineer, OfficialRole::scrutineer}) {
    if (text == to_string(r)) {
      out = r;
      return true;
    }
  }
  return false;
}

std::string_view display_name_zh(VoteKind kind) noexcept {
  switch (kind) {
    case VoteKind::choose:
      return "差额票决";
    case VoteKind::per_item:
      return "逐项表决";
    case VoteKind::satisfaction:
      return "满意度测评";
  }
  return "逐项表决";
}

std::string_view display_name_zh(OfficialRole role) noexcept {
  switch (role) {
    case OfficialRole::presidium_member:
      return "主席团成员";
    case OfficialRole::chief_scrutineer:
      return "总监票人";
    case OfficialRole::scrutineer:
      return "监票人";
  }
  return "主席团成员";
}

}  // namespace hallvote::session
