#include "core/version_clock.hpp"

#include <algorithm>
#include <functional>

namespace ovo {
namespace {

/// 2020-01-01T00:00:00Z in Unix milliseconds: clock parts count from there.
constexpr int64_t clock_origin_ms = 1'577'836'800'000;
constexpr uint64_t tag_mask = (uint64_t{1} << version_clock::tag_bits) - 1;
constexpr uint64_t logical_one = uint64_t{1} << version_clock::tag_bits;

}  // namespace

uint16_t version_tag_of(std::string_view name) {
  return static_cast<uint16_t>(std::hash<std::string_view>{}(name)&tag_mask);
}

version_clock::version_clock(std::shared_ptr<const clock_source> wall, uint16_t tag)
    : wall_(std::move(wall)), tag_(static_cast<uint16_t>(tag & tag_mask)) {}

uint64_t version_clock::latest_at(int64_t unix_ms) {
  const int64_t since_origin = unix_ms - clock_origin_ms;
  if (since_origin < 0) return 0;
  return ((static_cast<uint64_t>(since_origin) + 1) << (tag_bits + logical_bits)) - 1;
}

void version_clock::serve_epoch(uint64_t epoch) {
  const auto capped = static_cast<uint32_t>(std::min<uint64_t>(epoch, version_t::max_epoch));
  if (capped > epoch_) epoch_ = capped;
}

version_t version_clock::next() {
  const int64_t since_origin = wall_->now_ms() - clock_origin_ms;
  const auto physical = static_cast<uint64_t>(since_origin > 0 ? since_origin : 0)
                        << (tag_bits + logical_bits);
  const uint64_t candidate = physical | tag_;
  if (candidate > last_) {
    last_ = candidate;
  } else {
    // Same millisecond (or a clock behind what was observed): count on logically. Clearing the
    // tag and adding one logical step is above every version with the same time and counter;
    // an overflowing counter carries into the milliseconds, running slightly ahead of the wall.
    last_ = ((last_ & ~tag_mask) + logical_one) | tag_;
  }
  return {epoch_, last_};
}

}  // namespace ovo
