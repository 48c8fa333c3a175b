#pragma once
// The route table of docs/protocol.md: (method, path) -> endpoint, or the 404/405 it deserves.

#include <optional>
#include <string>
#include <string_view>

namespace ovo {

enum class http_method { get, post, put, del, other };

enum class endpoint {
  count_keys,                 // GET    /ovo/keystorage
  list_keys,                  // GET    /ovo/keys
  set_object,                 // POST|PUT /ovo/keystorage
  get_object,                 // GET    /ovo/keystorage/:key
  delete_object,              // DELETE /ovo/keystorage/:key
  get_and_remove,             // GET    /ovo/keystorage/:key/getandremove
  update_value_if_equal,      // POST|PUT /ovo/keystorage/:key/updatevalueifequal
  update_key_value_if_equal,  // POST|PUT /ovo/keystorage/:key/updatekeyvalueifequal
  update_key,                 // POST|PUT /ovo/keystorage/:key/updatekey
  delete_value_if_equal,      // POST   /ovo/keystorage/:key/deletevalueifequal
  counter_set,                // POST   /ovo/counters
  counter_add,                // PUT    /ovo/counters
  counter_get,                // GET    /ovo/counters/:key
  counter_delete,             // DELETE /ovo/counters/:key
  cluster_view,               // GET    /ovo/cluster
  cluster_me,                 // GET    /ovo/cluster/me
  health,                     // GET    /healthz (answered by the REST layer itself)
  readiness,                  // GET    /readyz
  metrics,                    // GET    /metrics (Prometheus text, answered by the REST layer)
  scan,                       // GET    /ovo/scan?cursor=C&count=N&match=GLOB
  dashboard_page,             // GET    /ui (a static page: answered by the REST layer)
  dashboard_figures,          // GET    /ovo/dashboard (what that page polls)
  mget,                       // POST   /ovo/mget {"Keys":[...]}
  mset,                       // POST   /ovo/mset {"Items":[...]}
};

struct route_match {
  std::optional<endpoint> target;  ///< empty: path unknown, or method not allowed
  std::string_view raw_key;        ///< the :key segment, still percent-encoded
  std::string_view allowed;        ///< for 405: the Allow header value (empty: 404)
};

/// Matches a request path (without query) and method.
route_match match_route(http_method method, std::string_view path);

}  // namespace ovo
