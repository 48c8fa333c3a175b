#include "core/arrival_guard.hpp"

#include <algorithm>

namespace ovo {

void arrival_guard::expect(int slot, int64_t until_ms) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  w.until_ms = std::max(w.until_ms, until_ms);
  w.arrived = false;
}

void arrival_guard::forget(int slot) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  w.until_ms = 0;
  w.arrived = false;
  decltype(w.written){}.swap(w.written);
}

void arrival_guard::arrived(int slot) { windows_[static_cast<std::size_t>(slot)].arrived = true; }

bool arrival_guard::in_transit(std::string_view key, int64_t now_ms) {
  auto* w = open_window(slot_of(key), now_ms);
  return w && !w->arrived && !w->written.contains(absl::string_view(key.data(), key.size()));
}

arrival_guard::window* arrival_guard::open_window(int slot, int64_t now_ms) {
  auto& w = windows_[static_cast<std::size_t>(slot)];
  if (w.until_ms == 0) return nullptr;
  if (now_ms >= w.until_ms) {
    forget(slot);
    return nullptr;
  }
  return &w;
}

void arrival_guard::note_write(std::string_view key, int64_t now_ms) {
  if (auto* w = open_window(slot_of(key), now_ms)) w->written.emplace(key);
}

bool arrival_guard::accepts(std::string_view key, int64_t now_ms) {
  auto* w = open_window(slot_of(key), now_ms);
  return !w || w->written.emplace(key).second;
}

std::size_t arrival_guard::remembered() const {
  std::size_t total = 0;
  for (const auto& w : windows_) total += w.written.size();
  return total;
}

}  // namespace ovo
