#include "core/memory_limit.hpp"

namespace ovo {

const char* to_string(eviction_policy policy) {
  return policy == eviction_policy::noeviction ? "noeviction" : "clock";
}

std::optional<eviction_policy> eviction_policy_named(std::string_view text) {
  if (text == "clock") return eviction_policy::clock;
  if (text == "noeviction") return eviction_policy::noeviction;
  return std::nullopt;
}

}  // namespace ovo
