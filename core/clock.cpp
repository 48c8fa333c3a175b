#include "core/clock.hpp"

#include <chrono>

namespace ovo {
namespace {

class steady_clock_impl final : public clock_source {
 public:
  int64_t now_ms() const override {
    using namespace std::chrono;
    // +1 s keeps every real deadline strictly positive: 0 means "no deadline".
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count() + 1000;
  }
};

class wall_clock_impl final : public clock_source {
 public:
  int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace

std::shared_ptr<const clock_source> wall_clock_source() {
  static const auto instance = std::make_shared<wall_clock_impl>();
  return instance;
}

std::shared_ptr<const clock_source> steady_clock_source() {
  static const auto instance = std::make_shared<steady_clock_impl>();
  return instance;
}

}  // namespace ovo
