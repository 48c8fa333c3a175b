#include "core/arrival_guard.hpp"

namespace ovo {

void arrival_guard::expect(int slot, bool distrust_local) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  if (distrust_local) {
    close(slot);
    w.distrust_local = true;
  }
  w.open = true;
}

void arrival_guard::expect_again(int slot) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  const bool distrusted = w.open && w.distrust_local;
  close(slot);
  w.open = true;
  w.distrust_local = distrusted;
  w.recheck_local = !distrusted;
}

void arrival_guard::close(int slot) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  w.open = false;
  w.distrust_local = false;
  w.recheck_local = false;
  decltype(w.written){}.swap(w.written);
  decltype(w.received){}.swap(w.received);
  decltype(w.arrived){}.swap(w.arrived);
}

bool arrival_guard::confirmed(std::string_view key) const {
  const auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  const absl::string_view k(key.data(), key.size());
  return w.written.contains(k) || w.received.contains(k) || w.arrived.contains(k);
}

bool arrival_guard::in_transit(std::string_view key, bool stored_here) const {
  const auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  if (!w.open) return false;
  const absl::string_view k(key.data(), key.size());
  if (w.written.contains(k)) return false;
  return !stored_here || ((w.distrust_local || w.recheck_local) && !w.received.contains(k));
}

void arrival_guard::note_write(std::string_view key) {
  auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  if (w.open) w.written.emplace(key);
}

arrival_guard::admission arrival_guard::admit(std::string_view key, bool read_through) {
  auto& w = windows_[static_cast<std::size_t>(slot_of(key))];
  if (!w.open) return admission::if_newer;
  const absl::string_view k(key.data(), key.size());
  if (w.written.contains(k)) return admission::refused;
  if (!w.distrust_local) {
    if (w.recheck_local && read_through) w.received.emplace(k);
    return admission::if_newer;
  }
  if (!read_through) {
    w.arrived.emplace(k);
    return admission::if_newer;
  }
  return w.received.emplace(k).second ? admission::replaces : admission::if_newer;
}

std::size_t arrival_guard::remembered() const {
  std::size_t total = 0;
  for (const auto& w : windows_) total += w.written.size() + w.received.size() + w.arrived.size();
  return total;
}

}  // namespace ovo
