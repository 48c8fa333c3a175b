#pragma once
// What one stored entry costs in "accounted bytes": the figure a shard adds up and holds against
// its share of Settings.MaxMemoryBytes (docs/memory.md, "Accounting"). A model of glibc's
// chunks and the hash tables' slots, not a measurement: it is exact in that an entry's removal
// subtracts what its insertion added, and docs/memory.md compares it with RSS.

#include <cstddef>

namespace ovo::memory_cost {

/// The heap chunk glibc hands out for `bytes`: 8 bytes of header, 16-byte steps, 32 at least.
constexpr std::size_t heap_chunk(std::size_t bytes) {
  const std::size_t chunk = (bytes + 8 + 15) & ~std::size_t{15};
  return chunk < 32 ? 32 : chunk;
}

/// One element of an absl flat hash table: the slot and its control byte, at the two-thirds
/// load a growing table averages (it doubles at seven eighths).
constexpr std::size_t table_entry(std::size_t slot_bytes) { return (slot_bytes + 1) * 3 / 2; }

/// One element of a std::vector that grows by doubling, at the two-thirds load it averages.
constexpr std::size_t array_entry(std::size_t element_bytes) { return element_bytes * 3 / 2; }

/// A std::string key's heap block (none up to 15 bytes: they fit in the string itself).
constexpr std::size_t string_heap(std::size_t length) {
  return length <= 15 ? 0 : heap_chunk(length + 1);
}

/// An object: its block (stored_object.hpp), one pointer in its slot's table and, with a
/// deadline, an entry in the shard's expiry heap (expiry_heap.hpp).
std::size_t object(std::size_t key, std::size_t value, std::size_t collection, bool with_deadline);

/// A remembered delete (tombstones.hpp): std::string key, version (16 bytes: epoch and clock
/// part), retention deadline.
constexpr std::size_t tombstone(std::size_t key) { return table_entry(32 + 24) + string_heap(key); }

/// A counter (tables.hpp counter_map): std::string key, value, deadline, version (16 bytes).
constexpr std::size_t counter(std::size_t key) { return table_entry(32 + 32) + string_heap(key); }

}  // namespace ovo::memory_cost
