#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace ovo {

/// Decodes %XX escapes of a URL path segment ('+' stays '+'). nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace ovo
