#pragma once
// The owner's side of replication: after a write, send the new state of each touched key to the
// node holding its slot's replica, and answer the client only when every replica answered.

#include <initializer_list>
#include <memory>
#include <string_view>
#include <vector>

#include "actors/interfaces.hpp"
#include "core/logging.hpp"
#include "actors/routing_table.hpp"

namespace ovo {

/// Replicates the current state of `keys` (read from `space`, an object_space or counter_space)
/// to each key's replica holder in `routing` (the table the write was checked against, so the
/// write reaches exactly the holders of one layout; null: none), then delivers `answer`. A key
/// whose slot has no replica costs no snapshot, so a lone node copies nothing. A twin that is
/// unreachable or slower than replicate_timeout does not hold the client up: it is no longer a
/// live copy, and is logged as lagging. With asynchronous replication the answer goes first and
/// the twins follow.
template <class Self, class Space, class Deliver>
void replicate_then_deliver(Self self, const routing_table* routing, Space& space,
                            std::initializer_list<std::string_view> keys, reply answer,
                            Deliver deliver) {
  std::vector<std::pair<peer_connection_actor, replica_write>> sends;
  if (routing)
    for (auto key : keys)
      for (const auto& twin : routing->replicas[static_cast<std::size_t>(slot_of(key))])
        sends.emplace_back(twin, space.snapshot(key));
  if (sends.empty()) {
    deliver(std::move(answer));
    return;
  }
  auto pending = std::make_shared<std::size_t>(sends.size());
  auto shared_answer = std::make_shared<reply>(std::move(answer));
  const bool answer_first = routing->answer_before_replicas;
  if (answer_first) deliver(std::move(*shared_answer));
  auto one_done = [pending, shared_answer, deliver, answer_first] {
    if (--*pending == 0 && !answer_first) deliver(std::move(*shared_answer));
  };
  for (auto& [twin, write] : sends) {
    auto key = write.record.key;
    // No timeout here: the peer connection answers every write at the latest one overdue check
    // after replicate_timeout (at once when the twin goes away), and a timeout per write would
    // cost the clock thread a wake-up per write.
    self->request(twin, caf::infinite, replicate_atom_v, std::move(write))
        .then([one_done](bool) { one_done(); },
              [self, one_done, key](caf::error& err) {
                if (self->state.metrics) ++self->state.metrics->lagging_writes;
                component_log("replication")->warn("replica of {} is lagging: {}", key,
                                                   self->system().render(err));
                one_done();
              });
  }
}

}  // namespace ovo
