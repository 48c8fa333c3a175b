#include "core/sorted_keys.hpp"

#include <algorithm>

namespace ovo {

void sorted_keys::take(int slot, int64_t now_ms, std::vector<std::string_view> keys) {
  std::size_t bytes = 0;
  for (auto key : keys) bytes += key.size();
  arena_.clear();
  arena_.reserve(bytes);  // no reallocation below: the views stay valid
  keys_.clear();
  keys_.reserve(keys.size());
  // Copied before they are ordered: the comparisons then read one buffer, not keys scattered
  // over the table (a cache miss each).
  for (auto key : keys) {
    keys_.emplace_back(arena_.data() + arena_.size(), key.size());
    arena_.append(key);
  }
  ordered_ = 0;
  batch_ = std::max(min_ordering_batch, keys_.size() / 8);
  floor_.clear();
  slot_ = slot;
  taken_ms_ = now_ms;
}

bool sorted_keys::fresh_for(int slot, int64_t now_ms, std::string_view after) const {
  return slot == slot_ && now_ms - taken_ms_ <= max_age_ms && after >= floor_;
}

std::size_t sorted_keys::first_after(std::string_view after) {
  if (ordered_ > 0 && after < keys_[ordered_ - 1])
    return std::upper_bound(keys_.begin(), keys_.begin() + ordered_, after) - keys_.begin();
  // Past the ordered keys: the unordered ones up to `after` will never be read, and ordering
  // them only to skip them would cost what this class saves.
  const auto kept = std::remove_if(keys_.begin() + ordered_, keys_.end(),
                                   [after](std::string_view key) { return key <= after; });
  keys_.erase(kept, keys_.end());
  if (after > floor_) floor_ = after;
  return ordered_;
}

std::string_view sorted_keys::at(std::size_t index) {
  if (index >= ordered_) {
    const auto end = std::min(keys_.size(), std::max(index + 1, ordered_ + batch_));
    const auto first = keys_.begin() + ordered_;
    const auto last = keys_.begin() + end;
    std::nth_element(first, last - 1, keys_.end());
    std::sort(first, last - 1);
    ordered_ = end;
  }
  return keys_[index];
}

}  // namespace ovo
