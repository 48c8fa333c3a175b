#pragma once
// Standard base64 (RFC 4648, padded), as Go's encoding/json uses for []byte.

#include <optional>
#include <string>
#include <string_view>

namespace ovo {

/// Appends the padded base64 form of `bytes` to `out`.
void append_base64(std::string& out, std::string_view bytes);

/// Decodes padded standard base64. Like Go, CR and LF are skipped; anything else that is not
/// base64 (wrong alphabet, missing or misplaced padding, bad length) gives nullopt.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace ovo
