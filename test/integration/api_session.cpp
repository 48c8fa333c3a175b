#include "test/integration/api_session.hpp"

#include "core/base64.hpp"

namespace ovo::test {

std::string api_session::value_of(const std::string& key) {
  auto response = call("GET", "/ovo/keystorage/" + url_encode(key));
  if (response.status != 200) return "<" + response.code() + ">";
  auto decoded = ovo::decode_base64(response.envelope()["Data"]["Data"].get<std::string>());
  return decoded ? *decoded : "<bad base64>";
}

std::string url_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace ovo::test
