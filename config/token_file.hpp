#pragma once
// Admin tokens live in files (Settings.AdminTokenFile for the node, --token-file for ovoctl):
// one reader for both, so they agree on what the token is.

#include <optional>
#include <string>

namespace ovo {

/// The token in `path` without surrounding whitespace ("" when the file holds only
/// whitespace), or nullopt when the file cannot be read.
std::optional<std::string> read_token_file(const std::string& path);

}  // namespace ovo
