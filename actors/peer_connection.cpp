#include "actors/peer_connection.hpp"

#include "actors/tcp_probe.hpp"
#include "config/defaults.hpp"
#include "core/logging.hpp"

#include <caf/io/middleman.hpp>

#include <utility>

namespace ovo {
namespace {

using self_ptr = peer_connection_actor::stateful_pointer<peer_connection_state>;

reply unreachable(const std::string& peer) {
  return failure(status::unavailable, "node " + peer + " (owner of this key) is unreachable");
}

caf::error unreachable_error(const std::string& peer) {
  return caf::make_error(caf::sec::request_receiver_down, "node " + peer + " is unreachable");
}

/// Answers every gathered or sent forward and replica write, and every relayed request: the
/// peer is gone.
void abandon_waiting(self_ptr self) {
  auto& st = self->state;
  for (auto& sink : st.forwards.abandon()) sink->deliver(unreachable(st.peer_name));
  for (auto& promise : st.replicas.abandon()) promise.deliver(unreachable_error(st.peer_name));
  auto relayed = std::move(st.relayed);
  st.relayed.clear();
  for (auto& entry : relayed) entry.second(unreachable_error(st.peer_name));
}

/// Looks for overdue batches after a while, as long as any batch is unanswered.
void check_overdue_later(self_ptr self) {
  auto& st = self->state;
  if (st.check_queued || (!st.forwards.in_flight() && !st.replicas.in_flight())) return;
  st.check_queued = true;
  self->delayed_send(self, defaults::overdue_check_interval, caf::tick_atom_v);
}

void answer_forwards(self_ptr self, uint64_t batch, std::vector<reply>& answers) {
  auto sinks = self->state.forwards.answered(batch);
  for (std::size_t i = 0; i < sinks.size(); ++i)
    sinks[i]->deliver(i < answers.size() ? std::move(answers[i])
                                         : unreachable(self->state.peer_name));
}

void answer_replicas(self_ptr self, uint64_t batch, bool stored) {
  for (auto& promise : self->state.replicas.answered(batch)) {
    if (stored)
      promise.deliver(true);
    else
      promise.deliver(caf::make_error(caf::sec::runtime_error, "the twin did not store it"));
  }
}

/// The layout epoch this node serves by: the stamp on what goes to the peer.
uint64_t epoch_now(self_ptr self) {
  const auto& routing = self->state.options.routing;
  const auto table = routing ? routing->current() : nullptr;
  return table ? table->epoch : 0;
}

/// Sends what was gathered since the last flush.
void flush(self_ptr self) {
  auto& st = self->state;
  st.flush_queued = false;
  if (!st.remote) {
    if (!st.first_link_pending) abandon_waiting(self);
    return;
  }
  // One-way messages answered by one back (see request_batch.hpp): no CAF request timeouts.
  const auto now = std::chrono::steady_clock::now();
  if (st.forwards.gathered()) {
    auto [id, commands] = st.forwards.send(now);
    self->send(st.remote, caf::forward_atom_v, id, epoch_now(self), std::move(commands));
  }
  if (st.replicas.gathered()) {
    auto [id, writes] = st.replicas.send(now);
    self->send(st.remote, replicate_atom_v, id, epoch_now(self), std::move(writes));
  }
  check_overdue_later(self);
}

/// Answers (flush, peer connection) with flush to it.
caf::behavior turn_end(caf::event_based_actor* self) {
  return {[self](flush_atom, const caf::actor& peer) { self->send(peer, flush_atom_v); }};
}

/// Flushes once the actors already waiting for the scheduler had their turn: they may add to
/// the batch. (A message to itself would come back within this turn; a message from an actor to
/// an idle one puts it first in line; only a message without sender puts it last.) Also when
/// this runs on a REST thread (inline_execution.hpp): a flush there would send batches of about
/// one write (measured: replicated PUT 0.85x, forwarded GET 0.79x).
void flush_after_turn(self_ptr self) {
  auto& st = self->state;
  if (st.flush_queued) return;
  st.flush_queued = true;
  caf::anon_send(st.turn_end, flush_atom_v, caf::actor_cast<caf::actor>(self));
}

/// Adds a command to the next batch for the peer, or answers it at once while the peer is
/// unreachable (not while the first attempt to reach it is under way: see first_link_pending).
void gather_forward(self_ptr self, command& cmd, reply_sink_ptr& sink) {
  auto& st = self->state;
  if (!st.remote && !st.first_link_pending) {
    sink->deliver(unreachable(st.peer_name));
    return;
  }
  st.forwards.add(std::move(cmd), std::move(sink));
}

/// Sends the gathered forwards at the end of this turn, unless a batch is on its way: its
/// answer sends them.
void send_forwards_later(self_ptr self) {
  auto& st = self->state;
  if (st.forwards.gathered() && !st.forwards.in_flight()) flush_after_turn(self);
}

/// Sends what gathered while a batch was on its way (or is left after an overdue one); true
/// when there was something to send.
bool flush_gathered(self_ptr self) {
  if (!self->state.forwards.gathered() && !self->state.replicas.gathered()) return false;
  flush(self);
  return true;
}

/// The first attempt to reach the peer ended (or took longer than forwards may wait): what
/// waited for it is sent now, or answered 503 when the peer was not reached.
void end_first_link(self_ptr self) {
  auto& st = self->state;
  if (!st.first_link_pending) return;
  st.first_link_pending = false;
  flush(self);
}

/// Answers the waiters of batches the peer did not answer in time.
void give_up_overdue(self_ptr self) {
  auto& st = self->state;
  st.check_queued = false;
  const auto now = std::chrono::steady_clock::now();
  for (auto& sink : st.forwards.overdue(now - defaults::forward_timeout))
    sink->deliver(unreachable(st.peer_name));
  for (auto& promise : st.replicas.overdue(now - st.options.replica_timeout))
    promise.deliver(caf::make_error(caf::sec::request_timeout));
  // What gathered behind a batch the peer has not answered is sent now rather than after that
  // batch's timeout: its own timeout starts at most one check interval late.
  if (!flush_gathered(self)) check_overdue_later(self);
}

/// Asks the peer's cluster manager and passes its answer on; an error at once while the peer is
/// unreachable, or when the connection drops before the answer (abandon_waiting). What was
/// gathered goes first, in arrival order. The caller's own timeout (up to migrate_timeout)
/// bounds the wait otherwise.
template <class Result, class Atom, class... Payload>
caf::result<Result> relay(self_ptr self, Atom atom, Payload&... payload) {
  flush(self);
  auto& st = self->state;
  if (!st.remote) return unreachable_error(st.peer_name);
  auto promise = self->make_response_promise<Result>();
  const auto id = st.next_relay++;
  st.relayed.emplace(id, [promise](caf::error err) mutable { promise.deliver(std::move(err)); });
  self->request(st.remote, defaults::migrate_timeout, atom, std::move(payload)...)
      .then(
          [self, id, promise](Result& answer) mutable {
            if (self->state.relayed.erase(id) > 0) promise.deliver(std::move(answer));
          },
          [self, id](caf::error& err) {
            auto it = self->state.relayed.find(id);
            if (it == self->state.relayed.end()) return;  // already failed: the peer is gone
            auto fail = std::move(it->second);
            self->state.relayed.erase(it);
            fail(std::move(err));
          });
  return promise;
}

void retry_later(self_ptr self) {
  auto& st = self->state;
  st.connecting = false;
  st.probing = false;
  end_first_link(self);
  // Logged at a low rate: the first failure, then about once a minute.
  if (st.failed_attempts++ % 30 == 0)
    component_log("cluster")->info(
        "cannot reach {} at {}:{} ({} attempts so far); retrying every {} ms at most", st.peer_name,
        st.api_host, st.api_port, st.failed_attempts, defaults::reconnect_backoff_last.count());
  self->delayed_send(self, st.backoff, caf::connect_atom_v);
  st.backoff =
      std::min(st.backoff * 2, std::chrono::milliseconds(defaults::reconnect_backoff_last));
}

/// Introduces this node to the peer's cluster manager; the answer is the peer's view.
void join(self_ptr self, cluster_endpoint_actor remote) {
  self->request(remote, defaults::peer_join_timeout, caf::join_atom_v, cluster_protocol_version,
                self->state.me)
      .then(
          [self, remote](std::vector<node_info>& view) {
            auto& st = self->state;
            st.remote = remote;
            st.connecting = false;
            st.backoff = defaults::reconnect_backoff_first;
            st.failed_attempts = 0;
            st.last_heard = std::chrono::steady_clock::now();
            self->monitor(remote);
            component_log("cluster")->info("connected to {} at {}:{}", st.peer_name, st.api_host,
                                           st.api_port);
            end_first_link(self);
            self->send(st.local, caf::update_atom_v, std::move(view));
            self->send(st.local, peer_state_atom_v, st.peer_name, true, caf::timespan{0});
            if (!std::exchange(st.pinging, true))
              self->delayed_send(self, defaults::liveness_ping_interval, ping_atom_v);
          },
          [self](caf::error& err) {
            component_log("cluster")->warn("{} did not answer the handshake: {}; retrying",
                                           self->state.peer_name, self->system().render(err));
            retry_later(self);
          });
}

/// Probes the peer's APIPort in a thread of its own (the probe blocks); the answer comes back
/// as (connect, reachable, round). `now`: the peer reached this node, so a probe still waiting
/// is replaced (its answer is ignored); an attempt past its probe is left to finish.
void connect(self_ptr self, bool now = false) {
  auto& st = self->state;
  if (st.remote || (st.connecting && !(now && st.probing))) return;
  if (now && st.probing)
    component_log("cluster")->debug("{} reached this node: probing it again now", st.peer_name);
  st.connecting = true;
  st.probing = true;
  const auto round = ++st.probe_round;
  auto me = caf::actor_cast<peer_connection_actor>(self);
  if (!st.options.probe_first) {
    self->send(me, caf::connect_atom_v, true, round);
    return;
  }
  self->spawn<caf::detached>(
      [me, round, host = st.api_host, port = st.api_port](caf::event_based_actor* probe) {
        probe->send(me, caf::connect_atom_v,
                    tcp_reachable(host, port, defaults::peer_connect_timeout), round);
        probe->quit();
      });
}

/// Asks the peer for a sign of life and schedules the next ping, while connected.
void ping(self_ptr self) {
  auto& st = self->state;
  if (!st.remote) {
    st.pinging = false;
    return;
  }
  self->request(st.remote, defaults::connection_timeout, ping_atom_v)
      .then([self](bool) { self->state.last_heard = std::chrono::steady_clock::now(); },
            [](caf::error&) {});  // a silent peer: its link drops after connection_timeout
  self->delayed_send(self, defaults::liveness_ping_interval, ping_atom_v);
}

/// The peer answers: connects through the middleman, then joins.
void connect_reachable(self_ptr self) {
  auto& st = self->state;
  auto middleman =
      st.options.transport ? st.options.transport : self->system().middleman().actor_handle();
  self->request(middleman, defaults::peer_connect_timeout, caf::connect_atom_v, st.api_host,
                st.api_port)
      .then(
          [self](const caf::node_id&, caf::strong_actor_ptr& handle, const std::set<std::string>&) {
            auto remote = caf::actor_cast<cluster_endpoint_actor>(std::move(handle));
            if (!remote) {
              component_log("cluster")->warn("{} published no cluster manager; retrying",
                                             self->state.peer_name);
              retry_later(self);
              return;
            }
            join(self, std::move(remote));
          },
          [self](caf::error& err) {
            component_log("cluster")->debug("cannot reach {} at {}:{}: {}", self->state.peer_name,
                                            self->state.api_host, self->state.api_port,
                                            self->system().render(err));
            retry_later(self);
          });
}

}  // namespace

peer_connection_actor::behavior_type peer_connection(self_ptr self, std::string peer_name,
                                                     std::string api_host, uint16_t api_port,
                                                     node_info me, cluster_manager_actor local,
                                                     peer_link_options options) {
  auto& st = self->state;
  st.options = options;
  st.peer_name = std::move(peer_name);
  st.api_host = std::move(api_host);
  st.api_port = api_port;
  st.me = std::move(me);
  st.local = std::move(local);
  st.backoff = defaults::reconnect_backoff_first;
  st.turn_end = self->spawn<caf::linked>(turn_end);
  self->delayed_send(self, defaults::forward_timeout, caf::connect_atom_v, caf::timeout_atom_v);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    if (msg.source != st.remote.address()) return;
    const auto silent =
        std::chrono::duration_cast<caf::timespan>(std::chrono::steady_clock::now() - st.last_heard);
    component_log("cluster")->warn(
        "lost {} ({}; silent for {} ms); reconnecting", st.peer_name,
        self->system().render(msg.reason),
        std::chrono::duration_cast<std::chrono::milliseconds>(silent).count());
    st.remote = nullptr;
    abandon_waiting(self);
    self->send(st.local, peer_state_atom_v, st.peer_name, false, silent);
    retry_later(self);
  });
  // Nobody else would answer what waits here: a replica write's shard would wait forever.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    abandon_waiting(self);
    self->quit(msg.reason);
  });
  self->send(self, caf::connect_atom_v);
  return {
      [self](exec_atom, command& cmd, reply_sink_ptr& sink) {
        gather_forward(self, cmd, sink);
        send_forwards_later(self);
      },
      [self](exec_atom, std::vector<command>& commands, std::vector<reply_sink_ptr>& sinks) {
        for (std::size_t i = 0; i < commands.size() && i < sinks.size(); ++i)
          gather_forward(self, commands[i], sinks[i]);
        send_forwards_later(self);
      },
      [self](replicate_atom, replica_write& write) -> caf::result<bool> {
        auto& st = self->state;
        if (!st.remote) return unreachable_error(st.peer_name);
        auto promise = self->make_response_promise<bool>();
        st.replicas.add(std::move(write), promise);
        if (!st.replicas.in_flight()) flush_after_turn(self);
        return promise;
      },
      [self](flush_atom) { flush(self); },
      [self](caf::tick_atom) { give_up_overdue(self); },
      [self](caf::forward_atom, uint64_t batch, std::vector<reply>& answers) {
        answer_forwards(self, batch, answers);
        flush_gathered(self);
      },
      [self](replicate_atom, uint64_t batch, bool stored) {
        answer_replicas(self, batch, stored);
        flush_gathered(self);
      },
      [self](adopt_atom atom, object_record& record) { return relay<bool>(self, atom, record); },
      [self](caf::forward_atom atom, command& cmd) { return relay<reply>(self, atom, cmd); },
      [self](migrate_atom atom, int slot, bool counters, bool last, bool settled,
             std::vector<replica_write>& writes) {
        auto epoch = epoch_now(self);
        return relay<bool>(self, atom, slot, counters, last, settled, epoch, writes);
      },
      [self](fetch_atom atom, std::string& key, bool counter) {
        return relay<replica_write>(self, atom, key, counter);
      },
      [self](twin_atom atom, std::string& twin, bool add) {
        return relay<bool>(self, atom, twin, add);
      },
      [self](digest_atom atom, int slot) { return relay<uint64_t>(self, atom, slot); },
      [self](takeover_atom atom, std::string& taker, std::vector<std::string>& owners,
             uint64_t epoch,
             int64_t notice) { return relay<bool>(self, atom, taker, owners, epoch, notice); },
      [self](layout_atom atom, uint64_t epoch, ballot& b) {
        return relay<layout_vote>(self, atom, epoch, b);
      },
      [self](layout_atom atom, ballot& b, agreed_layout& layout) {
        return relay<layout_vote>(self, atom, b, layout);
      },
      [self](layout_atom atom, agreed_layout& layout) {
        if (self->state.remote) self->send(self->state.remote, atom, std::move(layout));
      },
      [self](takeover_atom atom, caf::ok_atom ok, std::string& told, int64_t notice) {
        // Sent after the gathered writes, on this connection: the taker's endpoint passes both
        // on in that order, so the taker refuses them before it counts this node as serving.
        flush(self);
        auto& st = self->state;
        if (!st.remote) return false;
        self->send(st.remote, atom, ok, std::move(told), notice);
        return true;
      },
      [self](pull_atom atom, int slot, std::string& requester) {
        return relay<uint64_t>(self, atom, slot, requester);
      },
      [self](summary_atom atom, int slot) {
        return relay<std::vector<key_version>>(self, atom, slot);
      },
      [self](status_atom atom) { return relay<node_status>(self, atom); },
      [self](caf::update_atom, std::vector<node_info>& view) {
        if (self->state.remote) self->send(self->state.remote, caf::update_atom_v, std::move(view));
      },
      [self](caf::connect_atom) { connect(self); },
      [self](caf::connect_atom, caf::reset_atom) { connect(self, true); },
      [self](caf::connect_atom, caf::timeout_atom) { end_first_link(self); },
      [self](caf::connect_atom, bool reachable, uint64_t round) {
        auto& st = self->state;
        if (!st.probing || round != st.probe_round) return;  // replaced by a newer attempt
        st.probing = false;
        if (reachable)
          connect_reachable(self);
        else
          retry_later(self);
      },
      [self](ping_atom) { ping(self); },
  };
}

}  // namespace ovo
