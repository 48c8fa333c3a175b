#pragma once
// Every actor's messages in one place: read this file to know the whole system. Whatever goes
// to a "remote cluster_manager" below enters through that node's cluster_endpoint, the only
// actor it publishes, which passes the peer part of the protocol on.
//
//   REST thread --(exec, command, sink)--> shard | keyspace | cluster_manager
//   shard --(adopt, record)--> other shard            (updatekey across shards)
//   shard --(expire)--> itself      (every ExpirySweepMs, or at once after a full batch: drops
//       the keys whose deadline passed, a bounded batch at a time)
//   keyspace --(exec, count command) / (keys, slot, walk)--> every shard, then answers the
//       sink (a listing asks each shard for its slots' keys a bounded slice at a time)
//   REST thread --(exec, command, sink)--> peer_connection --(forward, commands)--> remote
//       cluster_manager --> the key's shard                (the slot is owned by another node;
//       the commands that reach the connection before its next flush travel as one message;
//       a bulk request's commands for that node reach it as one (exec, commands, sinks))
//   peer_connection --(join, me)--> remote cluster_manager, which answers with its view
//   cluster_manager --(update, view)--> peer_connection --(update, view)--> remote manager
//   shard --(replicate, state)--> peer_connection --(replicate, states)-->
//       twin's cluster_manager --> the key's shard  (after every write, before the
//       client's answer; gathered until a flush like forwarded commands)
//   cluster_manager (slot mover) --(push, slot, target) / (drop, slot)--> shard
//   shard --(migrate, slot, counters?, last?, chunk)--> peer_connection --> new holder's
//       cluster_manager --> the slot's shard                 (after a layout change; sent by
//       the data's actor itself, so its later replica writes cannot overtake the slot)
//   cluster_manager --(expect, slots)--> shard  (slots whose data is on its way)
//   shard --(fetch, key)--> peer_connection --> previous owner's cluster_manager
//       --> the key's shard                   (a key missing here while its slot is on its way)
//   cluster_manager --(pull, slot, me)--> peer_connection --> a holder's cluster_manager -->
//       its shard --(migrate ...)--> back here  (a slot still arriving with no chunk for a
//       while, or whose sender is gone)
//   cluster_manager --(verify, slot)--> the owning shard --(digest | summary, slot)-->
//       peer_connection --> replica holder's cluster_manager --> its shard   (anti-entropy:
//       differing keys then travel as replicate and fetch)
//   REST thread --(dashboard, sink)--> admin --(dashboard)--> cluster_manager --(status)-->
//       every peer_connection --> remote cluster_endpoint --> its admin  (the dashboard's
//       figures, GET /ovo/dashboard: one second for each peer, then it is shown down)

#include "core/admin_types.hpp"
#include "core/cluster_figures.hpp"
#include "core/command.hpp"
#include "core/layout_register.hpp"
#include "core/object_record.hpp"
#include "core/slot_digest.hpp"

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <vector>

namespace ovo {

/// Where an actor delivers the answer to one command. The REST layer implements it over a
/// moved Pistache ResponseWriter, so no REST thread ever waits for an actor.
class reply_sink {
 public:
  virtual ~reply_sink() = default;
  virtual void deliver(reply answer) = 0;
};
using reply_sink_ptr = std::shared_ptr<reply_sink>;

/// Where the admin actor delivers the dashboard's figures (GET /ovo/dashboard), or why there
/// are none; implemented by the REST layer like reply_sink.
class figures_sink {
 public:
  virtual ~figures_sink() = default;
  virtual void deliver(cluster_figures figures) = 0;
  virtual void fail(std::string why) = 0;
};
using figures_sink_ptr = std::shared_ptr<figures_sink>;

// -- inspectors: every type that may cross the network ------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_info& x) {
  return f(caf::meta::type_name("node_info"), x.name, x.host, x.port, x.api_host, x.api_port,
           x.active, x.hash_range, x.twins, x.joined_at_ms, x.incarnation, x.version, x.leaving,
           x.ranked, x.witness, x.unreachable, x.voter);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, command& x) {
  return f(caf::meta::type_name("command"), x.kind, x.key, x.new_key, x.data, x.new_data,
           x.collection, x.ttl_seconds, x.value, x.hops);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, packed_keys& x) {
  return f(caf::meta::type_name("packed_keys"), x.bytes, x.ends);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reply& x) {
  return f(caf::meta::type_name("reply"), x.code, x.kind, x.key, x.data, x.number, x.keys, x.nodes,
           x.message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, version_t& x) {
  return f(caf::meta::type_name("version"), x.epoch, x.clock);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, object_record& x) {
  return f(caf::meta::type_name("object_record"), x.key, x.value, x.collection, x.remaining_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, replica_write& x) {
  return f(caf::meta::type_name("replica_write"), x.counter, x.erase, x.evicted, x.record,
           x.counter_value, x.version);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_status& x) {
  return f(caf::meta::type_name("node_status"), x.name, x.uptime_ms, x.objects, x.counters,
           x.rss_bytes, x.lagging_writes, x.out_of_sync, x.slots, x.arriving, x.leaving, x.requests,
           x.forwarded, x.expired_keys, x.rebalance_passes, x.slots_moved, x.slot_entries_sent,
           x.slot_move_ms, x.slot_bytes_sent, x.peers_up, x.peers_down, x.arriving_slots,
           x.rebalancing, x.pass_slots, x.pass_done, x.stored_bytes, x.max_memory_bytes,
           x.evictions, x.evicted_bytes, x.cache_hits, x.cache_misses, x.layout_epoch,
           x.layout_pending);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_figures& x) {
  return f(caf::meta::type_name("node_figures"), x.node, x.answered, x.status);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, slot_figures& x) {
  return f(caf::meta::type_name("slot_figures"), x.owner, x.replicas);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cluster_figures& x) {
  return f(caf::meta::type_name("cluster_figures"), x.answered_by, x.nodes, x.slots);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, key_version& x) {
  return f(caf::meta::type_name("key_version"), x.key, x.version, x.counter, x.erased);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, verify_report& x) {
  return f(caf::meta::type_name("verify_report"), x.slots_checked, x.slots_skipped,
           x.keys_differing, x.keys_repaired);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ballot& x) {
  return f(caf::meta::type_name("ballot"), x.round, x.proposer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, agreed_layout& x) {
  return f(caf::meta::type_name("agreed_layout"), x.epoch, x.members, x.member_ids, x.owners,
           x.replicas, x.down, x.lagging, x.arriving);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, layout_vote& x) {
  // A kind out of range (a hostile peer) counts as a refusal (layout_proposal::count).
  return f(caf::meta::type_name("layout_vote"), x.what, x.promised, x.has_accepted,
           x.accepted_ballot, x.accepted, x.installed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pass_report& x) {
  return f(caf::meta::type_name("pass_report"), x.slots_moved, x.slots_failed, x.entries_sent,
           x.duration_ms);
}

}  // namespace ovo

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ovo::reply_sink_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<ovo::reply_sink_ptr>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ovo::figures_sink_ptr)

CAF_BEGIN_TYPE_ID_BLOCK(ovo, caf::first_custom_type_id)
CAF_ADD_TYPE_ID(ovo, (ovo::command))
CAF_ADD_TYPE_ID(ovo, (ovo::reply))
CAF_ADD_TYPE_ID(ovo, (ovo::node_info))
CAF_ADD_TYPE_ID(ovo, (ovo::object_record))
CAF_ADD_TYPE_ID(ovo, (ovo::replica_write))
CAF_ADD_TYPE_ID(ovo, (std::vector<std::string>))
CAF_ADD_TYPE_ID(ovo, (std::vector<ovo::node_info>))
CAF_ADD_TYPE_ID(ovo, (std::vector<ovo::replica_write>))
CAF_ADD_TYPE_ID(ovo, (std::vector<int>))
CAF_ADD_TYPE_ID(ovo, (std::vector<uint32_t>))
CAF_ADD_TYPE_ID(ovo, (ovo::node_status))
CAF_ADD_TYPE_ID(ovo, (ovo::pass_report))
CAF_ADD_TYPE_ID(ovo, (std::vector<uint64_t>))

/// A command for the receiver; answered through a sink or as a response.
CAF_ADD_ATOM(ovo, ovo, exec_atom, "exec")
/// Take over an object moved from another shard.
CAF_ADD_ATOM(ovo, ovo, adopt_atom, "adopt")
/// Drop a batch of the keys whose deadline has passed (a shard's own timer).
CAF_ADD_ATOM(ovo, ovo, expire_atom, "expire")
// The retired expiry scheduler's two atoms keep their places, so later IDs stay the same.
CAF_ADD_ATOM(ovo, ovo, schedule_atom, "schedule")
CAF_ADD_ATOM(ovo, ovo, targets_atom, "targets")
/// The other shards of this node, by index.
CAF_ADD_ATOM(ovo, ovo, peers_atom, "peers")
/// Apply the state of a key written on the slot's owner (this node holds the replica).
CAF_ADD_ATOM(ovo, ovo, replicate_atom, "replicate")
/// A peer connection went up (true) or down (false).
CAF_ADD_ATOM(ovo, ovo, peer_state_atom, "peerstate")
/// Entries per slot held by the receiver.
CAF_ADD_ATOM(ovo, ovo, sizes_atom, "sizes")
/// Send this holder's entries of one slot to a new holder.
CAF_ADD_ATOM(ovo, ovo, push_atom, "push")
/// Forget one slot (this node no longer holds it).
CAF_ADD_ATOM(ovo, ovo, drop_atom, "drop")
/// These slots' data is on its way: keep what is written here meanwhile over arriving copies.
CAF_ADD_ATOM(ovo, ovo, expect_atom, "expect")
/// Store a slot's entries sent by the node that held it.
CAF_ADD_ATOM(ovo, ovo, migrate_atom, "migrate")
/// The current state of one key (read-through while its slot's data is on the way).
CAF_ADD_ATOM(ovo, ovo, fetch_atom, "fetch")
/// Move slot data to match the current layout.
CAF_ADD_ATOM(ovo, ovo, rebalance_atom, "rebalance")
/// Remove a node that stayed unreachable (if it is still the same process and still down).
CAF_ADD_ATOM(ovo, ovo, remove_atom, "remove")
/// Admin: are you there (answers the node name).
CAF_ADD_ATOM(ovo, ovo, ping_atom, "ping")
/// Admin: this node's health.
CAF_ADD_ATOM(ovo, ovo, status_atom, "status")
/// Admin: the cluster view.
CAF_ADD_ATOM(ovo, ovo, topology_atom, "topology")
/// Admin: add or remove a twin of this node.
CAF_ADD_ATOM(ovo, ovo, twin_atom, "twin")
/// The admin actor of a node (ovoctl asks the published cluster endpoint for it).
CAF_ADD_ATOM(ovo, ovo, admin_atom, "admin")
/// Hand every slot over, then answer (graceful leave).
CAF_ADD_ATOM(ovo, ovo, leave_atom, "leave")
// Appended, not sorted in: a type's ID is its position, so the IDs above stay what they were.
CAF_ADD_TYPE_ID(ovo, (std::vector<ovo::command>))
CAF_ADD_TYPE_ID(ovo, (std::vector<ovo::reply>))
/// Send what was gathered for the peer (a peer connection's own housekeeping).
CAF_ADD_ATOM(ovo, ovo, flush_atom, "flush")
/// Bring a replica holder that left a slot's in-sync set up to date (a shard's own retry).
CAF_ADD_ATOM(ovo, ovo, catch_up_atom, "catchup")
/// Lagging replica holders, agreed (docs/cluster.md, "Lagging holders are agreed"): (slot,
/// holder, lagging, departure) a shard tells the cluster manager one fell out of sync or caught
/// up; (slot, holder) the cluster manager tells a shard of a slot it now owns that the agreed
/// layout lists it lagging; (cluster manager) where a shard sends its reports.
CAF_ADD_ATOM(ovo, ovo, lagging_atom, "lagging")
CAF_ADD_TYPE_ID(ovo, (ovo::key_version))
CAF_ADD_TYPE_ID(ovo, (std::vector<ovo::key_version>))
CAF_ADD_TYPE_ID(ovo, (ovo::verify_report))
/// A digest of the slot's live entries (anti-entropy: copies compare digests first).
CAF_ADD_ATOM(ovo, ovo, digest_atom, "digest")
/// The slot's keys with their versions, deletes included (when digests differ).
CAF_ADD_ATOM(ovo, ovo, summary_atom, "summary")
/// Compare slots with their replica holders and bring the older copies up to date.
CAF_ADD_ATOM(ovo, ovo, verify_atom, "verify")
/// Send a slot's data to the node asking (an arrival that cannot wait for a pass any longer).
CAF_ADD_ATOM(ovo, ovo, pull_atom, "pull")
/// A slice of the live object keys of one slot (GET /ovo/keys is built a slice at a time).
CAF_ADD_ATOM(ovo, ovo, keys_atom, "keys")
CAF_ADD_TYPE_ID(ovo, (ovo::cluster_figures))
/// The figures of the whole cluster for the dashboard (GET /ovo/dashboard).
CAF_ADD_ATOM(ovo, ovo, dashboard_atom, "dashboard")
/// (taker, owners): the taker served the receiver's slots while it could not reach it (taken
/// over); `owners` names each slot's owner in the taker's layout.
CAF_ADD_ATOM(ovo, ovo, takeover_atom, "takeover")
CAF_ADD_TYPE_ID(ovo, (ovo::ballot))
CAF_ADD_TYPE_ID(ovo, (ovo::agreed_layout))
CAF_ADD_TYPE_ID(ovo, (ovo::layout_vote))
/// The layout register (docs/cluster.md, "Layout epochs"): (epoch, ballot) prepares, (ballot,
/// layout) asks to accept, (layout) announces a chosen one; (layout) alone to itself: time to
/// propose, (layout, round) to itself: give up a round that got no majority in time.
CAF_ADD_ATOM(ovo, ovo, layout_atom, "layout")
/// This node leaves the layouts it agreed alone to join another cluster: its shards stamp
/// what they hold with epoch 0 and serve by that cluster's epochs.
CAF_ADD_ATOM(ovo, ovo, epochs_atom, "epochs")
/// How many objects and counters a shard holds.
CAF_ADD_ATOM(ovo, ovo, holdings_atom, "holdings")
CAF_END_TYPE_ID_BLOCK(ovo)

namespace ovo {

/// Handles a command from REST (answers the sink) or from another actor (answers a response).
using command_handler_actor = caf::typed_actor<caf::reacts_to<exec_atom, command, reply_sink_ptr>,
                                               caf::replies_to<exec_atom, command>::with<reply>>;

/// Gives freed heap memory back once the stored bytes fell (actors/heap_trimmer.hpp).
using heap_trimmer_actor = caf::typed_actor<caf::reacts_to<caf::tick_atom>>;

/// Holds slot data (objects and counters) that can be listed, sent to another node, dropped,
/// and received.
using slot_holder_actor = caf::typed_actor<
    // Entries per slot: objects, counters; the (slot, replica holder) pairs out of sync; the
    // slots whose data is still arriving; the accounted bytes stored (docs/memory.md).
    caf::replies_to<sizes_atom>::with<std::vector<uint32_t>, std::vector<uint32_t>, uint64_t,
                                      uint32_t, uint64_t>,
    // (slot, target, complete?, settled?): see push_slot in slot_handlers.hpp.
    caf::replies_to<push_atom, int, caf::strong_actor_ptr, bool, bool>::with<uint64_t>,
    caf::replies_to<drop_atom, int>::with<uint64_t>,
    caf::reacts_to<expect_atom, std::vector<int>, bool>,
    // (slot, counters?, last?, entries): one chunk of one namespace of a slot's data.
    caf::replies_to<migrate_atom, int, bool, bool, bool, std::vector<replica_write>>::with<bool>,
    // (key, counter?): the current state of one key.
    caf::replies_to<fetch_atom, std::string, bool>::with<replica_write>,
    // Anti-entropy: the digest of a slot (slot_digest.hpp), and its summary.
    caf::replies_to<digest_atom, int>::with<uint64_t>,
    caf::replies_to<summary_atom, int>::with<std::vector<key_version>>>;

/// Owns the objects and the counters of a disjoint set of slots.
using shard_actor = command_handler_actor::extend_with<slot_holder_actor>::extend<
    caf::replies_to<adopt_atom, object_record>::with<bool>,
    caf::replies_to<replicate_atom, replica_write>::with<bool>,
    // Its own timer: drop a batch of the keys whose deadline passed.
    caf::reacts_to<expire_atom>,
    // Every shard of the node, by index.
    caf::reacts_to<peers_atom, std::vector<caf::actor_addr>>,
    // (slot, holder): push the slot to a replica holder out of sync, then count it again.
    caf::reacts_to<catch_up_atom, int, std::string>,
    // (cluster manager): where to report holders leaving or rejoining the in-sync set;
    // (slot, holder): the agreed layout lists it lagging on a slot this node now owns.
    // (slot, holder, departure): its own timer, report the holder if still out since then.
    caf::reacts_to<lagging_atom, caf::strong_actor_ptr>,
    caf::reacts_to<lagging_atom, int, std::string>,
    caf::reacts_to<lagging_atom, int, std::string, uint64_t>,
    // (slot, inserts, after): a slice of a slot's keys for a listing, from where the previous
    // one stopped (object_space::key_walk); answers the keys (packed_keys: bytes, ends), where
    // the next slice resumes, done? and whole? (object_space::key_slice).
    caf::replies_to<keys_atom, int, uint64_t, uint64_t>::with<std::string, std::vector<uint64_t>,
                                                              uint64_t, uint64_t, bool, bool>,
    // (slot, repair?, settled): compare an owned slot with its replica holders (slot_verify.hpp).
    caf::replies_to<verify_atom, int, bool, uint64_t>::with<verify_report>,
    // Before this node joins another cluster: the objects and counters held (it joins only
    // empty); then, once it left the layouts it agreed alone, restart its epochs.
    caf::replies_to<holdings_atom>::with<uint64_t, uint64_t>,
    caf::replies_to<epochs_atom>::with<bool>>;

/// Answers node-wide questions (key count, key list) by asking every shard.
using keyspace_actor = command_handler_actor;

/// What ovoctl talks to: inspects the node and changes the topology live.
using admin_actor =
    caf::typed_actor<caf::replies_to<ping_atom>::with<std::string>,
                     caf::replies_to<topology_atom>::with<std::vector<node_info>>,
                     caf::replies_to<status_atom>::with<node_status>,
                     caf::replies_to<leave_atom>::with<bool>,
                     caf::replies_to<rebalance_atom>::with<pass_report>,
                     caf::replies_to<caf::join_atom, std::string, uint16_t>::with<bool>,
                     caf::replies_to<twin_atom, std::string, bool>::with<bool>,
                     // (repair?): this node's slots compared with their replica holders.
                     caf::replies_to<verify_atom, bool>::with<verify_report>,
                     // The cluster's figures for REST's dashboard (local only: the sink).
                     caf::reacts_to<dashboard_atom, figures_sink_ptr>>;

}  // namespace ovo

// Handles of the admin actor cross the network (ovoctl receives one).
CAF_BEGIN_TYPE_ID_BLOCK(ovo_admin, caf::id_block::ovo::end)
CAF_ADD_TYPE_ID(ovo_admin, (ovo::admin_actor))
CAF_END_TYPE_ID_BLOCK(ovo_admin)

namespace ovo {

// The cluster manager's roles, composed as Tenzir composes its actors: what a peer may send,
// what the admin actor asks on ovoctl's behalf, and what the node's own actors send. Only the
// peer part is reachable from the network, through the cluster endpoint.

/// The version of the peer protocol below: a node refuses a peer that introduces itself with
/// another one. Bump it whenever a peer message or a type it carries changes.
constexpr uint32_t cluster_protocol_version = 14;

/// What a peer node sends this node's cluster: commands forwarded to the owner, replica writes
/// and slot data, membership.
using cluster_peer_actor = caf::typed_actor<
    caf::replies_to<caf::forward_atom, command>::with<reply>,
    // Batches from a peer connection, stamped with the layout epoch the sender serves by (id,
    // epoch, items), answered by a message back to it with the same id: (forward, id, replies
    // in order) and (replicate, id, all stored). Replica writes stamped with an epoch older than
    // the one installed here are refused; either stamp that old gets the sender the newer
    // layout (docs/cluster.md, "Epoch stamps").
    caf::reacts_to<caf::forward_atom, uint64_t, uint64_t, std::vector<command>>,
    caf::reacts_to<replicate_atom, uint64_t, uint64_t, std::vector<replica_write>>,
    caf::replies_to<adopt_atom, object_record>::with<bool>,
    // (protocol version, the joiner's facts): the introduction; the answer is this node's view.
    caf::replies_to<caf::join_atom, uint32_t, node_info>::with<std::vector<node_info>>,
    caf::reacts_to<caf::update_atom, std::vector<node_info>>,
    // Slot data (slot, counters, last part, settled, sender's epoch, entries): refused like
    // replica writes when stamped with an older epoch than the one installed here. Settled: the
    // sender had no arrival of the slot open when it dumped it, so its copy is whole
    // (slot_handlers.hpp, push_namespace).
    caf::replies_to<migrate_atom, int, bool, bool, bool, uint64_t,
                    std::vector<replica_write>>::with<bool>,
    caf::replies_to<fetch_atom, std::string, bool>::with<replica_write>,
    // (slot, requester): push this node's copy of the slot to the requester, answering the
    // entries sent once it stored them all (slot_arrivals.hpp).
    caf::replies_to<pull_atom, int, std::string>::with<uint64_t>,
    // Anti-entropy: an owner comparing its copy of a slot with this replica holder's.
    caf::replies_to<digest_atom, int>::with<uint64_t>,
    caf::replies_to<summary_atom, int>::with<std::vector<key_version>>,
    // A stepbrother asking to be taken as a twin (also how admin changes twins).
    caf::replies_to<twin_atom, std::string, bool>::with<bool>,
    // (taker, owner of each slot in the taker's layout, that layout's epoch, notice): the taker
    // served this node's slots while it could not reach it; answered once this node distrusts
    // its copies of them (it reads them back from the nodes that serve them by the newer of the
    // two layouts): true when it also sent the acknowledgement below through its own
    // connection to the taker.
    caf::replies_to<takeover_atom, std::string, std::vector<std::string>, uint64_t,
                    int64_t>::with<bool>,
    // (ok, told node, notice): the acknowledgement, sent by the told node's connection after
    // every replica write and slot push it had gathered: the taker counts it as serving again
    // only then, so nothing applied before the notice is stored after it.
    caf::reacts_to<takeover_atom, caf::ok_atom, std::string, int64_t>,
    // The layout register: a proposer's prepare (epoch, ballot) and accept (ballot, layout),
    // each answered with this node's vote, and the announcement of a chosen layout.
    caf::replies_to<layout_atom, uint64_t, ballot>::with<layout_vote>,
    caf::replies_to<layout_atom, ballot, agreed_layout>::with<layout_vote>,
    caf::reacts_to<layout_atom, agreed_layout>>;

/// What the admin actor asks the cluster manager for on ovoctl's behalf.
using cluster_admin_actor =
    caf::typed_actor<caf::replies_to<leave_atom>::with<bool>,
                     caf::replies_to<rebalance_atom, caf::get_atom>::with<pass_report>,
                     caf::replies_to<caf::join_atom, std::string, uint16_t>::with<bool>,
                     caf::replies_to<verify_atom, bool>::with<verify_report>,
                     // The cluster's part of this node's status (slots, arrivals, passes).
                     caf::replies_to<status_atom>::with<node_status>,
                     // The view, the slot map and every peer's status (its own left to admin).
                     caf::replies_to<dashboard_atom>::with<cluster_figures>>;

/// What the node's own actors send the cluster manager: REST's cluster queries, a peer
/// connection's up/down, its own timers.
using cluster_internal_actor = command_handler_actor::extend<
    // (name, up, silent for): a link went up or down; a dropped one says how long the peer had
    // been silent before it dropped.
    caf::reacts_to<peer_state_atom, std::string, bool, caf::timespan>,
    // (name, link change): it has been silent NodeTimeoutMs (link_changed).
    caf::reacts_to<peer_state_atom, std::string, int64_t>, caf::reacts_to<rebalance_atom>,
    caf::reacts_to<remove_atom, std::string, int64_t>,
    // (name, link change): tell it again it was taken over.
    caf::reacts_to<takeover_atom, std::string, int64_t>,
    // Time to propose the layout the view wants (layout register).
    caf::reacts_to<layout_atom>,
    // (round): a round still without a majority by now is given up.
    caf::reacts_to<layout_atom, uint64_t>,
    // The periodic anti-entropy round (VerifyIntervalSeconds).
    caf::reacts_to<verify_atom>,
    // Look at the slots still arriving (slot_arrivals.hpp).
    caf::reacts_to<pull_atom>,
    // (slot, holder, lagging, departure): a shard's holder of an owned slot fell out of sync
    // (its departure from the in-sync set numbered `departure`) or caught up.
    caf::reacts_to<lagging_atom, int, std::string, bool, uint64_t>>;

/// Holds the cluster view, publishes the routing table, serves what peers send, moves slots.
using cluster_manager_actor =
    cluster_peer_actor::extend_with<cluster_admin_actor>::extend_with<cluster_internal_actor>;

/// What a node publishes on its APIPort: the peer part of its cluster manager, passed on to it
/// (so a remote sender can reach nothing else), and the way to its admin actor for ovoctl:
/// (admin, token) is answered only with the node's admin token (Settings.AdminTokenFile), or,
/// when it has none, only over a loopback connection.
/// (status) is answered by the admin actor: this node's figures for a peer's dashboard.
using cluster_endpoint_actor =
    cluster_peer_actor::extend<caf::replies_to<admin_atom, std::string>::with<admin_actor>,
                               caf::replies_to<status_atom>::with<node_status>,
                               // A sign of life for a peer connection's liveness pings.
                               caf::replies_to<ping_atom>::with<bool>>;

/// One remote node as seen from here: connects (and reconnects with backoff) to its cluster
/// manager, forwards commands and key moves to it, fails fast while it is unreachable.
using peer_connection_actor = caf::typed_actor<
    caf::reacts_to<exec_atom, command, reply_sink_ptr>,
    // Commands routed together (a bulk request), one sink each: they join one batch, so they
    // travel to the peer in one (forward, id, commands) message.
    caf::reacts_to<exec_atom, std::vector<command>, std::vector<reply_sink_ptr>>,
    caf::replies_to<adopt_atom, object_record>::with<bool>,
    caf::replies_to<replicate_atom, replica_write>::with<bool>,
    caf::replies_to<caf::forward_atom, command>::with<reply>,
    caf::replies_to<migrate_atom, int, bool, bool, bool, std::vector<replica_write>>::with<bool>,
    caf::replies_to<fetch_atom, std::string, bool>::with<replica_write>,
    caf::replies_to<digest_atom, int>::with<uint64_t>,
    caf::replies_to<summary_atom, int>::with<std::vector<key_version>>,
    caf::replies_to<pull_atom, int, std::string>::with<uint64_t>,
    caf::replies_to<twin_atom, std::string, bool>::with<bool>,
    caf::replies_to<takeover_atom, std::string, std::vector<std::string>, uint64_t,
                    int64_t>::with<bool>,
    // (ok, this node, notice): send what was gathered, then the acknowledgement of a takeover
    // notice (cluster_peer_actor); false while the peer is unreachable from here.
    caf::replies_to<takeover_atom, caf::ok_atom, std::string, int64_t>::with<bool>,
    // The layout register's messages to the peer (cluster_peer_actor).
    caf::replies_to<layout_atom, uint64_t, ballot>::with<layout_vote>,
    caf::replies_to<layout_atom, ballot, agreed_layout>::with<layout_vote>,
    caf::reacts_to<layout_atom, agreed_layout>,
    // The peer's status, for this node's dashboard.
    caf::replies_to<status_atom>::with<node_status>,
    caf::reacts_to<caf::update_atom, std::vector<node_info>>, caf::reacts_to<caf::connect_atom>,
    // The peer reached this node: try now, even while an earlier attempt is still probing.
    caf::reacts_to<caf::connect_atom, caf::reset_atom>,
    // A probe's answer (reachable, which probe): whether the peer's APIPort accepts connections.
    caf::reacts_to<caf::connect_atom, bool, uint64_t>,
    // Time for the next liveness ping.
    caf::reacts_to<ping_atom>,
    // The first attempt to reach the peer has taken forward_timeout: forwards stop waiting.
    caf::reacts_to<caf::connect_atom, caf::timeout_atom>,
    // Its own housekeeping: send the gathered batches; give up on overdue ones.
    caf::reacts_to<flush_atom>, caf::reacts_to<caf::tick_atom>,
    // The answers to its batches from the peer's cluster manager.
    caf::reacts_to<caf::forward_atom, uint64_t, std::vector<reply>>,
    caf::reacts_to<replicate_atom, uint64_t, bool>>;

/// Registers every message type of the node (its actors, peers and ovoctl).
inline void add_ovo_message_types(caf::actor_system_config& config) {
  config.add_message_types<caf::id_block::ovo>();
  config.add_message_types<caf::id_block::ovo_admin>();
}

}  // namespace ovo
