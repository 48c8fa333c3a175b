#pragma once
// What the dashboard draws (GET /ovo/dashboard, docs/protocol.md "Dashboard"): every node's
// figures and the slot map, as the node asked sees the cluster. Plain data: actors gather it,
// rest/ encodes it.

#include "core/admin_types.hpp"
#include "core/node_info.hpp"

#include <string>
#include <vector>

namespace ovo {

/// One member: what the view says of it, and its own figures if it answered in time.
struct node_figures {
  node_info node;
  bool answered = false;  ///< false: unreachable, or no answer within the dashboard timeout
  node_status status;     ///< meaningful only when answered
};

/// Where one slot lives.
struct slot_figures {
  std::string owner;                  ///< "" while no node serves it
  std::vector<std::string> replicas;  ///< replica holders
};

struct cluster_figures {
  std::string answered_by;  ///< the node that gathered these figures
  std::vector<node_figures> nodes;
  std::vector<slot_figures> slots;  ///< one per slot, in slot order
};

/// How the dashboard shows a member.
enum class member_state { up, down, leaving, witness };

/// Down: inactive in the view or silent; else leaving, witness or up, in that order.
member_state state_of(const node_figures& member);

/// "up", "down", "leaving", "witness".
const char* state_name(member_state state);

}  // namespace ovo
