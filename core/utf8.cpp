#include "core/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace ovo {
namespace {

bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
  return byte >= low && byte <= high;
}

constexpr decoded_rune invalid_rune{replacement_char, 1, false};

/// True when the `words` * 8 bytes at `data` are all ASCII (no high bit set).
template <std::size_t words>
bool all_ascii(const char* data) {
  uint64_t chunk[words];
  std::memcpy(chunk, data, sizeof chunk);
  uint64_t any = 0;
  for (const auto word : chunk) any |= word;
  return (any & 0x8080808080808080u) == 0;
}

}  // namespace

decoded_rune decode_rune(std::string_view text, std::size_t pos) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data()) + pos;
  const std::size_t left = text.size() - pos;
  const unsigned char lead = bytes[0];
  if (lead < 0x80) return {lead, 1, true};
  std::size_t width = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  char32_t rune = 0;
  if (in_range(lead, 0xC2, 0xDF)) {
    width = 2;
    rune = lead & 0x1F;
  } else if (in_range(lead, 0xE0, 0xEF)) {
    width = 3;
    rune = lead & 0x0F;
    if (lead == 0xE0) second_low = 0xA0;   // overlong
    if (lead == 0xED) second_high = 0x9F;  // surrogates
  } else if (in_range(lead, 0xF0, 0xF4)) {
    width = 4;
    rune = lead & 0x07;
    if (lead == 0xF0) second_low = 0x90;   // overlong
    if (lead == 0xF4) second_high = 0x8F;  // above U+10FFFF
  } else {
    return invalid_rune;
  }
  if (left < 2 || !in_range(bytes[1], second_low, second_high)) return invalid_rune;
  rune = (rune << 6) | (bytes[1] & 0x3F);
  for (std::size_t i = 2; i < width; ++i) {
    if (left <= i || !in_range(bytes[i], 0x80, 0xBF)) return invalid_rune;
    rune = (rune << 6) | (bytes[i] & 0x3F);
  }
  return {rune, width, true};
}

bool is_valid_utf8(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    // ASCII fast path: most keys and all base64 values are plain ASCII; 32, then 8 bytes at a
    // time.
    if (pos + 32 <= text.size() && all_ascii<4>(text.data() + pos)) {
      pos += 32;
      continue;
    }
    if (pos + 8 <= text.size() && all_ascii<1>(text.data() + pos)) {
      pos += 8;
      continue;
    }
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const auto rune = decode_rune(text, pos);
    if (!rune.valid) return false;
    pos += rune.width;
  }
  return true;
}

}  // namespace ovo
