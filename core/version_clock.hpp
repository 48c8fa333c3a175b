#pragma once
// Per-key versions (docs/cluster.md, "Versions"). The owner of a slot stamps every write it
// applies; every path that installs a copy elsewhere keeps the newer one. A version is the
// layout epoch the write was applied under, compared first, then a hybrid logical clock: one
// 64-bit number of wall-clock milliseconds since 2020 (42 bits, ~139 years), a logical counter
// for writes within one millisecond (12 bits), and a tag of the stamping node (10 bits) so two
// nodes never produce the same version.

#include "core/clock.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace ovo {

/// A write's version. The epoch comes first, so a write applied by an owner the cluster has
/// deposed (it still serves by an older layout) never beats one acknowledged under a newer
/// layout, whatever the two clocks say. {0, 0} is older than every stamped write.
struct version_t {
  uint32_t epoch = 0;  ///< the agreed layout the stamping node served by (at most max_epoch)
  uint64_t clock = 0;  ///< the hybrid logical clock's stamp; 0 only when never written

  /// A stamp of a real write, not "no version".
  bool stamped() const { return clock != 0; }
  /// Epochs above this stamp as this (a stored object keeps a flag beside 31 bits of epoch);
  /// at one layout change a second that is 68 years away.
  static constexpr uint32_t max_epoch = 0x7fff'ffffu;

  friend bool operator==(const version_t& a, const version_t& b) {
    return a.epoch == b.epoch && a.clock == b.clock;
  }
  friend bool operator!=(const version_t& a, const version_t& b) { return !(a == b); }
  friend bool operator<(const version_t& a, const version_t& b) {
    return a.epoch != b.epoch ? a.epoch < b.epoch : a.clock < b.clock;
  }
  friend bool operator>(const version_t& a, const version_t& b) { return b < a; }
  friend bool operator<=(const version_t& a, const version_t& b) { return !(b < a); }
  friend bool operator>=(const version_t& a, const version_t& b) { return !(a < b); }
};

/// The tag of the node named `name` (10 bits), stamped into the versions it assigns.
uint16_t version_tag_of(std::string_view name);

class version_clock {
 public:
  /// `wall` gives Unix-epoch milliseconds (injectable for tests).
  version_clock(std::shared_ptr<const clock_source> wall, uint16_t tag);

  /// A version of the epoch this node serves by, with a clock part above every clock part
  /// this clock gave out or observed.
  version_t next();

  /// Takes note of a version stamped elsewhere (a replica write, an arriving slot): later
  /// writes here under the same or a newer epoch are newer than it, whatever the two nodes'
  /// wall clocks say. Its epoch is not taken: a node stamps only the epoch it serves by.
  void observe(const version_t& seen) {
    if (seen.clock > last_) last_ = seen.clock;
  }

  /// The layout epoch this node serves by from now on (it only grows).
  void serve_epoch(uint64_t epoch);
  /// Serves by epoch 0 again, the one exception to "only grows": this node left the layouts it
  /// agreed alone to join another cluster, and serves by that cluster's epochs from now on.
  void restart_epochs() { epoch_ = 0; }
  uint32_t epoch() const { return epoch_; }

  static constexpr int tag_bits = 10, logical_bits = 12;
  /// The wall-clock milliseconds (since 2020) a clock part was stamped at.
  static int64_t millis_of(uint64_t clock) {
    return static_cast<int64_t>(clock >> (tag_bits + logical_bits));
  }
  /// The newest clock part any clock could have stamped at Unix millisecond `unix_ms`.
  static uint64_t latest_at(int64_t unix_ms);

 private:
  std::shared_ptr<const clock_source> wall_;
  uint16_t tag_;
  uint64_t last_ = 0;
  uint32_t epoch_ = 0;
};

}  // namespace ovo
