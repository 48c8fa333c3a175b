#pragma once
// The replies to commands routed together (a bulk request, local_node::route_many): one sink per
// command, each delivered by whichever actor or thread answers it; after the last one, `done`
// gets every reply in command order. fan_in.hpp is this shape inside one actor; here the sinks
// are delivered from many threads, so the count is atomic and each reply has its own place.

#include "actors/interfaces.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace ovo {

class gathered_replies {
 public:
  using done_fn = std::function<void(std::vector<reply>)>;

  /// `count` sinks, one per command in order; with none, `done` runs at once. A sink dropped
  /// without a reply (its actor stopped) counts as 503/"14", so `done` always runs.
  static std::vector<reply_sink_ptr> start(std::size_t count, done_fn done);

 private:
  struct state {
    std::vector<reply> replies;
    std::atomic<std::size_t> pending;
    done_fn done;
  };

  class sink final : public reply_sink {
   public:
    sink(std::shared_ptr<state> shared, std::size_t index)
        : shared_(std::move(shared)), index_(index) {}
    ~sink() override;
    void deliver(reply answer) override;

   private:
    std::shared_ptr<state> shared_;
    std::size_t index_;
    bool delivered_ = false;
  };
};

}  // namespace ovo
