#include "actors/heap_trimmer.hpp"

#include "actors/fan_in.hpp"
#include "core/logging.hpp"

#include <memory>

namespace ovo {
namespace {

using self_ptr = heap_trimmer_actor::stateful_pointer<heap_trimmer_state>;

/// Trims the heap if the shards' accounted bytes (`stored`) say so.
void trim_if_due(self_ptr self, uint64_t stored) {
  if (!self->state.schedule.should_trim(stored)) return;
  const auto started = std::chrono::steady_clock::now();
  const bool gave_back = trim_heap();
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  component_log("memory")->debug("heap trimmed at {} accounted bytes in {} us ({})", stored,
                                 took.count(), gave_back ? "pages returned" : "nothing to return");
}

}  // namespace

heap_trimmer_actor::behavior_type heap_trimmer(self_ptr self, std::vector<slot_holder_actor> shards,
                                               std::chrono::milliseconds interval) {
  self->state.shards = std::move(shards);
  self->delayed_send(self, interval, caf::tick_atom_v);
  return {
      [self, interval](caf::tick_atom) {
        auto& st = self->state;
        auto stored = std::make_shared<uint64_t>(0);
        auto parts = fan_in<bool>::start(st.shards.size(),
                                         [self, stored, interval](fan_in_result<bool>& all) {
                                           if (all.all_ok()) trim_if_due(self, *stored);
                                           self->delayed_send(self, interval, caf::tick_atom_v);
                                         });
        for (std::size_t i = 0; i < st.shards.size(); ++i)
          self->request(st.shards[i], defaults::node_query_timeout, sizes_atom_v)
              .then(
                  [stored, parts, i](std::vector<uint32_t>&, std::vector<uint32_t>&, uint64_t,
                                     uint32_t, uint64_t bytes) {
                    *stored += bytes;
                    parts->value(i, true);
                  },
                  [self, parts, i](caf::error& err) {
                    parts->failure(i, self->system().render(err));
                  });
      },
  };
}

}  // namespace ovo
