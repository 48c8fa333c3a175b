#pragma once
// Time source for TTLs. Shards take it by pointer so tests can advance time instead of sleeping.

#include <atomic>
#include <cstdint>
#include <memory>

namespace ovo {

/// Milliseconds on a monotonic clock (never jumps with wall-clock changes).
class clock_source {
 public:
  virtual ~clock_source() = default;
  virtual int64_t now_ms() const = 0;
};

/// The process-wide steady clock.
std::shared_ptr<const clock_source> steady_clock_source();

/// Wall-clock Unix-epoch milliseconds (may jump): only for versions, which compare across
/// nodes; TTL deadlines use the steady clock.
std::shared_ptr<const clock_source> wall_clock_source();

/// A clock that only moves when told to; for tests.
class manual_clock final : public clock_source {
 public:
  explicit manual_clock(int64_t start_ms = 1'000'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance_ms(int64_t delta) { now_ += delta; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace ovo
