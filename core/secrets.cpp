#include "core/secrets.hpp"

namespace ovo {

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  // Walk the presented length whatever it is, so a short guess is not cheaper to reject.
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  constexpr std::string_view mapped = "::ffff:";
  if (host.substr(0, mapped.size()) == mapped) host.remove_prefix(mapped.size());
  return host.substr(0, 4) == "127.";
}

}  // namespace ovo
