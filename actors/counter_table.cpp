#include "counter_table.hpp"

#include "command_handlers.hpp"
#include "logging.hpp"
#include "replication.hpp"
#include "slot_handlers.hpp"

namespace ovo {

counter_table_actor::behavior_type counter_table(
    counter_table_actor::stateful_pointer<counter_table_state> self,
    std::shared_ptr<const clock_source> clock, expiry_scheduler_actor scheduler,
    uint32_t expiry_index, std::shared_ptr<const routing_holder> routing,
    std::shared_ptr<node_metrics> metrics) {
  self->state.metrics = std::move(metrics);
  self->state.routing = std::move(routing);
  self->state.clock = clock;
  self->state.counters = std::make_unique<counter_space>(
      std::move(clock), [self, scheduler, expiry_index](std::string_view key, int64_t deadline) {
        self->send(scheduler, schedule_atom_v, deadline, std::string(key), expiry_index);
      });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    component_log("counters")->debug("counter table stops with {} counters",
                                     self->state.counters->size());
    self->quit(msg.reason);
  });
  auto execute = [self](const command& cmd, auto deliver) {
    auto& st = self->state;
    auto answer = st.counters->execute(cmd);
    if (answer.code != status::ok || !is_write_op(cmd.kind)) {
      deliver(std::move(answer));
      return;
    }
    note_local_write(st, cmd.key);
    replicate_then_deliver(self, st.routing.get(), *st.counters, {cmd.key}, std::move(answer),
                           std::move(deliver));
  };
  auto runner = [self, execute](const command& cmd, auto deliver) {
    if (auto source = arriving_source(self, cmd.key)) {
      fetch_then(self, source, cmd.key, true, [execute, cmd, deliver] { execute(cmd, deliver); });
      return;
    }
    execute(cmd, std::move(deliver));
  };
  return {
      sink_handler(runner),
      response_handler(self, runner),
      [self](replicate_atom, replica_write& write) {
        self->state.counters->apply(write);
        note_local_write(self->state, write.record.key);
        return true;
      },
      [self](expire_atom, std::vector<std::string>& keys) {
        const auto dropped = self->state.counters->expire(keys);
        component_log("counters")->debug("expired {} of {} counters", dropped, keys.size());
      },
      slot_sizes_handler(self),
      slot_push_handler(self, true),
      slot_drop_handler(self),
      slot_expect_handler(self),
      slot_migrate_handler(self),
      slot_fetch_handler(self),
  };
}

}  // namespace ovo
