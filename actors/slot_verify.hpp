#pragma once
// The shard's side of anti-entropy (docs/cluster.md, "Anti-entropy"): the owner of a slot
// compares its copy with each replica holder's, by digest first and key by key when the digests
// differ, and (repair) gives each differing key's newer state to the older copy.

#include "actors/fan_in.hpp"
#include "actors/interfaces.hpp"
#include "actors/replication.hpp"
#include "actors/routing_table.hpp"
#include "config/defaults.hpp"
#include "core/arrival_guard.hpp"
#include "core/logging.hpp"
#include "core/slot_digest.hpp"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace ovo {

inline bool valid_slot(int slot) { return slot >= 0 && slot < slot_count; }

/// The digest of both namespaces of `slot` here.
template <class State>
uint64_t slot_digest(State& st, int slot) {
  return st.objects->digest(slot) ^ st.counters->digest(slot);
}

template <class Self>
auto slot_digest_handler(Self self) {
  return [self](digest_atom, int slot) -> caf::result<uint64_t> {
    if (!valid_slot(slot)) return caf::make_error(caf::sec::invalid_argument, "no such slot");
    return slot_digest(self->state, slot);
  };
}

/// Both namespaces of `slot` here, key by key with versions.
template <class State>
std::vector<key_version> slot_summary(State& st, int slot) {
  std::vector<key_version> out;
  st.objects->summarize(slot, out);
  st.counters->summarize(slot, out);
  return out;
}

template <class Self>
auto slot_summary_handler(Self self) {
  return [self](summary_atom, int slot) -> caf::result<std::vector<key_version>> {
    if (!valid_slot(slot)) return caf::make_error(caf::sec::invalid_argument, "no such slot");
    return slot_summary(self->state, slot);
  };
}

/// Gives each differing key's newer state to the older copy: what is newer here goes to
/// `holder` as a replica write; what is newer there is read from it, stored here and replicated
/// to every holder of the slot like a write. Calls `repaired(keys repaired)`.
template <class Self>
void repair_slot(Self self, const routing_snapshot& table, const peer_connection_actor& holder,
                 const slot_differences& diff, std::function<void(uint64_t)> repaired) {
  const auto total = diff.newer_here.size() + diff.newer_there.size();
  auto parts = fan_in<bool>::start(total, [repaired](fan_in_result<bool>& all) {
    repaired(static_cast<uint64_t>(std::count(all.values.begin(), all.values.end(), true)));
  });
  auto failed = [parts](std::size_t i) {
    return [parts, i](caf::error&) { parts->failure(i, "unreachable"); };
  };
  std::size_t i = 0;
  for (const auto& entry : diff.newer_here) {
    auto write = self->state.in_namespace(
        entry.counter, [&](auto& space, arrival_guard&) { return space.snapshot(entry.key); });
    write.counter = entry.counter;
    // Answered by the peer connection within ReplicaTimeoutMs at the latest.
    self->request(holder, caf::infinite, replicate_atom_v, std::move(write))
        .then([parts, i](bool stored) { parts->value(i, stored); }, failed(i));
    ++i;
  }
  for (const auto& entry : diff.newer_there) {
    const bool counter = entry.counter;
    self->request(holder, defaults::forward_timeout, fetch_atom_v, entry.key, counter)
        .then(
            [self, table, parts, i, counter](replica_write& write) {
              write.counter = counter;
              self->state.in_namespace(counter, [&](auto& space, arrival_guard&) {
                if (!space.apply(write)) {
                  parts->value(i, false);
                  return;
                }
                replicate_then_deliver(
                    self, table.get(), space, {write.record.key}, done(),
                    [parts, i](reply answer) { parts->value(i, answer.code == status::ok); });
              });
            },
            failed(i));
    ++i;
  }
}

/// Compares `slot` here with its replica holder number `i` in `table` and, with `repair`,
/// repairs the keys that differ; reports what it found, or why it could not compare.
template <class Self>
void verify_with_holder(Self self, const routing_snapshot& table, int slot, std::size_t i,
                        bool repair, uint64_t settled, std::function<void(verify_report)> reported,
                        std::function<void(std::string)> failed) {
  const auto index = static_cast<std::size_t>(slot);
  const auto holder = table->replicas[index][i];
  const auto name = table->replica_names[index][i];
  auto on_error = [self, failed](caf::error& err) { failed(self->system().render(err)); };
  self->request(holder, defaults::node_query_timeout, digest_atom_v, slot)
      .then(
          [=](uint64_t theirs) {
            if (theirs == slot_digest(self->state, slot)) {
              reported(verify_report{});
              return;
            }
            self->request(holder, defaults::migrate_timeout, summary_atom_v, slot)
                .then(
                    [=](std::vector<key_version>& summary) {
                      const auto diff =
                          compare_summaries(slot_summary(self->state, slot), summary, settled);
                      verify_report report;
                      report.keys_differing = diff.newer_here.size() + diff.newer_there.size();
                      if (report.keys_differing == 0 || !repair) {
                        reported(report);
                        return;
                      }
                      component_log("replication")
                          ->warn(
                              "slot {}: {} keys differ from {}'s copy ({} newer here, {} "
                              "newer there); repairing",
                              slot, report.keys_differing, name, diff.newer_here.size(),
                              diff.newer_there.size());
                      repair_slot(self, table, holder, diff, [report, reported](uint64_t n) {
                        auto repaired = report;
                        repaired.keys_repaired = n;
                        reported(repaired);
                      });
                    },
                    on_error);
          },
          on_error);
}

/// (verify, slot, repair, settled): compares an owned slot with every replica holder (a slot
/// owned elsewhere, or without replica holders, reports nothing). Differences whose newer
/// version is above `settled` are not counted: that write may still be on its way.
template <class Self>
auto slot_verify_handler(Self self) {
  return [self](verify_atom, int slot, bool repair,
                uint64_t settled) -> caf::result<verify_report> {
    const auto table = self->state.routing ? self->state.routing->current() : nullptr;
    if (!table || !valid_slot(slot) || remote_owner_in(table.get(), slot)) return verify_report{};
    const auto holders = table->replicas[static_cast<std::size_t>(slot)].size();
    if (holders == 0) return verify_report{};
    auto promise = self->template make_response_promise<verify_report>();
    auto parts = fan_in<verify_report>::start(
        holders, [promise, slot](fan_in_result<verify_report>& all) mutable {
          verify_report total;
          for (const auto& r : all.values) {
            total.keys_differing += r.keys_differing;
            total.keys_repaired += r.keys_repaired;
          }
          if (all.all_ok()) {
            total.slots_checked = 1;
          } else {
            total.slots_skipped = 1;
            component_log("replication")->info("slot {} not verified: {}", slot, all.first_failure);
          }
          promise.deliver(total);
        });
    for (std::size_t i = 0; i < holders; ++i)
      verify_with_holder(
          self, table, slot, i, repair, settled,
          [parts, i](verify_report r) { parts->value(i, r); },
          [parts, i](std::string why) { parts->failure(i, std::move(why)); });
    return promise;
  };
}

}  // namespace ovo
