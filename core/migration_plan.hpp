#pragma once
// Which slots this node must send where after the layout changed. Plain logic: the slot mover
// actor carries the plan out.
//
// Each slot is held by its serving owner and its replica holder. After a change, the node that
// served a slot at the last pass (or serves it now) sends the slot's data to every holder that
// did not hold it at the last pass; a node left with data of a slot it no longer holds sends
// it to the current holders. A node that is no holder any more drops the slot once every
// receiver confirmed. Receivers keep what was written on them meanwhile (arrival_guard), so
// sending too much is harmless and sending too little is what the rules prevent.

#include "core/cluster_view.hpp"

#include <array>
#include <string>
#include <vector>

namespace ovo {

/// The holders of one slot.
struct slot_holders {
  holder_id owner;
  std::vector<holder_id> replicas;
  bool operator==(const slot_holders& other) const {
    return owner == other.owner && replicas == other.replicas;
  }
};
using holder_map = std::array<slot_holders, slot_count>;

/// The holders of every slot in `view`.
holder_map holders_of(const cluster_view& view);

/// One slot to send.
struct slot_push {
  int slot = 0;
  std::vector<holder_id> targets;  ///< the holders to send the slot to
  bool drop_after = false;         ///< this node no longer holds the slot
  /// This node served the slot at the last pass or serves it now, so it has everything
  /// acknowledged in it: its push ends the receivers' arrival. Any other sender's data is
  /// merged without ending it (the receiver pulls from the slot's previous holder).
  bool complete = false;
};

/// The pushes this node (`me`) owes after the layout went from `last` to `now`, given which
/// slots it has data for.
std::vector<slot_push> plan_pushes(const holder_map& last, const holder_map& now,
                                   const holder_id& me,
                                   const std::array<bool, slot_count>& has_data);

}  // namespace ovo
