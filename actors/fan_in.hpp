#pragma once
// "Ask N actors, answer when all replied", written once: each request reports a value or a
// failure under its index, and `done` runs once, after the last report, with everything.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ovo {

/// What N requests reported, in the order of their indexes.
template <class T>
struct fan_in_result {
  std::vector<T> values;  ///< default-constructed where a request failed
  std::size_t failures = 0;
  std::string first_failure;  ///< why the first failed request failed
  bool all_ok() const { return failures == 0; }
};

template <class T>
class fan_in {
 public:
  using done_fn = std::function<void(fan_in_result<T>&)>;

  /// Expects `count` reports; with none, `done` runs at once.
  static std::shared_ptr<fan_in> start(std::size_t count, done_fn done) {
    auto self = std::shared_ptr<fan_in>(new fan_in(count, std::move(done)));
    if (count == 0) self->done_(self->result_);
    return self;
  }

  /// Request `index` answered `value`.
  void value(std::size_t index, T value) {
    result_.values[index] = std::move(value);
    report();
  }

  /// Request `index` failed because of `why`.
  void failure(std::size_t /*index*/, std::string why) {
    if (result_.failures++ == 0) result_.first_failure = std::move(why);
    report();
  }

 private:
  fan_in(std::size_t count, done_fn done) : pending_(count), done_(std::move(done)) {
    result_.values.resize(count);
  }
  void report() {
    if (--pending_ == 0) done_(result_);
  }

  std::size_t pending_;
  done_fn done_;
  fan_in_result<T> result_;
};

}  // namespace ovo
