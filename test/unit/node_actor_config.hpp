#pragma once
// The actor_system_config of unit tests that spawn the node's actors: its message types added.

#include "actors/interfaces.hpp"

#include <caf/all.hpp>

namespace ovo::test {

/// One config for the whole test binary (CAF adds message types once per config).
inline caf::actor_system_config& node_actor_config() {
  static caf::actor_system_config config = [] {
    caf::actor_system_config c;
    ovo::add_ovo_message_types(c);
    return c;
  }();
  return config;
}

}  // namespace ovo::test
