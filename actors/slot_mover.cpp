#include "actors/slot_mover.hpp"

#include "actors/cluster_manager.hpp"
#include "actors/fan_in.hpp"
#include "actors/slot_arrivals.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"
#include "core/slot_layout.hpp"

#include <algorithm>
#include <memory>

namespace ovo {
namespace {

using self_ptr = cluster_manager_self;
using clock_type = std::chrono::steady_clock;

/// One pass: its plan and progress.
struct pass {
  holder_map now;
  std::vector<slot_push> plan;
  std::size_t next = 0;
  std::size_t slots_moved = 0;
  std::size_t failed = 0;
  uint64_t entries_sent = 0;
  clock_type::time_point started = clock_type::now();
};
using pass_ptr = std::shared_ptr<pass>;

std::vector<slot_holder_actor> local_holders(self_ptr self) {
  std::vector<slot_holder_actor> out;
  for (const auto& shard : self->state.local.shards)
    out.push_back(caf::actor_cast<slot_holder_actor>(shard));
  return out;
}

/// The local actor holding `slot`'s data (objects and counters): its shard.
std::vector<slot_holder_actor> holders_of_slot(self_ptr self, int slot) {
  const auto& shards = self->state.local.shards;
  return {caf::actor_cast<slot_holder_actor>(shards[shard_of_slot(slot, shards.size())])};
}

void finish_pass(self_ptr self, const pass_ptr& p);
void push_next(self_ptr self, const pass_ptr& p);

void log_failure(self_ptr self, const std::string& what, int slot, const caf::error& err) {
  component_log("rebalance")->warn("{} slot {} failed: {}", what, slot, self->system().render(err));
}

/// Drops `push.slot` here if this node still does not hold it (the view may have changed). Not
/// an unplaced slot: the view's own layout, which says it is not held here, is not the
/// cluster's, which may say it is.
void drop_if_not_held(self_ptr self, const slot_push& push, std::function<void()> then) {
  const auto& view = *self->state.view;
  if (!push.drop_after || view.holds(push.slot) ||
      view.unplaced(static_cast<std::size_t>(push.slot))) {
    then();
    return;
  }
  const auto holders = holders_of_slot(self, push.slot);
  auto dropped = fan_in<uint64_t>::start(
      holders.size(), [self, then, slot = push.slot](fan_in_result<uint64_t>& all) {
        uint64_t entries = 0;
        for (auto n : all.values) entries += n;
        component_log("rebalance")->debug("dropped {} entries of slot {}", entries, slot);
        self->state.whole_copy[static_cast<std::size_t>(slot)] = false;
        then();
      });
  for (std::size_t i = 0; i < holders.size(); ++i)
    self->request(holders[i], defaults::migrate_timeout, drop_atom_v, push.slot)
        .then([dropped, i](uint64_t n) { dropped->value(i, n); },
              [self, dropped, i, slot = push.slot](caf::error& err) {
                log_failure(self, "dropping", slot, err);
                dropped->failure(i, self->system().render(err));
              });
}

/// The slot's shard pushes its entries (objects, counters) to every target; drops the
/// slot here once every target confirmed and this node no longer holds it.
void push_slot(self_ptr self, const pass_ptr& p, const slot_push& push) {
  auto on_pushed = [self, p, push](bool confirmed, uint64_t entries) {
    if (!confirmed) {
      ++p->failed;
      push_next(self, p);
      return;
    }
    ++p->slots_moved;
    std::string targets;
    for (const auto& target : push.targets) targets += (targets.empty() ? "" : ", ") + target.name;
    component_log("rebalance")
        ->info("slot {} handed to {} ({} entries); {}/{} slots of this pass", push.slot,
               targets.empty() ? "nobody (dropped here)" : targets, entries, p->next,
               p->plan.size());
    self->state.mover.last[static_cast<std::size_t>(push.slot)] =
        p->now[static_cast<std::size_t>(push.slot)];
    drop_if_not_held(self, push, [self, p] { push_next(self, p); });
  };
  const auto holders = holders_of_slot(self, push.slot);
  auto pushed = fan_in<uint64_t>::start(holders.size() * push.targets.size(),
                                        [on_pushed](fan_in_result<uint64_t>& all) {
                                          uint64_t entries = 0;
                                          for (auto n : all.values) entries += n;
                                          on_pushed(all.all_ok(), entries);
                                        });
  std::size_t i = 0;
  for (const auto& target : push.targets) {
    auto peer = self->state.peers.find(target.name);
    for (const auto& holder : holders) {
      const auto index = i++;
      if (peer == self->state.peers.end()) {
        pushed->failure(index, "no connection to " + target.name);
        continue;
      }
      self->request(holder, defaults::migrate_timeout, push_atom_v, push.slot,
                    caf::actor_cast<caf::strong_actor_ptr>(peer->second), push.complete,
                    push.complete && copy_settled(self, push.slot))
          .then(
              [p, pushed, index](uint64_t sent) {
                p->entries_sent += sent;
                pushed->value(index, sent);
              },
              [self, pushed, index, slot = push.slot, target](caf::error& err) {
                log_failure(self, "sending to " + target.name + ":", slot, err);
                pushed->failure(index, self->system().render(err));
              });
    }
  }
}

void push_next(self_ptr self, const pass_ptr& p) {
  if (p->next == p->plan.size()) {
    finish_pass(self, p);
    return;
  }
  push_slot(self, p, p->plan[p->next++]);
  self->state.mover.pass_done = p->next;
}

void finish_pass(self_ptr self, const pass_ptr& p) {
  auto& mover = self->state.mover;
  mover.running = false;
  ++mover.passes_done;
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - p->started).count();
  if (const auto& metrics = self->state.options.metrics) {
    ++metrics->rebalance_passes;
    metrics->slots_moved += p->slots_moved;
    metrics->slot_entries_sent += p->entries_sent;
    metrics->slot_move_ms += static_cast<uint64_t>(ms);
  }
  if (!p->plan.empty()) {
    const auto rate = static_cast<double>(p->entries_sent) * 1000.0 / static_cast<double>(ms + 1);
    component_log("rebalance")
        ->info(
            "pass done: {} slots handed over, {} failed, {} entries sent in {} ms ({:.0f} keys/s)",
            p->slots_moved, p->failed, p->entries_sent, ms, rate);
  }
  if (p->failed > 0) self->delayed_send(self, defaults::rebalance_retry, rebalance_atom_v);
  if (mover.again) {
    run_rebalance(self);
    return;
  }
  const pass_report report{static_cast<uint32_t>(p->slots_moved), static_cast<uint32_t>(p->failed),
                           p->entries_sent, ms};
  for (auto& waiter : mover.pass_waiters) waiter.deliver(report);
  mover.pass_waiters.clear();
  if (p->failed == 0 && self->state.view->self().leaving && holds_nothing(self)) {
    for (auto& waiter : mover.leave_waiters) waiter.deliver(true);
    mover.leave_waiters.clear();
  }
}

/// Holders that lost contact no longer count as having their slots' data.
void forget_lost_holders(slot_mover_state& mover) {
  if (mover.lost_contact.empty()) return;
  auto lost = [&](const holder_id& id) { return mover.lost_contact.count(id.name) > 0; };
  for (auto& holders : mover.last) {
    auto& replicas = holders.replicas;
    replicas.erase(std::remove_if(replicas.begin(), replicas.end(), lost), replicas.end());
    if (lost(holders.owner)) holders.owner = {};
  }
  mover.lost_contact.clear();
}

/// Asks every local holder which slots have entries, then plans and runs the pushes.
void start_pass(self_ptr self) {
  auto& st = self->state;
  st.mover.running = true;
  st.mover.again = false;
  auto p = std::make_shared<pass>();
  p->now = holders_of(*st.view);
  auto has_data = std::make_shared<std::array<bool, slot_count>>();
  has_data->fill(false);
  const auto holders = local_holders(self);
  auto gathered =
      fan_in<bool>::start(holders.size(), [self, p, has_data](fan_in_result<bool>& all) {
        auto& st = self->state;
        const auto me = st.view->holder_of(0);
        if (!all.all_ok()) {
          component_log("rebalance")->warn("a local holder did not report its slots; retrying");
          p->failed = 1;
          finish_pass(self, p);
          return;
        }
        forget_lost_holders(st.mover);
        // Copies this node distrusts (it was taken over, or is back from a minority, and its
        // slots have not been reconciled yet) are no source for anyone: the slots were served
        // elsewhere meanwhile, and handing them over would bring back what the cluster deleted
        // since (its tombstones may be gone) or never acknowledged.
        for (std::size_t slot = 0; slot < slot_count; ++slot)
          if (st.distrust_local_copies || st.arrivals[slot].distrusted) (*has_data)[slot] = false;
        p->plan = plan_pushes(st.mover.last, p->now, me, *has_data);
        st.mover.pass_slots = p->plan.size();
        st.mover.pass_done = 0;
        // Slots that need no push are settled for this layout.
        std::array<bool, slot_count> planned{};
        for (const auto& push : p->plan) planned[static_cast<std::size_t>(push.slot)] = true;
        for (std::size_t slot = 0; slot < slot_count; ++slot)
          if (!planned[slot]) st.mover.last[slot] = p->now[slot];
        if (!p->plan.empty())
          component_log("rebalance")->info("pass starts: {} slots to hand over", p->plan.size());
        push_next(self, p);
      });
  for (std::size_t i = 0; i < holders.size(); ++i)
    self->request(holders[i], defaults::migrate_timeout, sizes_atom_v)
        .then(
            [has_data, gathered, i](std::vector<uint32_t>& objects, std::vector<uint32_t>& counters,
                                    uint64_t, uint32_t, uint64_t) {
              for (const auto* sizes : {&objects, &counters})
                for (std::size_t slot = 0; slot < sizes->size() && slot < slot_count; ++slot)
                  (*has_data)[slot] = (*has_data)[slot] || (*sizes)[slot] > 0;
              gathered->value(i, true);
            },
            [self, gathered, i](caf::error& err) {
              gathered->failure(i, self->system().render(err));
            });
}

}  // namespace

bool holds_nothing(self_ptr self) {
  for (int slot = 0; slot < slot_count; ++slot)
    if (self->state.view->holds(slot)) return false;
  return true;
}

void run_rebalance(self_ptr self) {
  auto& mover = self->state.mover;
  if (mover.running) {
    mover.again = true;
    return;
  }
  start_pass(self);
}

}  // namespace ovo
