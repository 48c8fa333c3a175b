#pragma once
// A slot's keys, copied once for the pages of a scan (GET /ovo/scan) and put in byte order only
// as far as the pages read them: each page then costs about its own keys, where walking and
// sorting the whole slot for every page made a scan of a slot of n keys cost n keys per page,
// and sorting the whole copy made the first page cost n log n (docs/performance.md, "Listing
// keys").

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
  /// A read past the ordered keys orders this many more at least, or an eighth of the copy if
  /// that is more: the whole slot is then ordered in at most about eight steps of O(n) each,
  /// never O(n) steps.
  static constexpr std::size_t min_ordering_batch = 1024;

  /// `keys` (views into a table, read during this call only) become the keys of `slot`, taken
  /// at `now_ms`.
  void take(int slot, int64_t now_ms, std::vector<std::string_view> keys);

  /// Whether these are `slot`'s keys, taken at most max_age_ms before `now_ms`, and still
  /// holding every key after `after`.
  bool fresh_for(int slot, int64_t now_ms, std::string_view after) const;

  /// Where the first key after `after` is. When `after` is past the ordered keys, the unordered
  /// ones up to it are dropped, and `after` becomes a floor below which the copy is no longer
  /// fresh (fresh_for).
  std::size_t first_after(std::string_view after);

  /// How many keys the copy holds (fewer once first_after dropped some).
  std::size_t size() const { return keys_.size(); }

  /// The key at `index` (< size()) in byte order.
  std::string_view at(std::size_t index);

 private:
  int slot_ = -1;
  int64_t taken_ms_ = 0;
  std::string floor_;  ///< keys up to this one may have been dropped ("": none)
  std::string arena_;  ///< every key, one after another; keys_ views into it
  /// keys_[0, ordered_) are in byte order and no key after them is smaller.
  std::vector<std::string_view> keys_;
  std::size_t ordered_ = 0;
  std::size_t batch_ = min_ordering_batch;  ///< how many keys a read past ordered_ orders
};

}  // namespace ovo
