#include "rest/request_decoder.hpp"

#include "core/base64.hpp"
#include "rest/body_reader.hpp"

namespace ovo {
namespace {

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

reply value_too_large(const char* what, const request_limits& limits) {
  return failure(status::too_large, std::string(what) + " is larger than " +
                                        std::to_string(limits.max_value_bytes) + " bytes");
}

/// Decodes a value field into `out`; absent means empty.
std::optional<reply> decode_value(std::optional<byte_field>& field, const char* what,
                                  const request_limits& limits, std::string& out) {
  if (!field) return std::nullopt;
  if (!field->is_base64) {
    if (field->text.size() > limits.max_value_bytes) return value_too_large(what, limits);
    out = std::move(field->text);
    return std::nullopt;
  }
  // Checking the encoded size first avoids decoding something we would refuse anyway.
  if (field->text.size() / 4 * 3 > limits.max_value_bytes + 2) return value_too_large(what, limits);
  auto bytes = decode_base64(field->text);
  if (!bytes) return bad_request(std::string(what) + " is not valid base64");
  if (bytes->size() > limits.max_value_bytes) return value_too_large(what, limits);
  out = std::move(*bytes);
  return std::nullopt;
}

op op_for(endpoint target) {
  switch (target) {
    case endpoint::count_keys:
      return op::count_keys;
    case endpoint::list_keys:
      return op::list_keys;
    case endpoint::set_object:
      return op::put;
    case endpoint::get_object:
      return op::get;
    case endpoint::delete_object:
      return op::remove;
    case endpoint::get_and_remove:
      return op::get_and_remove;
    case endpoint::update_value_if_equal:
      return op::update_value_if_equal;
    case endpoint::update_key_value_if_equal:
      return op::update_key_value_if_equal;
    case endpoint::update_key:
      return op::update_key;
    case endpoint::delete_value_if_equal:
      return op::delete_value_if_equal;
    case endpoint::counter_set:
      return op::counter_set;
    case endpoint::counter_add:
      return op::counter_add;
    case endpoint::counter_get:
      return op::counter_get;
    case endpoint::counter_delete:
      return op::counter_remove;
    case endpoint::cluster_view:
      return op::cluster_view;
    case endpoint::cluster_me:
      return op::cluster_me;
    case endpoint::readiness:
      return op::readiness;
    case endpoint::health:
    case endpoint::metrics:
    case endpoint::scan:
    case endpoint::dashboard_page:
    case endpoint::dashboard_figures:
    case endpoint::mget:
    case endpoint::mset:
      break;  // answered before any command is built (scan: from the query, scan_query; mget
              // and mset: one command per key, bulk_request)
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

std::variant<body_fields, std::string> parse_body(const std::string& body) {
  body_reader reader;
  if (auto error = read_json(body, reader)) return std::move(*error);
  return std::move(reader.fields);
}

std::variant<command, reply> build_command(endpoint target, std::string path_key,
                                           const std::string& body, const request_limits& limits) {
  if (!has_body(target)) return command_from_fields(target, std::move(path_key), {}, limits);
  auto parsed = parse_body(body);
  if (auto* error = std::get_if<std::string>(&parsed)) return bad_request(std::move(*error));
  return command_from_fields(target, std::move(path_key), std::get<body_fields>(std::move(parsed)),
                             limits);
}

std::variant<command, reply> command_from_fields(endpoint target, std::string path_key,
                                                 body_fields fields, const request_limits& limits) {
  command cmd;
  cmd.kind = op_for(target);
  cmd.key = std::move(path_key);
  // The body's Key is authoritative; an absent one falls back to the path key.
  if (fields.key && !fields.key->empty()) cmd.key = std::move(*fields.key);
  if (fields.new_key) cmd.new_key = std::move(*fields.new_key);
  if (fields.collection) cmd.collection = std::move(*fields.collection);
  cmd.ttl_seconds = fields.ttl.value_or(0);
  cmd.value = fields.value.value_or(0);
  if (auto error = decode_value(fields.data, "Data", limits, cmd.data)) return *error;
  if (auto error = decode_value(fields.new_data, "NewData", limits, cmd.new_data)) return *error;
  if (cmd.collection.size() > limits.max_key_bytes)
    return failure(status::too_large,
                   "Collection is longer than " + std::to_string(limits.max_key_bytes) + " bytes");
  if (needs_key(cmd.kind))
    if (auto error = check_key(cmd.key, "Key", limits)) return *error;
  if (moves_key(cmd.kind))
    if (auto error = check_key(cmd.new_key, "NewKey", limits)) return *error;
  return cmd;
}

}  // namespace ovo
