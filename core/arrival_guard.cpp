#include "core/arrival_guard.hpp"

namespace ovo {

void arrival_guard::expect(int slot, bool distrust_local) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  w.distrust_local = distrust_local || (w.open && w.distrust_local);
  w.open = true;
}

void arrival_guard::close(int slot) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  w.open = false;
  w.distrust_local = false;
  decltype(w.written){}.swap(w.written);
}

bool arrival_guard::in_transit(std::string_view key, bool stored_here) const {
  const auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  return w.open && (!stored_here || w.distrust_local) &&
         !w.written.contains(absl::string_view(key.data(), key.size()));
}

void arrival_guard::note_write(std::string_view key) {
  auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  if (w.open) w.written.emplace(key);
}

bool arrival_guard::accepts(std::string_view key) {
  auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  return !w.open || w.written.emplace(key).second;
}

std::size_t arrival_guard::remembered() const {
  std::size_t total = 0;
  for (const auto& w : windows_) total += w.written.size();
  return total;
}

}  // namespace ovo
