#include "core/cluster_figures.hpp"

namespace ovo {

member_state state_of(const node_figures& member) {
  if (!member.node.active || !member.answered) return member_state::down;
  if (member.node.leaving) return member_state::leaving;
  if (member.node.witness) return member_state::witness;
  return member_state::up;
}

const char* state_name(member_state state) {
  switch (state) {
    case member_state::up:
      return "up";
    case member_state::down:
      return "down";
    case member_state::leaving:
      return "leaving";
    case member_state::witness:
      return "witness";
  }
  return "down";
}

}  // namespace ovo
