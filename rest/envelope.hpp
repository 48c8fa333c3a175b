#pragma once
// reply -> the JSON envelope {"Status","Code","Data"} of docs/protocol.md.

#include "core/command.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ovo {

/// The response body for `answer`. Errors have "Data":null; their message goes in X-Ovo-Error.
std::string encode_envelope(const reply& answer);

/// The answer of a bulk request (POST /ovo/mget, /ovo/mset): a done envelope whose Data lists
/// `{"Key","Status","Code","Data"}` for each answer, in order; its Data is the value's base64
/// for a found object, else null (the reason of an error travels in no header: there are many).
std::string encode_bulk_envelope(const std::vector<reply>& answers);

/// Appends `text` as a JSON string literal; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ovo
