#include "core/version_clock.hpp"

#include <functional>

namespace ovo {
namespace {

/// 2020-01-01T00:00:00Z in Unix milliseconds: versions count from there.
constexpr int64_t version_epoch_ms = 1'577'836'800'000;
constexpr version_t tag_mask = (version_t{1} << version_clock::tag_bits) - 1;
constexpr version_t logical_one = version_t{1} << version_clock::tag_bits;

}  // namespace

uint16_t version_tag_of(std::string_view name) {
  return static_cast<uint16_t>(std::hash<std::string_view>{}(name)&tag_mask);
}

version_clock::version_clock(std::shared_ptr<const clock_source> wall, uint16_t tag)
    : wall_(std::move(wall)), tag_(static_cast<uint16_t>(tag & tag_mask)) {}

version_t version_clock::latest_at(int64_t unix_ms) {
  const int64_t since_epoch = unix_ms - version_epoch_ms;
  if (since_epoch < 0) return 0;
  return ((static_cast<version_t>(since_epoch) + 1) << (tag_bits + logical_bits)) - 1;
}

version_t version_clock::next() {
  const int64_t since_epoch = wall_->now_ms() - version_epoch_ms;
  const auto physical = static_cast<version_t>(since_epoch > 0 ? since_epoch : 0)
                        << (tag_bits + logical_bits);
  const version_t candidate = physical | tag_;
  if (candidate > last_) {
    last_ = candidate;
  } else {
    // Same millisecond (or a clock behind what was observed): count on logically. Clearing the
    // tag and adding one logical step is above every version with the same time and counter;
    // an overflowing counter carries into the milliseconds, running slightly ahead of the wall.
    last_ = ((last_ & ~tag_mask) + logical_one) | tag_;
  }
  return last_;
}

}  // namespace ovo
