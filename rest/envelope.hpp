#pragma once
// reply -> the JSON envelope {"Status","Code","Data"} of PROTOCOL.md.

#include <string>
#include <string_view>

#include "command.hpp"

namespace ovo {

/// The response body for `answer`. Errors carry their message as Data.
std::string encode_envelope(const reply& answer);

/// Appends `text` (valid UTF-8) as a JSON string literal.
void append_json_string(std::string& out, std::string_view text);

}  // namespace ovo
