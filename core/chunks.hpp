#pragma once
// Slots move in chunks of bounded size (docs/cluster.md, "The life of a slot"), so a slot of any
// size moves without a message of its size.

#include "core/object_record.hpp"

#include <cstddef>
#include <vector>

namespace ovo {

/// Roughly what an entry costs on the wire: its bytes plus the fixed fields.
std::size_t wire_size(const replica_write& write);

/// Where each chunk of `entries` ends (exclusive indexes, in order): at most `max_entries`
/// entries and about `max_bytes` bytes a chunk; an entry larger than that travels alone. No
/// entries give one empty chunk, so the receiver still learns the slot is complete.
std::vector<std::size_t> chunk_ends(const std::vector<replica_write>& entries,
                                    std::size_t max_entries, std::size_t max_bytes);

}  // namespace ovo
