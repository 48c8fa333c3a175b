#pragma once
// GET /ovo/scan's cursor (docs/protocol.md, "Scan"): it walks the cluster slot by slot, and
// inside a slot by key in byte order, so a key present for the whole scan is returned exactly
// once whichever node owns its slot at each call.

#include "core/command.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ovo {

/// Where a scan goes on: slot `slot`, keys after `after` ("" = from the slot's first key).
struct scan_position {
  int slot = 0;
  std::string after;
};

/// "0" starts a scan (as Redis's SCAN); "S" or "S-HEX" (slot, then the last key returned in
/// hex) goes on. Nothing when the text is not a cursor this node gave.
std::optional<scan_position> parse_scan_cursor(std::string_view text);

/// The cursor of the call after one that returned keys of `slot` up to `last`: the same slot
/// after `last` when it has more, else the next slot, else "0" (the scan is complete).
std::string next_scan_cursor(int slot, const std::string& last, bool slot_has_more);

/// A key of `slot`: commands for the slot are routed (and forwarded) by it like any key's.
const std::string& slot_anchor_key(int slot);

/// The scan command for `position`: count keys at most, matching `pattern` (glob; "" = all).
command make_scan_command(const scan_position& position, std::size_t count, std::string pattern);

/// Whether `key` matches the glob `pattern` (`*`, `?`, `[...]`, `\` escapes, as Redis's MATCH);
/// "" matches everything.
bool matches_glob(const std::string& pattern, const std::string& key);

}  // namespace ovo
