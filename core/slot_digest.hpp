#pragma once
// Anti-entropy's pure part (docs/cluster.md, "Anti-entropy"): a digest of what a slot holds that
// two copies can compare cheaply, and, when digests differ, the key-by-key comparison of their
// summaries that says which copy has the newer state of each key.

#include "core/version_clock.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

/// One key of a slot's summary: what a copy holds for it, without the value.
struct key_version {
  std::string key;
  version_t version;
  bool counter = false;  ///< counter namespace instead of objects
  bool erased = false;   ///< a delete, remembered by its tombstone
};

/// One live entry's share of a slot digest. A digest is the XOR of its entries' shares, so it
/// does not depend on the order of a hash table, and two copies holding the same keys at the
/// same versions have the same digest. The namespaces hash differently, so an object and a
/// counter of one name and version do not cancel out.
uint64_t digest_share(std::string_view key, version_t version, bool counter);

/// Where two copies of one slot differ.
struct slot_differences {
  std::vector<key_version> newer_here;   ///< the other copy needs these states from here
  std::vector<key_version> newer_there;  ///< this copy needs these states from the other
};

/// Compares two summaries of one slot. A key differs when the copies hold different versions of
/// it and at least one holds it live (a tombstone against nothing is no difference: tombstones
/// are collected at different times). Differences whose newer version's clock part is above
/// `settled` (version_clock::latest_at) are left out: that write may still be on its way to the
/// other copy.
slot_differences compare_summaries(const std::vector<key_version>& here,
                                   const std::vector<key_version>& there, uint64_t settled);

}  // namespace ovo
