#include "actors/expiry_scheduler.hpp"

#include "core/logging.hpp"

#include <map>

namespace ovo {

expiry_scheduler_actor::behavior_type expiry_scheduler(
    expiry_scheduler_actor::stateful_pointer<expiry_scheduler_state> self,
    std::shared_ptr<const clock_source> clock, std::chrono::milliseconds sweep_interval,
    std::size_t batch) {
  self->set_exit_handler([self](caf::exit_msg& msg) {
    component_log("expiry")->debug("expiry scheduler stops with {} deadlines queued",
                                   self->state.queue.size());
    self->quit(msg.reason);
  });
  self->delayed_send(self, sweep_interval, caf::tick_atom_v);
  return {
      [self](schedule_atom, int64_t deadline, std::string& key, uint32_t target) {
        self->state.queue.push({deadline, target, std::move(key)});
      },
      [self](targets_atom, std::vector<expiry_target_actor>& targets) {
        self->state.targets = std::move(targets);
      },
      [self, clock, sweep_interval, batch](caf::tick_atom) {
        auto& st = self->state;
        auto due = st.queue.pop_due(clock->now_ms(), batch);
        std::map<uint32_t, std::vector<std::string>> by_target;
        for (auto& item : due) by_target[item.target].push_back(std::move(item.key));
        for (auto& [target, keys] : by_target) {
          if (target < st.targets.size())
            self->send(st.targets[target], expire_atom_v, std::move(keys));
          else
            component_log("expiry")->error("dropping {} deadlines for unknown target {}",
                                           keys.size(), target);
        }
        // A full batch means more are due: continue right away, after the queued messages.
        if (due.size() == batch)
          self->send(self, caf::tick_atom_v);
        else
          self->delayed_send(self, sweep_interval, caf::tick_atom_v);
      },
      [self](caf::pending_atom) { return static_cast<uint64_t>(self->state.queue.size()); },
  };
}

}  // namespace ovo
