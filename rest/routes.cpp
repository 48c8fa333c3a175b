#include "rest/routes.hpp"

#include <array>

namespace ovo {
namespace {

/// One path shape and the endpoint of each method on it.
struct path_rule {
  std::string_view action;  ///< for /ovo/keystorage/:key/<action>; "" for the others
  std::optional<endpoint> get, post, put, del;
  std::string_view allowed;
};

route_match pick(const path_rule& rule, http_method method, std::string_view key) {
  std::optional<endpoint> target;
  switch (method) {
    case http_method::get:
      target = rule.get;
      break;
    case http_method::post:
      target = rule.post;
      break;
    case http_method::put:
      target = rule.put;
      break;
    case http_method::del:
      target = rule.del;
      break;
    case http_method::other:
      break;
  }
  if (target) return {target, key, {}};
  return {std::nullopt, key, rule.allowed};
}

const path_rule keystorage_root{
    "",           endpoint::count_keys, endpoint::set_object, endpoint::set_object,
    std::nullopt, "GET, POST, PUT"};
const path_rule keys_root{"", endpoint::list_keys, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule object_key{"",           endpoint::get_object,    std::nullopt,
                           std::nullopt, endpoint::delete_object, "GET, DELETE"};
const std::array<path_rule, 5> object_actions = {{
    {"getandremove", endpoint::get_and_remove, std::nullopt, std::nullopt, std::nullopt, "GET"},
    {"updatevalueifequal", std::nullopt, endpoint::update_value_if_equal,
     endpoint::update_value_if_equal, std::nullopt, "POST, PUT"},
    {"updatekeyvalueifequal", std::nullopt, endpoint::update_key_value_if_equal,
     endpoint::update_key_value_if_equal, std::nullopt, "POST, PUT"},
    {"updatekey", std::nullopt, endpoint::update_key, endpoint::update_key, std::nullopt,
     "POST, PUT"},
    {"deletevalueifequal", std::nullopt, endpoint::delete_value_if_equal, std::nullopt,
     std::nullopt, "POST"},
}};
const path_rule counters_root{
    "", std::nullopt, endpoint::counter_set, endpoint::counter_add, std::nullopt, "POST, PUT"};
const path_rule counter_key{"",           endpoint::counter_get,    std::nullopt,
                            std::nullopt, endpoint::counter_delete, "GET, DELETE"};
const path_rule cluster_root{"",           endpoint::cluster_view, std::nullopt,
                             std::nullopt, std::nullopt,           "GET"};
const path_rule cluster_me{"",           endpoint::cluster_me, std::nullopt,
                           std::nullopt, std::nullopt,         "GET"};

const path_rule health{"", endpoint::health, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule readiness{"", endpoint::readiness, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule metrics{"", endpoint::metrics, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule scan{"", endpoint::scan, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule mget{"", std::nullopt, endpoint::mget, std::nullopt, std::nullopt, "POST"};
const path_rule mset{"", std::nullopt, endpoint::mset, std::nullopt, std::nullopt, "POST"};
const path_rule dashboard_page{
    "", endpoint::dashboard_page, std::nullopt, std::nullopt, std::nullopt, "GET"};
const path_rule dashboard_figures{
    "", endpoint::dashboard_figures, std::nullopt, std::nullopt, std::nullopt, "GET"};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

route_match match_object_path(http_method method, std::string_view rest) {
  const auto slash = rest.rfind('/');
  if (slash == std::string_view::npos) return pick(object_key, method, rest);
  const auto action = rest.substr(slash + 1);
  for (const auto& rule : object_actions)
    if (rule.action == action) return pick(rule, method, rest.substr(0, slash));
  return {};
}

}  // namespace

route_match match_route(http_method method, std::string_view path) {
  constexpr std::string_view keystorage = "/ovo/keystorage", counters = "/ovo/counters";
  if (path == keystorage) return pick(keystorage_root, method, {});
  if (starts_with(path, "/ovo/keystorage/"))
    return match_object_path(method, path.substr(keystorage.size() + 1));
  if (path == "/ovo/keys") return pick(keys_root, method, {});
  if (path == "/ovo/scan") return pick(scan, method, {});
  if (path == "/ovo/mget") return pick(mget, method, {});
  if (path == "/ovo/mset") return pick(mset, method, {});
  if (path == counters) return pick(counters_root, method, {});
  if (starts_with(path, "/ovo/counters/")) {
    const auto key = path.substr(counters.size() + 1);
    if (key.find('/') != std::string_view::npos) return {};
    return pick(counter_key, method, key);
  }
  if (path == "/ovo/cluster") return pick(cluster_root, method, {});
  if (path == "/ovo/cluster/me") return pick(cluster_me, method, {});
  if (path == "/healthz") return pick(health, method, {});
  if (path == "/readyz") return pick(readiness, method, {});
  if (path == "/metrics") return pick(metrics, method, {});
  if (path == "/ui") return pick(dashboard_page, method, {});
  if (path == "/ovo/dashboard") return pick(dashboard_figures, method, {});
  return {};
}

}  // namespace ovo
