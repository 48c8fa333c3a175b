#pragma once
#include <cstdint>
#include <string_view>

namespace ovo {

/// Number of hash slots in an OVO cluster.
inline constexpr int slot_count = 128;

/// The Go client's GetPositiveHashCode(key, slots): the slot a key lives in (docs/protocol.md).
int hash_slot(std::string_view key, int slots);

/// The slot of `key` in a 128-slot cluster.
inline int slot_of(std::string_view key) { return hash_slot(key, slot_count); }

}  // namespace ovo
