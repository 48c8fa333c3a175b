#pragma once
// Keys back to back in one buffer, with where each ends: a slice of a key listing or a scan
// page then costs the shard a copy per key instead of an allocation per key
// (docs/performance.md, "Listing keys"). Replies carry keys this way, over the network too.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

struct packed_keys {
  std::string bytes;
  std::vector<uint64_t> ends;  ///< where each key ends in `bytes`

  std::size_t size() const { return ends.size(); }
  bool empty() const { return ends.empty(); }
  /// The key at `i` (< size()). Ends that do not fit `bytes` (a bad message from a peer) read
  /// as a shorter or empty key, never past the buffer.
  std::string_view operator[](std::size_t i) const {
    const std::string_view all(bytes);
    const auto end = std::min<uint64_t>(ends[i], all.size());
    const auto begin = std::min<uint64_t>(i == 0 ? 0 : ends[i - 1], end);
    return all.substr(begin, end - begin);
  }
  std::string_view back() const { return (*this)[size() - 1]; }
  void push_back(std::string_view key) {
    bytes.append(key);
    ends.push_back(bytes.size());
  }
  /// No reserve here: a listing appends a thousand slices, and a vector reserved to the exact
  /// size each time is copied whole each time.
  void append(const packed_keys& more) {
    for (std::size_t i = 0; i < more.size(); ++i) push_back(more[i]);
  }
  /// Keeps the first `count` keys.
  void truncate(std::size_t count) {
    if (count >= size()) return;
    bytes.resize(count == 0 ? 0 : std::min<uint64_t>(ends[count - 1], bytes.size()));
    ends.resize(count);
  }
};

}  // namespace ovo
