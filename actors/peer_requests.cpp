#include "actors/peer_requests.hpp"

#include "actors/fan_in.hpp"
#include "core/logging.hpp"
#include "core/slot_layout.hpp"

#include <memory>

namespace ovo {

shard_actor shard_for_slot(cluster_manager_self self, int slot) {
  const auto& shards = self->state.local.shards;
  return shards[shard_of_slot(slot, shards.size())];
}

shard_actor shard_for(cluster_manager_self self, const std::string& key) {
  return shard_for_slot(self, slot_of(key));
}

namespace {

/// Runs `cmd` on the shard holding its key and passes its reply to `answer`, or a CAF
/// error to `failed`. That actor passes it on if this node's view says another node owns the
/// key (owner_check.hpp). Local actors always answer: no timeout.
template <class Answer, class Failed>
void run_forwarded(cluster_manager_self self, command cmd, Answer answer, Failed failed) {
  if (is_node_wide_op(cmd.kind)) {
    auto refused = failure(status::bad_request, "node-wide commands are not forwarded");
    answer(refused);
    return;
  }
  auto shard = shard_for(self, cmd.key);
  self->request(shard, caf::infinite, exec_atom_v, std::move(cmd)).then(answer, failed);
}

}  // namespace

caf::result<reply> serve_forwarded(cluster_manager_self self, command cmd) {
  auto promise = self->make_response_promise<reply>();
  run_forwarded(
      self, std::move(cmd),
      [promise](reply& answer) mutable { promise.deliver(std::move(answer)); },
      [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
  return promise;
}

void serve_forwarded(cluster_manager_self self, std::vector<command> commands,
                     std::function<void(std::vector<reply>)> done) {
  if (commands.empty()) {
    done({});
    return;
  }
  // The replies of the batch are handed on together, in order, once the last one is in.
  auto gathered = fan_in<reply>::start(
      commands.size(), [done](fan_in_result<reply>& all) { done(std::move(all.values)); });
  for (std::size_t i = 0; i < commands.size(); ++i)
    run_forwarded(
        self, std::move(commands[i]),
        [gathered, i](reply& answer) { gathered->value(i, std::move(answer)); },
        [self, gathered, i](caf::error& err) {
          gathered->value(i, failure(status::unavailable, "this node could not serve the key: " +
                                                              self->system().render(err)));
        });
}

void apply_replicas(cluster_manager_self self, std::vector<replica_write> writes,
                    std::function<void(bool)> done) {
  if (writes.empty()) {
    done(true);
    return;
  }
  auto stored = fan_in<bool>::start(writes.size(), [self, done](fan_in_result<bool>& all) {
    if (!all.all_ok())
      component_log("replication")
          ->warn("{} replica writes from a peer were not stored: {}", all.failures,
                 all.first_failure);
    done(all.all_ok());
  });
  // Requests to one actor arrive in the order sent: writes of one key stay in order.
  for (std::size_t i = 0; i < writes.size(); ++i) {
    auto shard = shard_for(self, writes[i].record.key);
    self->request(shard, caf::infinite, replicate_atom_v, std::move(writes[i]))
        .then(
            [stored, i](bool) { stored->value(i, true); },
            [self, stored, i](caf::error& err) { stored->failure(i, self->system().render(err)); });
  }
}

}  // namespace ovo
