#pragma once
// UTF-8 decoding with Go's rules: an invalid or truncated sequence yields U+FFFD and consumes one
// byte, exactly as Go's `for _, r := range s` does. The slot hash depends on this equivalence.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ovo {

inline constexpr char32_t replacement_char = 0xFFFD;

/// One decoded code point and how many bytes it took.
struct decoded_rune {
  char32_t rune;
  std::size_t width;
  bool valid;
};

/// Decodes the code point starting at `text[pos]` (pos < text.size()).
decoded_rune decode_rune(std::string_view text, std::size_t pos);

/// True when `text` is well-formed UTF-8 (no surrogates, no overlong forms).
bool is_valid_utf8(std::string_view text);

}  // namespace ovo
