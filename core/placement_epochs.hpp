#pragma once
// Since which layout epoch each slot has had the owner and replica holders it has now
// (docs/cluster.md, "Epoch stamps"). A replica write or slot push stamped with an older epoch
// is refused only when the slot's placement changed since that epoch: a layout that changed
// nothing but lagging or arriving lists does not depose the sender, and refusing its writes
// would only take holders out of sync, which reports them lagging, which is one more layout.

#include "core/layout_register.hpp"

#include <cstdint>
#include <vector>

namespace ovo {

class placement_epochs {
 public:
  /// Takes note of an installed layout. Slots whose owner or holders differ from the layout
  /// noted before, every slot when the members changed or an epoch was skipped (what changed
  /// in between is unknown), are placed at its epoch.
  void installed(const agreed_layout& layout);

  /// Whether a sender serving by `epoch` may have had another owner or holders for `slot` than
  /// the installed layout has: a message stamped with it must be refused.
  bool changed_since(int slot, uint64_t epoch) const;

 private:
  agreed_layout last_;
  std::vector<uint64_t> since_;  ///< per slot; empty before the first layout
};

}  // namespace ovo
