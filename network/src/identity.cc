#include "hallvote/network/identity.h"

#include <array>
#include <utility>

namespace hallvote::network {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoles = {{
    {Role::terminal, "terminal"},
    {Role::staff, "staff"},
    {Role::chair, "chair"},
    {Role::presidium, "presidium"},
    {Role::scrutineer, "scrutineer"},
    {Role::auditor, "auditor"},
    {Role::display, "display"},
    {Role::server, "server"},
}};

}  // namespace

std::string_view role_name(Role role) noexcept {
  for (const auto& [r, name] : kRoles) {
    if (r == role) return name;
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) noexcept {
  for (const auto& [r, n] : kRoles) {
    if (n == name) return r;
  }
  return std::nullopt;
}

bool is_valid_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace hallvote::network
