#pragma once
// Requests to one peer gathered while its connection actor works through its mailbox, then
// sent as one message; the waiters of a sent batch are kept by id until its answer arrives or
// it is overdue, so every waiter is answered exactly once even when the answer never comes.
//
// Why: each message between nodes costs a wake-up of the middleman thread on both sides, and a
// CAF request timeout costs a wake-up of CAF's clock thread when set and again when cancelled.
// Under load many requests wait in the mailbox at once: one message for all of them, answered
// by a plain message back and timed out by one periodic check, divides those costs.

#include <chrono>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ovo {

template <class Item, class Waiter>
class request_batch {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  void add(Item item, Waiter waiter) {
    items_.push_back(std::move(item));
    waiters_.push_back(std::move(waiter));
  }

  /// True when items wait to be sent.
  bool gathered() const { return !items_.empty(); }

  /// True when a sent batch waits for its answer.
  bool in_flight() const { return !sent_.empty(); }

  /// Moves the gathered items out for sending at `now`; their waiters wait under the returned id.
  std::pair<uint64_t, std::vector<Item>> send(time_point now) {
    const auto id = ++last_id_;
    sent_.emplace(id, sent_batch{now, std::move(waiters_)});
    waiters_ = {};
    auto items = std::move(items_);
    items_ = {};
    return {id, std::move(items)};
  }

  /// The waiters of sent batch `id`, in item order; none when they were answered already.
  std::vector<Waiter> answered(uint64_t id) {
    auto it = sent_.find(id);
    if (it == sent_.end()) return {};
    auto waiters = std::move(it->second.waiters);
    sent_.erase(it);
    return waiters;
  }

  /// The waiters of the batches sent at or before `cutoff` (their answer is overdue).
  std::vector<Waiter> overdue(time_point cutoff) {
    std::vector<Waiter> waiters;
    // Ids grow with time: the oldest batches come first.
    while (!sent_.empty() && sent_.begin()->second.sent_at <= cutoff) {
      for (auto& waiter : sent_.begin()->second.waiters) waiters.push_back(std::move(waiter));
      sent_.erase(sent_.begin());
    }
    return waiters;
  }

  /// Every waiter, gathered or sent (the peer is gone); the batch is empty afterwards.
  std::vector<Waiter> abandon() {
    auto waiters = std::move(waiters_);
    waiters_ = {};
    items_.clear();
    for (auto& [id, batch] : sent_)
      for (auto& waiter : batch.waiters) waiters.push_back(std::move(waiter));
    sent_.clear();
    return waiters;
  }

 private:
  struct sent_batch {
    time_point sent_at;
    std::vector<Waiter> waiters;
  };
  std::vector<Item> items_;
  std::vector<Waiter> waiters_;
  std::map<uint64_t, sent_batch> sent_;
  uint64_t last_id_ = 0;
};

}  // namespace ovo
