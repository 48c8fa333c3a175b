#include "actors/peer_requests.hpp"

#include "core/logging.hpp"
#include "core/slot_layout.hpp"

#include <memory>

namespace ovo {

shard_actor shard_for(cluster_manager_self self, const std::string& key) {
  const auto& shards = self->state.local.shards;
  return shards[shard_of_slot(slot_of(key), shards.size())];
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

/// The replies of a batch, handed on together once the last one is in.
struct gathered_replies {
  std::vector<reply> replies;
  std::size_t missing;
  std::function<void(std::vector<reply>)> done;

  void set(std::size_t index, reply answer) {
    replies[index] = std::move(answer);
    if (--missing == 0) done(std::move(replies));
  }
};

/// Tells `done` once `missing` replica writes are stored (true) or at the first failure.
struct stored_countdown {
  std::size_t missing;
  std::function<void(bool)> done;
  bool failed = false;

  void stored() {
    if (--missing == 0 && !failed) done(true);
  }
  void fail() {
    if (failed) return;
    failed = true;
    done(false);
  }
};

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
  auto gathered = std::make_shared<gathered_replies>();
  gathered->replies.resize(commands.size());
  gathered->missing = commands.size();
  gathered->done = std::move(done);
  for (std::size_t i = 0; i < commands.size(); ++i)
    run_forwarded(
        self, std::move(commands[i]),
        [gathered, i](reply& answer) { gathered->set(i, std::move(answer)); },
        [self, gathered, i](caf::error& err) {
          gathered->set(i, failure(status::unavailable, "this node could not serve the key: " +
                                                            self->system().render(err)));
        });
}

void apply_replicas(cluster_manager_self self, std::vector<replica_write> writes,
                    std::function<void(bool)> done) {
  if (writes.empty()) {
    done(true);
    return;
  }
  auto countdown = std::make_shared<stored_countdown>();
  countdown->missing = writes.size();
  countdown->done = std::move(done);
  auto stored = [countdown](bool) { countdown->stored(); };
  auto failed = [self, countdown](caf::error& err) {
    component_log("replication")
        ->warn("a replica write from a peer was not stored: {}", self->system().render(err));
    countdown->fail();
  };
  // Requests to one actor arrive in the order sent: writes of one key stay in order.
  for (auto& write : writes) {
    auto shard = shard_for(self, write.record.key);
    self->request(shard, caf::infinite, replicate_atom_v, std::move(write)).then(stored, failed);
  }
}

}  // namespace ovo
