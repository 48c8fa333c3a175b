#pragma once
// reply -> the JSON envelope {"Status","Code","Data"} of docs/protocol.md.

#include "core/command.hpp"

#include <string>
#include <string_view>

namespace ovo {

/// The response body for `answer`. Errors have "Data":null; their message goes in X-Ovo-Error.
std::string encode_envelope(const reply& answer);

/// Appends `text` as a JSON string literal; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ovo
