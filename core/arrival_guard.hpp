#pragma once
// While a slot's data is still arriving from the node that held it, a write made here is newer
// than the copy in transit. The guard remembers the keys written here during that window, so
// the arriving copy of such a key is dropped instead of overwriting (or resurrecting) it. A
// window closes when the slot's data has arrived (or the slot was dropped here), never on a
// timer: a transfer may take as long as it takes (docs/cluster.md, "The life of a slot").

#include "core/slot_hash.hpp"

#include <absl/container/flat_hash_set.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ovo {

class arrival_guard {
 public:
  /// Opens the window of `slot`: its data is on its way. `distrust_local`: what is stored here
  /// may be stale (a node back from a minority, whose earlier writes others have built on), so
  /// even keys held here are read from the previous holder first, and what the window
  /// remembered so far is forgotten.
  void expect(int slot, bool distrust_local = false);

  /// Opens the window of `slot` anew for a slot this node held before and is given back while it
  /// still has entries of it or its earlier window is open: what is stored here may be older
  /// than what the node that served the slot since holds, and what the earlier window
  /// remembered is forgotten. Keys held here are read from the previous holder once more, and a
  /// copy read there is installed if newer (a distrusted window stays distrusted).
  void expect_again(int slot);

  /// Closes the slot's window: its data arrived, or the slot was dropped here. What it
  /// remembered no longer matters.
  void close(int slot);

  /// Whether `key`'s current state may still be on the previous holder only: its slot's data
  /// has not arrived, the key was not written here, and it is not stored here (`stored_here`)
  /// or what is stored here is not trusted (and no copy was read through since).
  bool in_transit(std::string_view key, bool stored_here) const;

  /// A local write or delete of `key` (ignored outside a window).
  void note_write(std::string_view key);

  /// What to do with an arriving copy of `key` (admit): refuse it when the key was written here
  /// during the window; otherwise install it if newer. While what is here is distrusted, the
  /// first copy of a key read from the node that served the slot (`read_through`) replaces
  /// what is here whatever the versions say, and makes the key trusted: a node that was taken
  /// over may have applied writes the node that served meanwhile refused, never acknowledged,
  /// whose versions may still be the newest. A copy in the slot's data (a chunk) does neither:
  /// it may have been dumped before the serving node's last writes (a pull asked before this
  /// node distrusted its copies once more), so the key is still read through before use.
  enum class admission { refused, if_newer, replaces };
  admission admit(std::string_view key, bool read_through);

  /// Whether the window of `slot` is open (its data has not arrived).
  bool is_open(int slot) const { return windows_[static_cast<std::size_t>(slot)].open; }
  /// Whether what is stored here for `slot` is distrusted (expect's `distrust_local`).
  bool distrusted(int slot) const {
    const auto& w = windows_[static_cast<std::size_t>(slot)];
    return w.open && w.distrust_local;
  }
  /// In a distrusted window: whether `key` was confirmed since it opened, by the slot's data
  /// (a chunk), a read-through or a write here. When the last chunk arrived, what is stored
  /// here unconfirmed is a copy the node that served the slot no longer has: deleted there,
  /// its tombstone maybe collected (docs/cluster.md, "Partitions").
  bool confirmed(std::string_view key) const;

  /// Keys remembered over all slots (for tests and logs).
  std::size_t remembered() const;

 private:
  struct window {
    bool open = false;
    bool distrust_local = false;
    bool recheck_local = false;  ///< expect_again: held keys are read through, kept if newer
    absl::flat_hash_set<std::string> written;   ///< local writes: newer than any copy in transit
    absl::flat_hash_set<std::string> received;  ///< copies read through: trusted like local data
    /// Distrusted windows only: keys the slot's data brought (kept or not).
    absl::flat_hash_set<std::string> arrived;
  };

  std::array<window, slot_count> windows_;
};

}  // namespace ovo
