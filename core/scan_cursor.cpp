#include "core/scan_cursor.hpp"

#include "core/hex.hpp"
#include "core/slot_hash.hpp"

#include <fnmatch.h>

#include <array>
#include <charconv>

namespace ovo {

std::optional<scan_position> parse_scan_cursor(std::string_view text) {
  if (text == "0") return scan_position{};
  const auto dash = text.find('-');
  const auto digits = text.substr(0, dash);
  int slot = -1;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), slot);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || slot < 0 ||
      slot >= slot_count)
    return std::nullopt;
  scan_position position{slot, {}};
  if (dash == std::string_view::npos) return position;
  const auto hex = text.substr(dash + 1);
  if (hex.empty() || hex.size() % 2 != 0) return std::nullopt;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = hex_value(hex[i]), low = hex_value(hex[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    position.after += static_cast<char>(high * 16 + low);
  }
  return position;
}

std::string next_scan_cursor(int slot, const std::string& last, bool slot_has_more) {
  if (!slot_has_more) return slot + 1 == slot_count ? "0" : std::to_string(slot + 1);
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = std::to_string(slot) + "-";
  for (unsigned char c : last) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

const std::string& slot_anchor_key(int slot) {
  // The first "scan-anchor-N" of each slot, found once.
  static const auto anchors = [] {
    std::array<std::string, slot_count> out;
    int found = 0;
    for (int n = 0; found < slot_count; ++n) {
      auto key = "scan-anchor-" + std::to_string(n);
      auto& anchor = out[static_cast<std::size_t>(slot_of(key))];
      if (anchor.empty()) {
        anchor = std::move(key);
        ++found;
      }
    }
    return out;
  }();
  return anchors[static_cast<std::size_t>(slot)];
}

command make_scan_command(const scan_position& position, std::size_t count, std::string pattern) {
  command cmd;
  cmd.kind = op::scan;
  cmd.key = slot_anchor_key(position.slot);
  cmd.new_key = position.after;
  cmd.data = std::move(pattern);
  cmd.value = static_cast<int64_t>(count);
  return cmd;
}

bool matches_glob(const std::string& pattern, const std::string& key) {
  return pattern.empty() || ::fnmatch(pattern.c_str(), key.c_str(), 0) == 0;
}

}  // namespace ovo
