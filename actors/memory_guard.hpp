#pragma once
// The shard's side of Settings.MaxMemoryBytes (docs/memory.md): before a write that adds bytes,
// make room under the shard's share of the cap by evicting cold objects of the slots this node
// owns, tell their replica holders, or refuse the write (507/"15") and change nothing.

#include "actors/replication.hpp"
#include "actors/routing_table.hpp"
#include "core/command.hpp"
#include "core/memory_limit.hpp"
#include "core/object_space.hpp"

#include <optional>
#include <vector>

namespace ovo {

/// The refusal of a write that does not fit under the cap.
inline reply over_memory_cap(const char* why) {
  return failure(status::insufficient_storage,
                 std::string("the node's memory cap (Settings.MaxMemoryBytes) is reached") + why +
                     "; nothing was written");
}

/// Sends each eviction to the replica holders of its key's slot in `routing` as an erase with
/// the eviction's version and no tombstone. Nobody waits: a holder that fails leaves the slot's
/// in-sync set and is caught up like after any missed write.
template <class Self>
void replicate_evictions(Self self, const routing_table* routing,
                         const std::vector<object_space::eviction>& evictions) {
  if (!routing) return;
  for (const auto& gone : evictions) {
    const int slot = slot_of(gone.key);
    const auto index = static_cast<std::size_t>(slot);
    for (std::size_t i = 0; i < routing->replicas[index].size(); ++i) {
      replica_write write;
      write.erase = true;
      write.evicted = true;
      write.record.key = gone.key;
      write.version = gone.version;
      self->request(routing->replicas[index][i], caf::infinite, replicate_atom_v, std::move(write))
          .then([](bool) {},
                [self, slot, name = routing->replica_names[index][i]](caf::error& err) {
                  leave_in_sync_set(self, slot, name, self->system().render(err));
                });
    }
  }
}

/// Makes room for `cmd` under the shard's cap (`st.limit`), or gives the refusal. Only objects
/// of slots this node owns and that are not arriving are evicted: a replica holder's copies
/// follow their owner (docs/memory.md, "Copies").
template <class Self>
std::optional<reply> make_room(Self self, const routing_table* routing, const command& cmd) {
  auto& st = self->state;
  if (st.limit.cap_bytes == 0) return std::nullopt;
  const int64_t growth =
      is_counter_op(cmd.kind) ? st.counters->growth(cmd) : st.objects->growth(cmd);
  if (growth <= 0) return std::nullopt;
  auto used = [&st] { return st.objects->bytes() + st.counters->bytes(); };
  const auto wanted = used() + static_cast<uint64_t>(growth);
  if (wanted <= st.limit.cap_bytes) return std::nullopt;
  if (st.limit.policy == eviction_policy::noeviction)
    return over_memory_cap(" and EvictionPolicy is noeviction");
  // Evicting everything would not make room: refuse before emptying the shard for nothing.
  if (static_cast<uint64_t>(growth) > st.limit.cap_bytes)
    return over_memory_cap(" and this value is larger than a shard's share of it");
  const auto evictions = st.objects->evict(wanted - st.limit.cap_bytes, [&st, routing](int slot) {
    return !remote_owner_in(routing, slot) && !st.object_arrivals.is_open(slot);
  });
  if (!evictions.empty() && st.metrics) {
    uint64_t bytes = 0;
    for (const auto& gone : evictions) bytes += gone.bytes;
    st.metrics->evictions += evictions.size();
    st.metrics->evicted_bytes += bytes;
  }
  replicate_evictions(self, routing, evictions);
  if (used() + static_cast<uint64_t>(growth) > st.limit.cap_bytes)
    return over_memory_cap(
        " and nothing this node owns is left to evict (the rest is replica copies, counters "
        "or remembered deletes)");
  return std::nullopt;
}

}  // namespace ovo
