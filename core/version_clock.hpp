#pragma once
// Per-key versions: a hybrid logical clock (docs/cluster.md, "Versions"). The owner of a slot
// stamps every write it applies; every path that installs a copy elsewhere keeps the newer one.
// One 64-bit number per key: wall-clock milliseconds since 2020 (42 bits, ~139 years), a logical
// counter for writes within one millisecond (12 bits), and a tag of the stamping node (10 bits)
// so two nodes never produce the same version.

#include "core/clock.hpp"

#include <cstdint>
#include <memory>
#include <string_view>

namespace ovo {

/// A write's version; 0 is older than every stamped write ("no version").
using version_t = uint64_t;

/// The tag of the node named `name` (10 bits), stamped into the versions it assigns.
uint16_t version_tag_of(std::string_view name);

class version_clock {
 public:
  /// `wall` gives Unix-epoch milliseconds (injectable for tests).
  version_clock(std::shared_ptr<const clock_source> wall, uint16_t tag);

  /// A version newer than every version this clock gave out or observed.
  version_t next();

  /// Takes note of a version stamped elsewhere (a replica write, an arriving slot): later
  /// writes here are newer than it, whatever the two nodes' wall clocks say.
  void observe(version_t seen) {
    if (seen > last_) last_ = seen;
  }

  static constexpr int tag_bits = 10, logical_bits = 12;
  /// The wall-clock milliseconds (since 2020) a version was stamped at.
  static int64_t millis_of(version_t v) {
    return static_cast<int64_t>(v >> (tag_bits + logical_bits));
  }
  /// The newest version any clock could have stamped at Unix millisecond `unix_ms`.
  static version_t latest_at(int64_t unix_ms);

 private:
  std::shared_ptr<const clock_source> wall_;
  uint16_t tag_;
  version_t last_ = 0;
};

}  // namespace ovo
