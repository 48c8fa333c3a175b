#include "rest/error_header.hpp"

namespace ovo {

std::string error_header_text(std::string_view reason) {
  static constexpr char hex[] = "0123456789abcdef";
  static constexpr std::string_view ellipsis = "...";
  std::string out;
  std::size_t cut = 0;  // where to cut, between escapes, if the whole reason does not fit
  for (const char c : reason) {
    if (out.size() <= max_error_header_bytes - ellipsis.size()) cut = out.size();
    if (out.size() > max_error_header_bytes) break;
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && c != '\\') {
      out += c;
    } else {
      out += "\\x";
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  if (out.size() <= max_error_header_bytes) return out;
  out.resize(cut);
  out += ellipsis;
  return out;
}

}  // namespace ovo
