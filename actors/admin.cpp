#include "actors/admin.hpp"

#include "actors/fan_in.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>

namespace ovo {
namespace {

using self_ptr = admin_actor::stateful_pointer<admin_state>;

uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

/// Fills the counts from every local holder and the slot count from the cluster manager.
caf::result<node_status> gather_status(self_ptr self) {
  auto& st = self->state;
  auto promise = self->make_response_promise<node_status>();
  auto out = std::make_shared<node_status>();
  out->name = st.node_name;
  out->uptime_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::steady_clock::now() - st.started)
                       .count();
  out->rss_bytes = resident_bytes();
  const auto& metrics = *st.metrics;
  out->lagging_writes = metrics.lagging_writes.load();
  out->requests = metrics.request_counts();
  out->forwarded = metrics.forwarded.load();
  out->expired_keys = metrics.expired_keys.load();
  out->max_memory_bytes = metrics.max_memory_bytes;
  out->evictions = metrics.evictions.load();
  out->evicted_bytes = metrics.evicted_bytes.load();
  out->cache_hits = metrics.cache_hits.load();
  out->cache_misses = metrics.cache_misses.load();
  out->rebalance_passes = metrics.rebalance_passes.load();
  out->slots_moved = metrics.slots_moved.load();
  out->slot_entries_sent = metrics.slot_entries_sent.load();
  out->slot_move_ms = metrics.slot_move_ms.load();
  out->slot_bytes_sent = metrics.slot_bytes_sent.load();
  // One report per shard, then the cluster manager's (the last index).
  const auto shards = st.holders.size();
  auto parts = fan_in<bool>::start(shards + 1, [promise, out](fan_in_result<bool>& all) mutable {
    if (all.all_ok())
      promise.deliver(*out);
    else
      promise.deliver(caf::make_error(caf::sec::request_timeout, all.first_failure));
  });
  auto failed = [self, parts](std::size_t i) {
    return [self, parts, i](caf::error& err) { parts->failure(i, self->system().render(err)); };
  };
  for (std::size_t i = 0; i < shards; ++i)
    self->request(st.holders[i], defaults::node_query_timeout, sizes_atom_v)
        .then(
            [out, parts, i](std::vector<uint32_t>& objects, std::vector<uint32_t>& counters,
                            uint64_t out_of_sync, uint32_t arriving, uint64_t stored_bytes) {
              for (auto n : objects) out->objects += n;
              out->stored_bytes += stored_bytes;
              for (auto n : counters) out->counters += n;
              out->out_of_sync += out_of_sync;
              out->arriving += arriving;
              parts->value(i, true);
            },
            failed(i));
  self->request(st.cluster, defaults::node_query_timeout, status_atom_v)
      .then(
          [out, parts, shards](node_status& part) {
            out->slots = part.slots;
            out->leaving = part.leaving;
            out->arriving_slots = std::move(part.arriving_slots);
            out->rebalancing = part.rebalancing;
            out->pass_slots = part.pass_slots;
            out->pass_done = part.pass_done;
            out->layout_epoch = part.layout_epoch;
            out->layout_pending = part.layout_pending;
            out->peers_up = std::move(part.peers_up);
            out->peers_down = std::move(part.peers_down);
            parts->value(shards, true);
          },
          failed(shards));
  return promise;
}

/// The cluster manager's figures (every peer asked), completed with this node's own status.
void answer_dashboard(self_ptr self, figures_sink_ptr sink) {
  auto failed = [self, sink](const char* what) {
    return [self, sink, what](caf::error& err) {
      sink->fail(std::string(what) + ": " + self->system().render(err));
    };
  };
  self->request(self->state.cluster, defaults::node_query_timeout, dashboard_atom_v)
      .then(
          [self, sink, failed](cluster_figures& gathered) {
            auto figures = std::make_shared<cluster_figures>(std::move(gathered));
            self->request(caf::actor_cast<admin_actor>(self), defaults::node_query_timeout,
                          status_atom_v)
                .then(
                    [sink, figures](node_status& mine) {
                      if (!figures->nodes.empty()) {  // the view lists this node first
                        figures->nodes.front().answered = true;
                        figures->nodes.front().status = std::move(mine);
                      }
                      sink->deliver(std::move(*figures));
                    },
                    failed("this node's status"));
          },
          failed("the cluster's figures"));
}

}  // namespace

admin_actor::behavior_type admin(self_ptr self, std::string node_name,
                                 cluster_manager_actor cluster,
                                 std::vector<slot_holder_actor> holders,
                                 std::shared_ptr<const node_metrics> metrics) {
  auto& st = self->state;
  st.node_name = std::move(node_name);
  st.cluster = std::move(cluster);
  st.holders = std::move(holders);
  st.metrics = std::move(metrics);
  return {
      [self](ping_atom) { return self->state.node_name; },
      [self](topology_atom) -> caf::result<std::vector<node_info>> {
        auto promise = self->make_response_promise<std::vector<node_info>>();
        command view;
        view.kind = op::cluster_view;
        self->request(self->state.cluster, defaults::node_query_timeout, exec_atom_v, view)
            .then([promise](reply& answer) mutable { promise.deliver(std::move(answer.nodes)); },
                  [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self](status_atom) { return gather_status(self); },
      [self](dashboard_atom, figures_sink_ptr& sink) { answer_dashboard(self, std::move(sink)); },
      [self](leave_atom) -> caf::result<bool> {
        component_log("admin")->info("ovoctl asked this node to leave the cluster");
        auto promise = self->make_response_promise<bool>();
        self->request(self->state.cluster, defaults::leave_timeout, leave_atom_v)
            .then(
                [promise](bool done) mutable {
                  promise.deliver(done);
                  // Drained: stop the process the usual way (REST drains, actors stop).
                  component_log("admin")->info("every slot handed over; stopping");
                  ::kill(::getpid(), SIGTERM);
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self](rebalance_atom) {
        return self->delegate(self->state.cluster, rebalance_atom_v, caf::get_atom_v);
      },
      [self](caf::join_atom, std::string& host, uint16_t port) {
        return self->delegate(self->state.cluster, caf::join_atom_v, std::move(host), port);
      },
      [self](twin_atom, std::string& twin, bool add) {
        return self->delegate(self->state.cluster, twin_atom_v, std::move(twin), add);
      },
      [self](verify_atom, bool repair) {
        return self->delegate(self->state.cluster, verify_atom_v, repair);
      },
  };
}

}  // namespace ovo
