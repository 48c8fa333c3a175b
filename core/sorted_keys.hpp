#pragma once
// A slot's keys in byte order, copied once for the pages of a scan (GET /ovo/scan): each page
// then costs its own keys, where walking and sorting the whole slot for every page made a scan
// of a slot of n keys cost n keys per page (docs/performance.md, "Listing keys").

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

class sorted_keys {
 public:
  /// A copy older than this is taken again, so that a scan paused mid-slot does not go on
  /// from keys that are long gone or miss many new ones.
  static constexpr int64_t max_age_ms = 10'000;

  /// `keys` (views into a table, read during this call only) become the keys of `slot`, taken
  /// at `now_ms`.
  void take(int slot, int64_t now_ms, std::vector<std::string_view> keys);

  /// Whether these are `slot`'s keys, taken at most max_age_ms before `now_ms`.
  bool fresh_for(int slot, int64_t now_ms) const;

  /// The keys, in byte order.
  const std::vector<std::string_view>& keys() const { return keys_; }

 private:
  int slot_ = -1;
  int64_t taken_ms_ = 0;
  std::string arena_;  ///< every key, one after another, in order; keys_ views into it
  std::vector<std::string_view> keys_;
};

}  // namespace ovo
