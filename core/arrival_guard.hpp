#pragma once
// While a slot's data is still arriving from the node that held it, a write made here is newer
// than the copy in transit. The guard remembers the keys written here during that window, so
// the arriving copy of such a key is dropped instead of overwriting (or resurrecting) it.

#include "core/slot_hash.hpp"

#include <absl/container/flat_hash_set.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ovo {

class arrival_guard {
 public:
  /// Opens (or extends) the window of `slot` until `until_ms`.
  void expect(int slot, int64_t until_ms);

  /// Closes the slot's window: its entries were dropped here, so nothing remembered still holds.
  void forget(int slot);

  /// The slot's data arrived: reads no longer need to ask the previous holder.
  void arrived(int slot);

  /// Whether `key`'s current state may still be on the previous holder only: its slot's data
  /// has not arrived, and the key was neither written here nor received yet.
  bool in_transit(std::string_view key, int64_t now_ms);

  /// A local write or delete of `key` (ignored outside a window).
  void note_write(std::string_view key, int64_t now_ms);

  /// Whether an arriving copy of `key` may be stored. The first arriving copy wins over later
  /// ones too (they can only be older), so an accepted key is remembered like a local write.
  /// Outside a window every copy is accepted.
  bool accepts(std::string_view key, int64_t now_ms);

  /// Keys remembered over all slots (for tests and logs).
  std::size_t remembered() const;

 private:
  struct window {
    int64_t until_ms = 0;
    bool arrived = false;
    absl::flat_hash_set<std::string> written;
  };
  /// The window of `slot` if it is open at `now_ms`; a closed one is emptied.
  window* open_window(int slot, int64_t now_ms);

  std::array<window, slot_count> windows_;
};

}  // namespace ovo
