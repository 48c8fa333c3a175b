#pragma once
// The slot_holding handlers, written once for the shard (objects) and the counter table
// (counters). `self->state` must have `space()` (an object_space or counter_space), `arrivals`
// (an arrival_guard) and `clock`.

#include "arrival_guard.hpp"
#include "defaults.hpp"
#include "interfaces.hpp"

namespace ovo {

template <class Self>
auto slot_sizes_handler(Self self) {
  return [self](sizes_atom) { return self->state.space().slot_sizes(); };
}

template <class Self>
auto slot_dump_handler(Self self) {
  return [self](dump_atom, int slot) { return self->state.space().dump(slot); };
}

template <class Self>
auto slot_drop_handler(Self self) {
  return [self](drop_atom, int slot) {
    return static_cast<uint64_t>(self->state.space().drop(slot));
  };
}

template <class Self>
auto slot_expect_handler(Self self) {
  return [self](expect_atom, std::vector<int>& slots) {
    const auto until = self->state.clock->now_ms() + defaults::arrival_window.count();
    for (int slot : slots) self->state.arrivals.expect(slot, until);
  };
}

/// Stores arriving entries, except those written here since the slot's data was announced.
template <class Self>
auto slot_migrate_handler(Self self) {
  return [self](migrate_atom, std::vector<replica_write>& writes) {
    auto& st = self->state;
    const auto now = st.clock->now_ms();
    for (const auto& write : writes)
      if (st.arrivals.accepts(write.record.key, now)) st.space().apply(write);
    return true;
  };
}

/// Remembers a local write of `key` for the arrival guard.
template <class State>
void note_local_write(State& st, std::string_view key) {
  st.arrivals.note_write(key, st.clock->now_ms());
}

}  // namespace ovo
