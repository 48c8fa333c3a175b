#include "actors/counter_table.hpp"

#include "actors/command_handlers.hpp"
#include "core/logging.hpp"
#include "actors/owner_check.hpp"
#include "actors/slot_handlers.hpp"

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
    run_as_owner(self, cmd, deliver, [self, &cmd, &deliver](const routing_snapshot& table) {
      deliver_after_replicas(self, table.get(), cmd, self->state.counters->execute(cmd),
                             std::move(deliver));
    });
  };
  auto runner = [self, execute](const command& cmd, auto deliver) {
    run_when_arrived(self, true, cmd, std::move(deliver), execute);
  };
  return {
      sink_handler(runner),
      response_handler(self, runner),
      slot_replicate_handler(self),
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
