#pragma once
// X-Ovo-Error: the human-readable reason of an error answer, whose envelope carries
// "Data":null (docs/protocol.md, "Envelope").

#include <pistache/http_header.h>

#include <string>
#include <string_view>

namespace ovo {

/// The longest reason the header carries, escapes included; longer ones end in "...".
inline constexpr std::size_t max_error_header_bytes = 300;

/// `reason` as one line of printable ASCII: backslash and every byte outside 0x20-0x7e become
/// \xNN (reasons may quote client bytes), cut to max_error_header_bytes.
std::string error_header_text(std::string_view reason);

/// Pistache writes only typed headers; this is the one for the reason of an error.
class ovo_error_header final : public Pistache::Http::Header::Header {
 public:
  NAME("X-Ovo-Error")
  /// `text` is a reason already made one line by error_header_text.
  explicit ovo_error_header(std::string text) : text_(std::move(text)) {}
  void write(std::ostream& os) const override { os << text_; }

 private:
  std::string text_;
};

}  // namespace ovo
