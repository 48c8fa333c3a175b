#pragma once
// One node plus a keep-alive client, with the calls the tests make most.

#include "test/integration/http_client.hpp"
#include "test/integration/node_process.hpp"

#include <string>

namespace ovo::test {

struct api_session {
  api_session() : node(node_options{}) {}
  api_session(std::string name, std::string settings_json, std::string host = "127.0.0.1")
      : node(options(std::move(name), std::move(settings_json), std::move(host))) {}

  node_process node;
  http_client client;

  static node_options options(std::string name, std::string settings_json, std::string host) {
    node_options o;
    o.name = std::move(name);
    o.settings_json = std::move(settings_json);
    o.host = std::move(host);
    return o;
  }

  http_response call(const std::string& method, const std::string& path,
                     const std::string& body = "") {
    return client.request(method, node.url(path), body);
  }
  http_response put_object(const std::string& key, const std::string& bytes, int ttl = 0) {
    nlohmann::json body = {{"Key", key},
                           {"Data", to_base64(bytes)},
                           {"TTL", ttl},
                           {"Collection", "tests"},
                           {"Hash", 0}};
    return call("PUT", "/ovo/keystorage", body.dump());
  }
  /// The stored bytes of `key` (base64-decoded), or "<code>" when the read failed.
  std::string value_of(const std::string& key);
  /// Number of objects the node reports.
  int64_t key_count() { return call("GET", "/ovo/keystorage").envelope()["Data"].get<int64_t>(); }
};

/// Percent-encodes every byte outside the unreserved set.
std::string url_encode(const std::string& text);

}  // namespace ovo::test
