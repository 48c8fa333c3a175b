#include "core/sorted_keys.hpp"

#include <algorithm>

namespace ovo {

void sorted_keys::take(int slot, int64_t now_ms, std::vector<std::string_view> keys) {
  std::sort(keys.begin(), keys.end());
  std::size_t bytes = 0;
  for (auto key : keys) bytes += key.size();
  arena_.clear();
  arena_.reserve(bytes);  // no reallocation below: the views stay valid
  for (auto key : keys) arena_.append(key);
  keys_.clear();
  keys_.reserve(keys.size());
  std::size_t offset = 0;
  for (auto key : keys) {
    keys_.emplace_back(arena_.data() + offset, key.size());
    offset += key.size();
  }
  slot_ = slot;
  taken_ms_ = now_ms;
}

bool sorted_keys::fresh_for(int slot, int64_t now_ms) const {
  return slot == slot_ && now_ms - taken_ms_ <= max_age_ms;
}

}  // namespace ovo
