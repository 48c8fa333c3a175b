#include "request_decoder.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "base64.hpp"
#include "defaults.hpp"
#include "utf8.hpp"

namespace ovo {
namespace {

using json = nlohmann::json;

enum class field { ignored, key, new_key, data, new_data, collection, ttl, value, hash };

field field_named(std::string_view name) {
  if (name == "Key") return field::key;
  if (name == "NewKey") return field::new_key;
  if (name == "Data") return field::data;
  if (name == "NewData") return field::new_data;
  if (name == "Collection") return field::collection;
  if (name == "TTL") return field::ttl;
  if (name == "Value") return field::value;
  if (name == "Hash" || name == "NewHash") return field::hash;
  return field::ignored;
}

/// SAX consumer: keeps the known top-level fields, checks their types, bounds the depth.
class body_reader {
 public:
  body_fields fields;
  std::string error;

  bool null() { return scalar_seen(); }
  bool boolean(bool) { return at_field() ? wrong_type() : scalar_seen(); }
  bool number_integer(int64_t v) { return integer(v, false); }
  bool number_unsigned(uint64_t v) {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return integer(0, true);
    return integer(static_cast<int64_t>(v), false);
  }
  bool number_float(double, const std::string&) {
    if (!at_field()) return scalar_seen();
    if (current_ == field::hash) return scalar_seen();  // Hash is ignored; any number will do
    if (current_ == field::ttl || current_ == field::value) return fail(name_ + " must be a whole number");
    return wrong_type();
  }
  bool string(std::string& s) {
    if (!at_field()) return scalar_seen();
    switch (current_) {
      case field::key: fields.key = std::move(s); break;
      case field::new_key: fields.new_key = std::move(s); break;
      case field::data: fields.data = std::move(s); break;
      case field::new_data: fields.new_data = std::move(s); break;
      case field::collection: fields.collection = std::move(s); break;
      default: return wrong_type();
    }
    return scalar_seen();
  }
  bool binary(json::binary_t&) { return fail("binary values are not JSON"); }
  bool start_object(std::size_t) {
    if (depth_ == 0) return open();
    return nested();
  }
  bool key(std::string& name) {
    if (depth_ == 1) {
      current_ = field_named(name);
      name_ = name;
    }
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) {
    if (depth_ == 0) return fail("body must be a JSON object, not an array");
    return nested();
  }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: the rest says what and where.
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return fail("body is not valid JSON: " + what);
  }

 private:
  bool at_field() const { return depth_ == 1 && current_ != field::ignored; }
  bool open() {
    depth_ = 1;
    return true;
  }
  bool nested() {
    if (depth_ == 0) return fail("body must be a JSON object");
    if (at_field()) return wrong_type();
    if (++depth_ > defaults::max_json_depth) return fail("JSON is nested too deeply");
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  bool scalar_seen() {
    if (depth_ == 0) return fail("body must be a JSON object");
    if (depth_ == 1) current_ = field::ignored;
    return true;
  }
  bool integer(int64_t v, bool out_of_range) {
    if (!at_field()) return scalar_seen();
    if (current_ == field::hash) return scalar_seen();
    if (current_ != field::ttl && current_ != field::value) return wrong_type();
    if (out_of_range) return fail(name_ + " is outside the signed 64-bit range");
    if (current_ == field::ttl) {
      if (v < 0) return fail("TTL must not be negative");
      fields.ttl = v;
    } else {
      fields.value = v;
    }
    return scalar_seen();
  }
  bool wrong_type() {
    const bool numeric = current_ == field::ttl || current_ == field::value || current_ == field::hash;
    return fail(name_ + (numeric ? " must be an integer" : " must be a string"));
  }
  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }

  int depth_ = 0;
  field current_ = field::ignored;
  std::string name_;
};

reply bad_request(std::string message) { return failure(status::bad_request, std::move(message)); }

/// Checks a key: present, not empty, within the limit, valid UTF-8.
std::optional<reply> check_key(const std::string& key, const char* what,
                               const request_limits& limits) {
  if (key.empty()) return bad_request(std::string(what) + " is empty or missing");
  if (key.size() > limits.max_key_bytes)
    return failure(status::too_large, std::string(what) + " is longer than " +
                                          std::to_string(limits.max_key_bytes) + " bytes");
  if (!is_valid_utf8(key)) return bad_request(std::string(what) + " is not valid UTF-8");
  return std::nullopt;
}

/// Decodes a base64 value field into `out`; absent means empty.
std::optional<reply> decode_value(const std::optional<std::string>& text, const char* what,
                                  const request_limits& limits, std::string& out) {
  if (!text) return std::nullopt;
  // Checking the encoded size first avoids decoding something we would refuse anyway.
  if (text->size() / 4 * 3 > limits.max_value_bytes + 2)
    return failure(status::too_large, std::string(what) + " is larger than " +
                                          std::to_string(limits.max_value_bytes) + " bytes");
  auto bytes = decode_base64(*text);
  if (!bytes) return bad_request(std::string(what) + " is not valid base64");
  if (bytes->size() > limits.max_value_bytes)
    return failure(status::too_large, std::string(what) + " is larger than " +
                                          std::to_string(limits.max_value_bytes) + " bytes");
  out = std::move(*bytes);
  return std::nullopt;
}

op op_for(endpoint target) {
  switch (target) {
    case endpoint::count_keys: return op::count_keys;
    case endpoint::list_keys: return op::list_keys;
    case endpoint::set_object: return op::put;
    case endpoint::get_object: return op::get;
    case endpoint::delete_object: return op::remove;
    case endpoint::get_and_remove: return op::get_and_remove;
    case endpoint::update_value_if_equal: return op::update_value_if_equal;
    case endpoint::update_key_value_if_equal: return op::update_key_value_if_equal;
    case endpoint::update_key: return op::update_key;
    case endpoint::delete_value_if_equal: return op::delete_value_if_equal;
    case endpoint::counter_set: return op::counter_set;
    case endpoint::counter_add: return op::counter_add;
    case endpoint::counter_get: return op::counter_get;
    case endpoint::counter_delete: return op::counter_remove;
    case endpoint::cluster_view: return op::cluster_view;
    case endpoint::cluster_me: return op::cluster_me;
  }
  return op::get;
}

bool has_body(endpoint target) {
  switch (target) {
    case endpoint::set_object:
    case endpoint::update_value_if_equal:
    case endpoint::update_key_value_if_equal:
    case endpoint::update_key:
    case endpoint::delete_value_if_equal:
    case endpoint::counter_set:
    case endpoint::counter_add:
      return true;
    default:
      return false;
  }
}

bool needs_key(op kind) { return !is_node_wide_op(kind); }

bool moves_key(op kind) { return kind == op::update_key || kind == op::update_key_value_if_equal; }

}  // namespace

std::variant<body_fields, std::string> parse_body(std::string_view body) {
  body_reader reader;
  const bool ok = json::sax_parse(body.begin(), body.end(), &reader);
  if (!ok) return reader.error.empty() ? std::string("body is not valid JSON") : reader.error;
  return std::move(reader.fields);
}

std::variant<command, reply> build_command(endpoint target, std::string path_key,
                                           std::string_view body, const request_limits& limits) {
  command cmd;
  cmd.kind = op_for(target);
  cmd.key = std::move(path_key);
  if (has_body(target)) {
    auto parsed = parse_body(body);
    if (auto* error = std::get_if<std::string>(&parsed)) return bad_request(std::move(*error));
    auto& fields = std::get<body_fields>(parsed);
    // The body's Key is authoritative; an absent one falls back to the path key.
    if (fields.key && !fields.key->empty()) cmd.key = std::move(*fields.key);
    if (fields.new_key) cmd.new_key = std::move(*fields.new_key);
    if (fields.collection) cmd.collection = std::move(*fields.collection);
    cmd.ttl_seconds = fields.ttl.value_or(0);
    cmd.value = fields.value.value_or(0);
    if (auto error = decode_value(fields.data, "Data", limits, cmd.data)) return *error;
    if (auto error = decode_value(fields.new_data, "NewData", limits, cmd.new_data)) return *error;
    if (cmd.collection.size() > limits.max_key_bytes)
      return failure(status::too_large, "Collection is longer than " +
                                            std::to_string(limits.max_key_bytes) + " bytes");
  }
  if (needs_key(cmd.kind))
    if (auto error = check_key(cmd.key, "Key", limits)) return *error;
  if (moves_key(cmd.kind))
    if (auto error = check_key(cmd.new_key, "NewKey", limits)) return *error;
  return cmd;
}

}  // namespace ovo
