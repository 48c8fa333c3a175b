#pragma once
// The cluster manager's side of the layout register (docs/cluster.md, "Layout epochs"): its
// vote, kept on disk before it is granted; its proposals, when its view wants a layout other
// than the installed one; announcements of chosen layouts, sent to every peer and to a peer
// whose link comes up. The node routes by its view still: the installed layout is agreed and
// shown (its epoch in ovoctl status and GET /metrics), not yet followed.

#include "actors/cluster_manager.hpp"

#include <string>
#include <vector>

namespace ovo {

/// Sets up this node's vote: the one saved by its last run, or, on a first start, epoch 0 with
/// `founders` (this node and its configured peers) voting on the first layout.
void start_layout_register(cluster_manager_self self, std::vector<std::string> founders);

/// Whether the layouts this node installed were agreed by it alone (it is their only member).
bool agrees_alone(cluster_manager_self self);

/// A node joining another cluster (ovoctl join) drops the history it made alone (agrees_alone):
/// nobody else voted in it. It learns the cluster's layouts from its seed.
void leave_solo_history(cluster_manager_self self);

/// The view changed, a layout was installed or a round ended: schedules a proposal when the
/// view wants another layout than the installed one.
void want_layout(cluster_manager_self self);

/// (layout): a proposal scheduled by want_layout, or by a copy that arrived (slot_arrivals.hpp),
/// is due.
void propose_layout(cluster_manager_self self);

/// (layout, round): round `round` had no majority in time: given up, proposed again later.
void give_up_round(cluster_manager_self self, uint64_t round);

/// A proposer's prepare and accept: this node's vote.
layout_vote vote_on_prepare(cluster_manager_self self, uint64_t epoch, const ballot& b);
layout_vote vote_on_accept(cluster_manager_self self, const ballot& b, const agreed_layout& value);

/// A peer announced a chosen layout.
void layout_announced(cluster_manager_self self, const agreed_layout& layout);

/// Sends the installed layout to one peer (its link just came up: it may have missed some).
void announce_layout_to(cluster_manager_self self, const peer_connection_actor& peer);

}  // namespace ovo
