#pragma once
// Requests to one peer gathered while its connection actor works through its mailbox, then
// sent as one message; the waiters of a sent batch are kept by id until its answer arrives, so
// every waiter is answered exactly once even when the answer never comes (the peer went away).
//
// Why: each message between nodes costs a wake-up of the middleman thread on both sides and a
// timeout in CAF's clock thread. Under load many requests wait in the mailbox at once; one
// message for all of them divides those costs by the batch size.

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ovo {

template <class Item, class Waiter>
class request_batch {
 public:
  void add(Item item, Waiter waiter) {
    items_.push_back(std::move(item));
    waiters_.push_back(std::move(waiter));
  }

  /// True when items wait to be sent.
  bool gathered() const { return !items_.empty(); }

  /// Moves the gathered items out for sending; their waiters wait under the returned id.
  std::pair<uint64_t, std::vector<Item>> send() {
    const auto id = ++last_id_;
    sent_.emplace(id, std::move(waiters_));
    waiters_ = {};
    auto items = std::move(items_);
    items_ = {};
    return {id, std::move(items)};
  }

  /// The waiters of sent batch `id`, in item order; none when they were answered already.
  std::vector<Waiter> answered(uint64_t id) {
    auto it = sent_.find(id);
    if (it == sent_.end()) return {};
    auto waiters = std::move(it->second);
    sent_.erase(it);
    return waiters;
  }

  /// Every waiter, gathered or sent (the peer is gone); the batch is empty afterwards.
  std::vector<Waiter> abandon() {
    auto waiters = std::move(waiters_);
    waiters_ = {};
    items_.clear();
    for (auto& [id, batch] : sent_)
      for (auto& waiter : batch) waiters.push_back(std::move(waiter));
    sent_.clear();
    return waiters;
  }

 private:
  std::vector<Item> items_;
  std::vector<Waiter> waiters_;
  std::unordered_map<uint64_t, std::vector<Waiter>> sent_;
  uint64_t last_id_ = 0;
};

}  // namespace ovo
