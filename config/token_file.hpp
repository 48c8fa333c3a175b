#pragma once
// Admin tokens live in files (Settings.AdminTokenFile for the node, --token-file for ovoctl):
// one reader for both, so they agree on what the token is. REST tokens (Settings.TokenFile)
// are a file of lines "TOKEN SCOPE".

#include "core/access_tokens.hpp"

#include <optional>
#include <string>
#include <variant>

namespace ovo {

/// The token in `path` without surrounding whitespace ("" when the file holds only
/// whitespace), or nullopt when the file cannot be read.
std::optional<std::string> read_token_file(const std::string& path);

/// The REST tokens in `path`: one a line, "TOKEN read" or "TOKEN read-write"; blank lines and
/// lines starting with '#' are skipped. Else what is wrong, with the line number.
std::variant<access_tokens, std::string> read_access_tokens(const std::string& path);

}  // namespace ovo
