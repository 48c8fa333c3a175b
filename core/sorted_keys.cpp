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
  // Copied first, sorted after: the comparisons then read one buffer, not keys scattered over
  // the table (a cache miss each).
  for (auto key : keys) {
    keys_.emplace_back(arena_.data() + arena_.size(), key.size());
    arena_.append(key);
  }
  std::sort(keys_.begin(), keys_.end());
  slot_ = slot;
  taken_ms_ = now_ms;
}

bool sorted_keys::fresh_for(int slot, int64_t now_ms) const {
  return slot == slot_ && now_ms - taken_ms_ <= max_age_ms;
}

}  // namespace ovo
