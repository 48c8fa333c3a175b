#pragma once
// GET /ovo/scan's query (docs/protocol.md, "Scan") -> the scan command, or the 400 it deserves.

#include "core/command.hpp"

#include <optional>
#include <string>
#include <variant>

namespace ovo {

inline constexpr std::size_t scan_default_count = 10;
inline constexpr std::size_t scan_max_count = 1000;

/// The query's values as sent (still percent-encoded); absent ones take their defaults
/// (cursor "0", count 10, match everything).
std::variant<command, reply> scan_command(const std::optional<std::string>& cursor,
                                          const std::optional<std::string>& count,
                                          const std::optional<std::string>& match,
                                          std::size_t max_pattern_bytes);

}  // namespace ovo
