#pragma once
// What a REST request asks of the store, and what it gets back. One command is one actor message;
// both structs are plain data so they can also cross the network between nodes.

#include "core/node_info.hpp"
#include "core/packed_keys.hpp"
#include "core/status.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ovo {

enum class op : uint8_t {
  put,                        ///< set key = data (collection, ttl)
  get,                        ///< read key
  remove,                     ///< delete key (ok when missing)
  get_and_remove,             ///< read then delete key
  update_value_if_equal,      ///< key's value data -> new_data
  update_key_value_if_equal,  ///< key with value data -> new_key with new_data
  update_key,                 ///< key -> new_key
  delete_value_if_equal,      ///< delete key when its value is data
  counter_set,                ///< counter key = value
  counter_add,                ///< counter key += value, created at 0
  counter_get,                ///< read counter key
  counter_remove,             ///< delete counter key
  scan,          ///< keys of one slot after a key (GET /ovo/scan; key: the slot's anchor)
  count_keys,    ///< number of objects on this node
  list_keys,     ///< all object keys on this node
  cluster_view,  ///< every node of the cluster
  cluster_me,    ///< this node
  readiness,     ///< whether this node is ready to serve (GET /readyz)
};

/// A short name of each operation (ovoctl stats, logs), in enum order.
inline const char* op_name(op kind) {
  static constexpr const char* names[] = {"put",
                                          "get",
                                          "remove",
                                          "getandremove",
                                          "updatevalueifequal",
                                          "updatekeyvalueifequal",
                                          "updatekey",
                                          "deletevalueifequal",
                                          "counterset",
                                          "counteradd",
                                          "counterget",
                                          "counterremove",
                                          "scan",
                                          "countkeys",
                                          "listkeys",
                                          "cluster",
                                          "clusterme",
                                          "readyz"};
  static_assert(sizeof names / sizeof *names == static_cast<std::size_t>(op::readiness) + 1);
  return names[static_cast<std::size_t>(kind)];
}

/// True for the operations on counters (their own namespace, beside the objects in each shard).
inline bool is_counter_op(op kind) { return kind >= op::counter_set && kind <= op::counter_remove; }

/// True for the operations that address no single key.
inline bool is_node_wide_op(op kind) { return kind >= op::count_keys; }

/// True for the writes whose effect and answer do not depend on what the key held before.
inline bool is_blind_write(op kind) {
  return kind == op::put || kind == op::remove || kind == op::counter_set ||
         kind == op::counter_remove;
}

/// True for the single-key operations that may change what is stored (and so are replicated).
inline bool is_write_op(op kind) {
  return kind != op::get && kind != op::counter_get && kind != op::scan && !is_node_wide_op(kind);
}

struct command {
  op kind = op::get;
  std::string key;
  std::string new_key;
  std::string data;      ///< raw bytes (already base64-decoded)
  std::string new_data;  ///< raw bytes
  std::string collection;
  int64_t ttl_seconds = 0;  ///< 0 = no expiry
  int64_t value = 0;        ///< counter operand
  /// Times the command was passed between nodes: a node whose view says another node owns
  /// the key passes it on, at most defaults::max_forward_hops times in all (views that
  /// disagree for a moment cannot make it loop).
  uint8_t hops = 0;
};

enum class payload : uint8_t {
  none,     ///< Data: null (or the error message on errors)
  object,   ///< Data: {"Key","Data"}
  counter,  ///< Data: {"Key","Value"}
  number,   ///< Data: an integer
  keys,     ///< Data: {"Keys":[...]}
  scan,     ///< Data: {"Cursor":key,"Keys":[...]}
  nodes,    ///< Data: {"Nodes":[...]}
  node,     ///< Data: the one node in `nodes`
};

struct reply {
  status code = status::ok;
  payload kind = payload::none;
  std::string key;
  std::string data;  ///< raw bytes for objects
  int64_t number = 0;
  packed_keys keys;
  std::vector<node_info> nodes;
  std::string message;  ///< human-readable cause for errors
};

/// A successful reply with no data.
inline reply done() { return {}; }

/// An error reply with the table code and a message for the envelope.
inline reply failure(status code, std::string message) {
  reply r;
  r.code = code;
  r.message = std::move(message);
  return r;
}

}  // namespace ovo
