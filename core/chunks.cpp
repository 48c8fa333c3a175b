#include "core/chunks.hpp"

namespace ovo {
std::size_t wire_size(const replica_write& write) {
  return write.record.key.size() + write.record.value.size() + write.record.collection.size() + 48;
}

std::vector<std::size_t> chunk_ends(const std::vector<replica_write>& entries,
                                    std::size_t max_entries, std::size_t max_bytes) {
  std::vector<std::size_t> ends;
  std::size_t count = 0, bytes = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto size = wire_size(entries[i]);
    if (count > 0 && (count == max_entries || bytes + size > max_bytes)) {
      ends.push_back(i);
      count = 0;
      bytes = 0;
    }
    ++count;
    bytes += size;
  }
  ends.push_back(entries.size());
  return ends;
}

}  // namespace ovo
