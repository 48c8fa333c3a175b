#include "actors/anti_entropy.hpp"

#include "actors/fan_in.hpp"
#include "actors/peer_requests.hpp"
#include "config/defaults.hpp"
#include "core/clock.hpp"
#include "core/logging.hpp"
#include "core/version_clock.hpp"

#include <functional>

namespace ovo {
namespace {

/// Why this node cannot answer for its copy of `slot`, or nothing.
caf::error refusal(cluster_manager_self self, int slot) {
  if (slot < 0 || slot >= slot_count)
    return caf::make_error(caf::sec::invalid_argument, "no such slot");
  if (!self->state.view->holds(slot))
    return caf::make_error(caf::sec::invalid_argument,
                           "this node does not hold slot " + std::to_string(slot));
  return {};
}

/// Compares every owned slot through its shard, then calls `done` with the totals.
void verify_all(cluster_manager_self self, bool repair, std::function<void(verify_report)> done) {
  // A write applied up to one ReplicaTimeoutMs ago may still be on its way to a holder.
  const auto settled = version_clock::latest_at(wall_clock_source()->now_ms() -
                                                self->state.options.replica_timeout.count());
  auto parts = fan_in<verify_report>::start(slot_count, [done](fan_in_result<verify_report>& all) {
    verify_report total;
    for (const auto& r : all.values) {
      total.slots_checked += r.slots_checked;
      total.slots_skipped += r.slots_skipped;
      total.keys_differing += r.keys_differing;
      total.keys_repaired += r.keys_repaired;
    }
    total.slots_skipped += static_cast<uint32_t>(all.failures);
    done(total);
  });
  for (int slot = 0; slot < slot_count; ++slot)
    self->request(shard_for_slot(self, slot), defaults::verify_timeout, verify_atom_v, slot, repair,
                  static_cast<uint64_t>(settled))
        .then([parts, slot](verify_report& r) { parts->value(static_cast<std::size_t>(slot), r); },
              [self, parts, slot](caf::error& err) {
                parts->failure(static_cast<std::size_t>(slot), self->system().render(err));
              });
}

}  // namespace

caf::result<uint64_t> digest_for_owner(cluster_manager_self self, int slot) {
  if (auto err = refusal(self, slot)) return err;
  return self->delegate(shard_for_slot(self, slot), digest_atom_v, slot);
}

caf::result<std::vector<key_version>> summary_for_owner(cluster_manager_self self, int slot) {
  if (auto err = refusal(self, slot)) return err;
  return self->delegate(shard_for_slot(self, slot), summary_atom_v, slot);
}

caf::result<verify_report> verify_owned_slots(cluster_manager_self self, bool repair) {
  auto promise = self->make_response_promise<verify_report>();
  verify_all(self, repair, [promise](verify_report total) mutable { promise.deliver(total); });
  return promise;
}

void run_verify_round(cluster_manager_self self) {
  const auto started = std::chrono::steady_clock::now();
  verify_all(self, true, [self, started](verify_report total) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    auto log = component_log("replication");
    if (total.keys_differing > 0)
      log->warn(
          "verify: {} keys differed from a replica holder's copy, {} repaired ({} slots "
          "checked, {} skipped, {} ms)",
          total.keys_differing, total.keys_repaired, total.slots_checked, total.slots_skipped, ms);
    else
      log->debug("verify: copies identical ({} slots checked, {} skipped, {} ms)",
                 total.slots_checked, total.slots_skipped, ms);
    schedule_verify_round(self);
  });
}

void schedule_verify_round(cluster_manager_self self) {
  const auto interval = self->state.options.verify_interval;
  if (interval.count() > 0) self->delayed_send(self, interval, verify_atom_v);
}

}  // namespace ovo
