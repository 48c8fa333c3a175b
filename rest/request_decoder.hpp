#pragma once
// Request body JSON -> command, with every check of docs/protocol.md (types, base64, limits, the
// stricter rows). Knows nothing of HTTP or actors.

#include "core/command.hpp"
#include "rest/routes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace ovo {

/// A byte value as it arrived: standard base64 text, or bytes already, from the JSON array of
/// integers 0-255 that the .Net client sends (docs/protocol.md, "Byte values").
struct byte_field {
  std::string text;
  bool is_base64 = true;
};

/// The known top-level fields of a request body, as sent (base64 not yet decoded).
struct body_fields {
  std::optional<std::string> key, new_key, collection;
  std::optional<byte_field> data, new_data;
  std::optional<int64_t> ttl, value;
};

/// Parses a body that must be a JSON object. Unknown fields are ignored, null means absent.
/// Gives the fields, or a message saying what is wrong.
std::variant<body_fields, std::string> parse_body(const std::string& body);

struct request_limits {
  std::size_t max_key_bytes;
  std::size_t max_value_bytes;
};

/// Builds the command for `target` from the percent-decoded path key and the body.
/// Gives the command, or the error reply (400/"10" or 413/"11").
std::variant<command, reply> build_command(endpoint target, std::string path_key,
                                           const std::string& body, const request_limits& limits);

/// The checks of build_command after parsing: builds the command for `target` from the path key
/// and a parsed body's fields (none for a request without a body): key and value limits,
/// base64, the key an operation needs.
std::variant<command, reply> command_from_fields(endpoint target, std::string path_key,
                                                 body_fields fields, const request_limits& limits);

}  // namespace ovo
