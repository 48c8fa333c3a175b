#include "core/placement_epochs.hpp"

#include <cstddef>

namespace ovo {

namespace {

/// The owner or holders of `slot` differ between two layouts.
bool placed_differently(const agreed_layout& a, const agreed_layout& b, std::size_t slot) {
  return a.owners[slot] != b.owners[slot] || a.replicas[slot] != b.replicas[slot];
}

}  // namespace

void placement_epochs::installed(const agreed_layout& layout) {
  if (layout.epoch <= last_.epoch) return;
  const bool comparable = last_.epoch > 0 && layout.epoch == last_.epoch + 1 &&
                          layout.members == last_.members &&
                          layout.member_ids == last_.member_ids && layout.down == last_.down &&
                          layout.owners.size() == last_.owners.size() &&
                          layout.replicas.size() == last_.replicas.size();
  since_.resize(layout.owners.size(), layout.epoch);
  for (std::size_t slot = 0; slot < since_.size(); ++slot)
    if (!comparable || placed_differently(last_, layout, slot)) since_[slot] = layout.epoch;
  last_ = layout;
}

bool placement_epochs::changed_since(int slot, uint64_t epoch) const {
  const auto index = static_cast<std::size_t>(slot);
  if (index >= since_.size()) return epoch < last_.epoch;
  return epoch < since_[index];
}

}  // namespace ovo
