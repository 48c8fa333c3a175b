#include "actors/keyspace.hpp"

#include "actors/command_handlers.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"

namespace ovo {
namespace {

/// The merged answer of all shards, delivered once: when the last shard answered or the
/// first one failed.
template <class Deliver>
struct gathering {
  gathering(std::size_t parts, payload kind, Deliver deliver)
      : remaining(parts), deliver(std::move(deliver)) {
    merged.kind = kind;
  }
  std::size_t remaining;
  bool finished = false;
  reply merged;
  Deliver deliver;

  void add(reply& part) {
    merged.number += part.number;
    merged.keys.insert(merged.keys.end(), std::make_move_iterator(part.keys.begin()),
                       std::make_move_iterator(part.keys.end()));
    if (--remaining == 0 && !finished) finish(std::move(merged));
  }
  void finish(reply answer) {
    finished = true;
    deliver(std::move(answer));
  }
};

}  // namespace

keyspace_actor::behavior_type keyspace(keyspace_actor::stateful_pointer<keyspace_state> self,
                                       std::vector<shard_actor> shards) {
  self->state.shards = std::move(shards);
  auto runner = [self](const command& cmd, auto deliver) {
    if (cmd.kind != op::count_keys && cmd.kind != op::list_keys) {
      deliver(failure(status::bad_request, "not a node-wide key query"));
      return;
    }
    const auto& shards = self->state.shards;
    auto kind = cmd.kind == op::count_keys ? payload::number : payload::keys;
    auto state = std::make_shared<gathering<decltype(deliver)>>(shards.size(), kind, deliver);
    for (const auto& shard : shards) {
      self->request(shard, defaults::node_query_timeout, exec_atom_v, cmd)
          .then([state](reply& part) { state->add(part); },
                [self, state](caf::error& err) {
                  component_log("keyspace")
                      ->warn("a shard did not answer a key query: {}", self->system().render(err));
                  if (!state->finished)
                    state->finish(failure(status::unavailable, "a shard did not answer"));
                });
    }
  };
  return {sink_handler(runner), response_handler(self, runner)};
}

}  // namespace ovo
