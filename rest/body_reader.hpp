#pragma once
// The SAX reader of one request body (a JSON object of docs/protocol.md's fields): kept apart
// so that the bulk decoder can hand it each item of a list. Used by rest/ only.

#include "config/defaults.hpp"
#include "core/utf8.hpp"
#include "rest/json_sax.hpp"
#include "rest/request_decoder.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ovo {

enum class field { ignored, key, new_key, data, new_data, collection, ttl, value, hash };

inline field field_named(std::string_view name) {
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

}  // namespace ovo
