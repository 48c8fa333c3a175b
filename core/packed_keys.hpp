#pragma once
// Keys back to back in one buffer, with where each ends: a slice of a key listing then costs
// the shard a copy per key instead of an allocation per key (docs/performance.md, "Listing
// keys"); the keyspace, at idle priority, makes the strings.

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
  std::string_view operator[](std::size_t i) const {
    const auto begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(bytes).substr(begin, ends[i] - begin);
  }
  void push_back(std::string_view key) {
    bytes.append(key);
    ends.push_back(bytes.size());
  }
};

}  // namespace ovo
