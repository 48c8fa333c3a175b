#pragma once
// The OVO C++ client: every object and counter operation of the REST protocol over persistent
// keep-alive connections, sent straight to the node that owns the key's slot. When that node
// fails, the request goes to its twins (then any node, which forwards it) and the topology is
// fetched again.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ovo::client {

/// A request the cluster answered with an error, or that no node answered.
class error : public std::runtime_error {
 public:
  error(long http_status, std::string code, const std::string& message)
      : std::runtime_error(message), http_status(http_status), code(std::move(code)) {}
  long http_status;  ///< 0: no node answered
  std::string code;  ///< the envelope's Code ("14": owner unreachable, ...)
};

/// One node as GET /ovo/cluster describes it.
struct node {
  std::string name;
  std::string host;
  uint16_t port = 0;
  bool active = false;
  std::vector<int> slots;
  std::vector<std::string> twins;
  std::string address() const { return host + ":" + std::to_string(port); }
};

/// Which node serves each slot, from a topology.
class slot_map {
 public:
  explicit slot_map(std::vector<node> nodes);
  const std::vector<node>& nodes() const { return nodes_; }
  /// The node serving `key`'s slot, or nullptr when no node lists it.
  const node* owner_of(const std::string& key) const;
  /// Where to send `key`'s request, best first: its owner, the owner's twins, every other
  /// active node (any node forwards to the owner it knows).
  std::vector<std::string> candidates(const std::string& key) const;

 private:
  std::vector<node> nodes_;
  std::map<int, std::size_t> owner_;  ///< slot -> index in nodes_
};

struct options {
  long timeout_ms = 3000;  ///< per request
  /// Sent as "Authorization: Bearer ..." with every request (nodes with Settings.TokenFile).
  std::string bearer_token;
  /// Reach the nodes over HTTPS (nodes with Settings.RestCertFile), checking their certificates
  /// against the system's CAs, or against `ca_file` (PEM) when it is set.
  bool https = false;
  std::string ca_file;
};

class cluster_client {
 public:
  /// `seeds`: REST addresses ("host:port") of any nodes; the topology is fetched from them.
  explicit cluster_client(std::vector<std::string> seeds, options opts = {});
  ~cluster_client();
  cluster_client(const cluster_client&) = delete;
  cluster_client& operator=(const cluster_client&) = delete;

  // Objects. Values are raw bytes (base64 on the wire is the client's business).
  void put(const std::string& key, const std::string& value, int64_t ttl_seconds = 0,
           const std::string& collection = "");
  std::optional<std::string> get(const std::string& key);
  void remove(const std::string& key);
  std::optional<std::string> get_and_remove(const std::string& key);
  /// False when the stored value is not `expected` (or the key is missing).
  bool update_value_if_equal(const std::string& key, const std::string& expected,
                             const std::string& value);
  /// False when `key` is missing.
  bool update_key(const std::string& key, const std::string& new_key);
  bool update_key_value_if_equal(const std::string& key, const std::string& new_key,
                                 const std::string& expected, const std::string& value);
  /// False when the stored value differs (true when the key is missing, as the protocol says).
  bool delete_value_if_equal(const std::string& key, const std::string& expected);

  // Counters.
  int64_t counter_set(const std::string& key, int64_t value, int64_t ttl_seconds = 0);
  int64_t counter_add(const std::string& key, int64_t delta, int64_t ttl_seconds = 0);
  std::optional<int64_t> counter_get(const std::string& key);
  void counter_remove(const std::string& key);

  /// The topology in use; refresh() fetches it again from any node that answers.
  const std::vector<node>& topology() const;
  void refresh();

  /// Objects stored on one node, and their keys (node-wide questions).
  int64_t count_keys(const std::string& address);
  std::vector<std::string> list_keys(const std::string& address);

  /// One page of a scan of the whole cluster (GET /ovo/scan): start with cursor "0" and pass
  /// each answer's cursor to the next call; the scan is complete when it is "0" again. A key
  /// present for the whole scan appears exactly once; `match` is a glob ("" = every key).
  struct scan_page {
    std::string cursor;
    std::vector<std::string> keys;
  };
  scan_page scan(const std::string& cursor, std::size_t count = 10, const std::string& match = "");

  /// One key's outcome in a bulk call (POST /ovo/mget, /ovo/mset), in the order asked.
  struct key_result {
    std::string key;
    std::string code;                  ///< the envelope's Code: "0" done, "101" missing, "14"...
    std::optional<std::string> value;  ///< get_many: the value of a key found
    bool ok() const { return code == "0"; }
  };
  /// One object for put_many.
  struct item {
    std::string key;
    std::string value;
    int64_t ttl_seconds = 0;
    std::string collection;
  };
  /// Reads many keys with one request per 1,000 keys (the node groups them by owner). A missing
  /// key is a result with code "101", a key whose owner is unreachable one with "14"; throws
  /// only when the request as a whole fails. Nothing is atomic across keys.
  std::vector<key_result> get_many(const std::vector<std::string>& keys);
  /// Writes many objects the same way; each result says whether its item was stored.
  std::vector<key_result> put_many(const std::vector<item>& items);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace ovo::client
