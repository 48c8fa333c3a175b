#pragma once
// Every named default and limit of the node, in one place.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace ovo::defaults {

inline constexpr const char* config_path = "conf/serverconf.json";

inline constexpr std::size_t shards = 8;  ///< shard actors per node
inline constexpr std::size_t max_key_bytes = 64 * 1024;
inline constexpr std::size_t max_value_bytes = 16 * 1024 * 1024;
/// Enough for updatevalueifequal carrying two maximal values in base64 plus JSON framing.
inline constexpr std::size_t max_body_bytes = 48 * 1024 * 1024;
/// Room for the request line and headers on top of the body (Pistache counts them together).
inline constexpr std::size_t max_header_bytes = 64 * 1024;
inline constexpr int64_t expiry_sweep_ms = 1000;
/// Most keys a shard drops in one turn before it serves its mailbox again: bounds the pause a
/// big expiry wave causes a GET (docs/performance.md, "Expiry").
inline constexpr std::size_t expiry_batch = 1'000;
inline constexpr const char* log_level = "info";
/// How often the heap trimmer reads the shards' accounted bytes, and by how much they must have
/// fallen from their high-water mark before freed pages go back to the system (docs/memory.md).
inline constexpr auto heap_trim_interval = std::chrono::seconds(1);
inline constexpr uint64_t heap_trim_after = 16 * 1024 * 1024;

/// JSON nesting beyond this is refused (docs/protocol.md, stricter).
inline constexpr int max_json_depth = 64;

/// A key move between two local shards; they never block, so this only trips on a dead shard.
inline constexpr auto local_move_timeout = std::chrono::seconds(5);
/// Gathering counts and key lists from every shard.
inline constexpr auto node_query_timeout = std::chrono::seconds(10);
/// Keys in one shard message of a listing: about 0.1 ms of the shard's time, so the commands
/// queued behind a slice wait little (docs/performance.md, "Listing keys").
inline constexpr std::size_t listing_slice_keys = 1000;
/// A peer's status for the dashboard: one that does not answer in time is shown down, so a
/// frozen node does not hold the page up (the page polls every second).
inline constexpr auto dashboard_peer_timeout = std::chrono::seconds(1);
/// At most how long a starting node waits for its cluster manager's first routing table.
inline constexpr auto startup_wait = std::chrono::seconds(5);

/// Connecting to a peer's APIPort (never block: CAF's remote_actor would wait forever).
inline constexpr auto peer_connect_timeout = std::chrono::seconds(2);
/// The membership handshake after connecting.
inline constexpr auto peer_join_timeout = std::chrono::seconds(2);
/// A connection to the cluster port that has not sent a whole BASP client handshake by then is
/// closed (node/cluster_listener.hpp); so is the oldest when more than this many wait at once.
inline constexpr auto cluster_handshake_timeout = std::chrono::seconds(2);
inline constexpr std::size_t cluster_handshakes_waiting_max = 256;
/// Refused cluster-port connections are logged at most once per this interval, with a count.
inline constexpr auto cluster_refusal_log_interval = std::chrono::seconds(10);
/// A command forwarded to the slot's owner, answered 503/"14" when it runs out.
inline constexpr auto forward_timeout = std::chrono::seconds(3);
/// Nodes pass a command on while each thinks another owns its key (views converge within
/// milliseconds of a change); past this many passes a write is refused, a read answered.
inline constexpr uint8_t max_forward_hops = 6;
/// A replica write not confirmed within this (Settings.ReplicaTimeoutMs): the holder leaves the
/// slot's in-sync set until a slot push brings it up to date.
inline constexpr int64_t replica_timeout_ms = 2000;
/// Copies a write needs in sync, owner included (Settings.MinCopies).
inline constexpr int64_t min_copies = 2;
/// How often a peer connection looks for batches sent to the peer and not answered in time.
inline constexpr auto overdue_check_interval = std::chrono::milliseconds(250);
/// Reconnect backoff towards an unreachable peer: doubles from the first to the last.
inline constexpr auto reconnect_backoff_first = std::chrono::milliseconds(100);
inline constexpr auto reconnect_backoff_last = std::chrono::milliseconds(2000);
/// Middleman heartbeats, so a frozen or cut-off peer (not just a closed socket) is detected: a
/// link with no traffic for connection_timeout drops (looked at on each heartbeat). Both sides
/// of a partition see it drop within one heartbeat of each other (the margin of the majority
/// rule: docs/cluster.md). Shorter timeouts (1 s, 1.5 s) dropped busy links on a loaded 2-core
/// machine.
inline constexpr auto heartbeat_interval = std::chrono::milliseconds(250);
inline constexpr auto connection_timeout = std::chrono::milliseconds(2000);
/// A connected peer connection asks the peer for a sign of life this often, so when the link
/// drops it knows since when the peer has been silent: NodeTimeoutMs counts from then.
inline constexpr auto liveness_ping_interval = std::chrono::milliseconds(250);
/// A side with a majority takes an unreachable node's slots over NodeTimeoutMs after the node
/// fell silent, but never sooner than this after its own link to the node dropped: the
/// minority stops when its links drop, within a heartbeat of ours, so this is its margin.
inline constexpr auto takeover_after_drop = std::chrono::milliseconds(1000);

/// How long a delete's version is kept, so an older copy of the key arriving later (a replica
/// write, a slot push dumped before the delete; pushes time out after migrate_timeout) is
/// refused instead of bringing the key back.
inline constexpr auto tombstone_retention = std::chrono::milliseconds(60'000);

/// A node asked for a key of a slot it still owns in its own view (the asker took the slot
/// over) takes no writes for that slot for this long, renewed by every such fetch: long enough
/// for its view to catch up, after which it forwards them to the new owner.
inline constexpr auto handover_fence = std::chrono::milliseconds(2000);

/// A slot still arriving with no chunk received here for this long (and no pass sending this
/// node anything) is pulled: its previous holder, or every node when that one is gone, sends
/// its copy. The window itself closes only when the data arrived.
inline constexpr auto arrival_pull_after = std::chrono::milliseconds(2000);
/// How often the slots still arriving are looked at.
inline constexpr auto arrival_check_interval = std::chrono::milliseconds(1000);
/// Layout changes come in bursts (a joining node is first seen, then reachable): slot data
/// moves this long after the last one.
inline constexpr auto rebalance_delay = std::chrono::milliseconds(300);
/// A slot moves in chunks of at most this many entries and about this many bytes (a larger
/// value travels alone), one chunk in flight at a time.
inline constexpr std::size_t chunk_entries = 4096;
inline constexpr std::size_t chunk_bytes = 1024 * 1024;

/// Fetching, sending and dropping one slot while rebalancing.
inline constexpr auto migrate_timeout = std::chrono::seconds(30);
/// A pass that could not hand every slot over tries again after this.
inline constexpr auto rebalance_retry = std::chrono::seconds(5);
/// Settings.NodeTimeoutMs: a side with a majority takes an unreachable node's slots over only
/// once it has been silent this long, and at least takeover_after_drop after its link dropped
/// (the minority has stopped by then: docs/cluster.md, "Partitions").
inline constexpr int64_t node_timeout_ms = 2000;
/// While a link is down but a majority still reaches the node behind it, how often a node
/// checks again whether to take that node's slots over.
inline constexpr auto takeover_recheck = std::chrono::milliseconds(250);
/// The layout register (docs/cluster.md, "Layout epochs"): the first reachable member (by name)
/// proposes this soon after its view changed, the others after the longer pause plus up to as
/// much again at random, so two rarely outbid each other; a vote not answered in
/// layout_vote_timeout counts for nothing, and a round without a majority by
/// layout_round_timeout is given up and proposed again.
inline constexpr auto layout_first_proposal = std::chrono::milliseconds(10);
inline constexpr auto layout_other_proposal = std::chrono::milliseconds(250);
inline constexpr auto layout_vote_timeout = std::chrono::milliseconds(1000);
inline constexpr auto layout_round_timeout = std::chrono::milliseconds(2000);
/// A replica holder still out of a slot's in-sync set this long after it left is reported to
/// the cluster manager, to be listed as lagging in the agreed layout (docs/cluster.md,
/// "Lagging holders are agreed"). Most departures (a replica write refused at a layout change)
/// are caught up within milliseconds: listing each would cost two layout epochs.
inline constexpr auto lag_report_delay = std::chrono::milliseconds(200);
/// A node proposes to take itself off the arriving holders of the slots whose copies arrived
/// (docs/cluster.md, "Arriving holders are agreed") this long after the first of them: a pass
/// brings its slots one after another, and proposing each at once was one more epoch each.
inline constexpr auto arrival_report_delay = std::chrono::milliseconds(500);
/// A peer that stamps messages with an older layout epoch is sent the installed layout at most
/// this often (docs/cluster.md, "Epoch stamps").
inline constexpr auto stale_stamp_retell = std::chrono::milliseconds(200);
/// How often an owner compares its slots with their replica holders and repairs differences
/// (Settings.VerifyIntervalSeconds; 0 = only on `ovoctl verify`).
inline constexpr int64_t verify_interval_seconds = 60;
/// Comparing (and repairing) one slot with its replica holders.
inline constexpr auto verify_timeout = std::chrono::seconds(60);
/// A node unreachable this long is removed from the topology.
inline constexpr int64_t dead_node_removal_seconds = 600;
/// A graceful leave that cannot hand its slots over in this time gives up.
inline constexpr auto leave_timeout = std::chrono::seconds(60);

/// How long a request may take to arrive in full before Pistache answers 408.
inline constexpr auto header_timeout = std::chrono::seconds(10);
inline constexpr auto body_timeout = std::chrono::seconds(60);
/// On SIGTERM: how long in-flight requests get to finish before the server closes.
inline constexpr auto drain_timeout = std::chrono::milliseconds(1500);

}  // namespace ovo::defaults
