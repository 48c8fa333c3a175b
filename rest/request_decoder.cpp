#include "rest/request_decoder.hpp"

// RapidJSON copies unescaped runs of a string 16 bytes at a time with SSE2 (every x86-64 CPU).
#if defined(__SSE2__)
#define RAPIDJSON_SSE2
#endif
#include "config/defaults.hpp"
#include "core/base64.hpp"
#include "core/utf8.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <limits>

namespace ovo {
namespace {

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

/// SAX consumer (RapidJSON's handler concept): keeps the known top-level fields, checks their
/// types and UTF-8, bounds the depth.
class body_reader {
 public:
  body_fields fields;
  std::string error;

  bool Null() { return in_byte_array() ? not_a_byte() : scalar_seen(); }
  bool Bool(bool) {
    if (in_byte_array()) return not_a_byte();
    return at_field() ? wrong_type() : scalar_seen();
  }
  bool Int(int v) { return integer(v, false); }
  bool Uint(unsigned v) { return integer(v, false); }
  bool Int64(int64_t v) { return integer(v, false); }
  bool Uint64(uint64_t v) {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return integer(0, true);
    return integer(static_cast<int64_t>(v), false);
  }
  bool Double(double) {
    if (in_byte_array()) return not_a_byte();
    if (!at_field() || current_ == field::hash) return scalar_seen();  // Hash is ignored
    if (current_ == field::ttl || current_ == field::value)
      return fail(name_ + " must be a whole number within the signed 64-bit range");
    return wrong_type();
  }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return fail("unexpected raw number"); }
  bool String(const char* text, rapidjson::SizeType length, bool) {
    const std::string_view value(text, length);
    // RapidJSON 1.1 lets an escaped lone low surrogate through; docs/protocol.md refuses it.
    if (!is_valid_utf8(value)) return fail("text is not valid UTF-8");
    if (in_byte_array()) return not_a_byte();
    if (!at_field()) return scalar_seen();
    switch (current_) {
      case field::key:
        fields.key = std::string(value);
        break;
      case field::new_key:
        fields.new_key = std::string(value);
        break;
      case field::data:
        fields.data = byte_field{std::string(value), true};
        break;
      case field::new_data:
        fields.new_data = byte_field{std::string(value), true};
        break;
      case field::collection:
        fields.collection = std::string(value);
        break;
      default:
        return wrong_type();
    }
    return scalar_seen();
  }
  bool StartObject() {
    if (in_byte_array()) return not_a_byte();
    if (depth_ == 0) return open();
    return nested();
  }
  bool Key(const char* text, rapidjson::SizeType length, bool) {
    const std::string_view name(text, length);
    if (!is_valid_utf8(name)) return fail("text is not valid UTF-8");
    if (depth_ == 1) {
      current_ = field_named(name);
      name_ = name;
    }
    return true;
  }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() {
    if (depth_ == 0) return fail("body must be a JSON object, not an array");
    if (in_byte_array()) return not_a_byte();
    if (depth_ == 1 && (current_ == field::data || current_ == field::new_data)) {
      bytes_ = &(current_ == field::data ? fields.data : fields.new_data);
      *bytes_ = byte_field{{}, false};
    }
    return nested();
  }
  bool EndArray(rapidjson::SizeType) {
    if (in_byte_array()) {
      bytes_ = nullptr;
      close();
      return scalar_seen();
    }
    return close();
  }

 private:
  bool at_field() const { return depth_ == 1 && current_ != field::ignored; }
  bool in_byte_array() const { return bytes_ != nullptr; }
  bool not_a_byte() { return fail(name_ + " must be base64 text or an array of integers 0-255"); }
  bool open() {
    depth_ = 1;
    return true;
  }
  bool nested() {
    if (at_field() && !in_byte_array()) return wrong_type();
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
    if (in_byte_array()) {
      if (out_of_range || v < 0 || v > 255) return not_a_byte();
      bytes_->value().text += static_cast<char>(v);
      return true;
    }
    if (!at_field() || current_ == field::hash) return scalar_seen();
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
    if (current_ == field::data || current_ == field::new_data) return not_a_byte();
    const bool numeric =
        current_ == field::ttl || current_ == field::value || current_ == field::hash;
    return fail(name_ + (numeric ? " must be an integer" : " must be a string"));
  }
  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }

  int depth_ = 0;
  field current_ = field::ignored;
  std::string name_;
  std::optional<byte_field>* bytes_ = nullptr;  ///< the field a byte array is filling
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
      break;  // answered before any command is built (scan: from the query, scan_query)
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
  rapidjson::StringStream input(body.c_str());
  // Strings are gathered on the reader's stack: sized for the body, it is allocated once
  // instead of growing from 256 bytes in ~10 reallocations for a 4 KiB value.
  rapidjson::Reader parser(nullptr, body.size() + 1);
  // No kParseValidateEncodingFlag: body_reader checks every string and name with
  // is_valid_utf8 (which also refuses the escaped lone surrogates RapidJSON lets through);
  // RapidJSON's check would repeat it byte by byte and turn off its SSE2 copy of strings
  // (PUT 4 KiB spent 10% of the node's CPU in ParseString).
  const auto result = parser.Parse<rapidjson::kParseNoFlags>(input, reader);
  // RapidJSON takes a NUL byte for the end of input; anything after it is still trailing data.
  if (!result.IsError() && input.Tell() != body.size())
    return "body is not valid JSON: data after the document (at byte " +
           std::to_string(input.Tell()) + ")";
  if (!result.IsError()) return std::move(reader.fields);
  if (!reader.error.empty()) return reader.error;
  return "body is not valid JSON: " + std::string(rapidjson::GetParseError_En(result.Code())) +
         " (at byte " + std::to_string(result.Offset()) + ")";
}

std::variant<command, reply> build_command(endpoint target, std::string path_key,
                                           const std::string& body, const request_limits& limits) {
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
