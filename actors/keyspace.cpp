#include "actors/keyspace.hpp"

#include "actors/command_handlers.hpp"
#include "actors/fan_in.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"

namespace ovo {
keyspace_actor::behavior_type keyspace(keyspace_actor::stateful_pointer<keyspace_state> self,
                                       std::vector<shard_actor> shards) {
  self->state.shards = std::move(shards);
  auto runner = [self](const command& cmd, auto deliver) {
    if (cmd.kind != op::count_keys && cmd.kind != op::list_keys) {
      deliver(failure(status::bad_request, "not a node-wide key query"));
      return;
    }
    const auto& shards = self->state.shards;
    const auto kind = cmd.kind == op::count_keys ? payload::number : payload::keys;
    // The shards' answers merged into one, or 503 when a shard did not answer.
    auto parts = fan_in<reply>::start(shards.size(), [kind, deliver](fan_in_result<reply>& all) {
      if (!all.all_ok()) {
        component_log("keyspace")
            ->warn("a shard did not answer a key query: {}", all.first_failure);
        deliver(failure(status::unavailable, "a shard did not answer"));
        return;
      }
      reply merged;
      merged.kind = kind;
      for (auto& part : all.values) {
        merged.number += part.number;
        merged.keys.insert(merged.keys.end(), std::make_move_iterator(part.keys.begin()),
                           std::make_move_iterator(part.keys.end()));
      }
      deliver(std::move(merged));
    });
    for (std::size_t i = 0; i < shards.size(); ++i)
      self->request(shards[i], defaults::node_query_timeout, exec_atom_v, cmd)
          .then(
              [parts, i](reply& part) { parts->value(i, std::move(part)); },
              [self, parts, i](caf::error& err) { parts->failure(i, self->system().render(err)); });
  };
  return {sink_handler(runner), response_handler(self, runner)};
}

}  // namespace ovo
