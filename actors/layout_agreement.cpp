#include "actors/layout_agreement.hpp"

#include "config/defaults.hpp"
#include "core/logging.hpp"

#include <algorithm>
#include <random>

namespace ovo {
namespace {

/// Keeps the vote on disk; false (logged) when it could not be kept.
bool save_vote(cluster_manager_self self) {
  const auto& st = self->state;
  const auto& store = st.options.layout_votes;
  if (!store.save || store.save(st.acceptor->state())) return true;
  component_log("cluster")->error(
      "cannot save this node's layout vote: refusing to vote until it can (a vote forgotten "
      "across a restart could let two layouts win one epoch)");
  return false;
}

/// A layout a peer sent: one owner and one holder list per slot, members and down sorted
/// (looked up by binary search), members unique, an identity per member or none, and a
/// lagging list and an arriving list per slot, or none.
bool well_formed(const agreed_layout& layout) {
  const auto& members = layout.members;
  return layout.owners.size() == slot_count && layout.replicas.size() == slot_count &&
         (layout.lagging.empty() || layout.lagging.size() == slot_count) &&
         (layout.arriving.empty() || layout.arriving.size() == slot_count) &&
         std::is_sorted(members.begin(), members.end()) &&
         std::adjacent_find(members.begin(), members.end()) == members.end() &&
         std::is_sorted(layout.down.begin(), layout.down.end()) &&
         (layout.member_ids.empty() || layout.member_ids.size() == members.size());
}

layout_vote refusal() { return {}; }

/// A new member identity: random, never 0 (0 names no identity in a layout).
uint64_t draw_member_identity() {
  std::random_device device;
  std::uniform_int_distribution<uint64_t> any(1);
  return any(device);
}

/// A node this one took over and has not told yet proposes the layout its own view wants: one
/// in which it serves its slots again, while its copies miss what was acknowledged meanwhile.
/// Its proposals are refused (a refusal costs only progress, never safety) until it was told.
bool proposer_taken_over(cluster_manager_self self, const ballot& b) {
  return self->state.taken_over.count(b.proposer) > 0;
}

/// Everything that follows installing a chosen layout.
void installed_layout(cluster_manager_self self) {
  auto& st = self->state;
  save_vote(self);  // a restart that misses it learns it again from the peers
  const auto& layout = st.acceptor->installed();
  st.placements.installed(layout);
  const auto& me = st.view->self().name;
  const auto owned = std::count(layout.owners.begin(), layout.owners.end(), me);
  int arriving = 0;
  for (std::size_t slot = 0; slot < slot_count; ++slot) arriving += layout.arrives(slot, me);
  component_log("cluster")->info(
      "layout epoch {} agreed: {} members, {} slots owned here, {} held here still arriving",
      layout.epoch, layout.members.size(), owned, arriving);
  if (st.proposal && st.proposal->epoch() <= layout.epoch) st.proposal.reset();
  if (st.joining && std::count(layout.members.begin(), layout.members.end(), me) > 0) {
    st.joining = false;  // the routing table published below serves again
    component_log("cluster")->info("joined: layout epoch {} names this node", layout.epoch);
  }
  // Under the majority rule the node serves by agreed layouts only; with PartitionPolicy
  // "available" every side serves by its own view, as it must to serve alone.
  if (st.options.majority_rule) {
    for (const auto& name : st.view->follow(layout))
      component_log("cluster")->info(
          "{} serves again in layout epoch {}: its removal here is undone (the members that "
          "reached it readmitted it)",
          name, layout.epoch);
    for (const auto& name : layout.down) take_over_as_agreed(self, name);
  }
  // The routing table carries the epoch (stamped into versions and peer messages); this also
  // proposes again if the view wants another layout.
  serving_layout_changed(self);
}

void handle_step(cluster_manager_self self, layout_proposal::step step);

/// A voter's answer to the current round's prepare (`prepare`) or accept.
void on_vote(cluster_manager_self self, const ballot& b, const std::string& voter, bool prepare,
             const layout_vote& vote) {
  auto& st = self->state;
  if (!st.proposal || !(st.proposal->current_ballot() == b)) return;  // an earlier round's
  if (vote.what == layout_vote::kind::behind)
    if (auto peer = st.peers.find(voter); peer != st.peers.end())
      announce_layout_to(self, peer->second);
  handle_step(
      self, prepare ? st.proposal->on_promise(voter, vote) : st.proposal->on_accepted(voter, vote));
}

/// Asks every voter of the current round: its prepare, or to accept the round's value.
void ask_voters(cluster_manager_self self, bool prepare) {
  auto& st = self->state;
  const auto b = st.proposal->current_ballot();
  const auto epoch = st.proposal->epoch();
  const auto value = st.proposal->value();
  const auto& me = st.view->self().name;
  for (const auto& voter : st.proposal->voters()) {
    if (voter == me) continue;
    auto peer = st.peers.find(voter);
    if (peer == st.peers.end()) continue;  // not known here: its vote counts for nothing
    auto answered = [self, b, voter, prepare](layout_vote& vote) {
      on_vote(self, b, voter, prepare, vote);
    };
    auto lost = [](caf::error&) {};  // no answer is no vote; the round's timeout follows
    if (prepare)
      self->request(peer->second, defaults::layout_vote_timeout, layout_atom_v, epoch, b)
          .then(answered, lost);
    else
      self->request(peer->second, defaults::layout_vote_timeout, layout_atom_v, b, value)
          .then(answered, lost);
  }
  // This node's own vote last: it may complete the round, which ends the loop's proposal.
  if (std::binary_search(st.proposal->voters().begin(), st.proposal->voters().end(), me))
    on_vote(self, b, me, prepare,
            prepare ? vote_on_prepare(self, epoch, b) : vote_on_accept(self, b, value));
}

void handle_step(cluster_manager_self self, layout_proposal::step step) {
  auto& st = self->state;
  switch (step) {
    case layout_proposal::step::wait:
      return;
    case layout_proposal::step::send_accepts:
      ask_voters(self, false);
      return;
    case layout_proposal::step::chosen: {
      auto chosen = st.proposal->value();
      st.proposal.reset();
      for (const auto& [name, peer] : st.peers) self->send(peer, layout_atom_v, chosen);
      if (st.acceptor->learn(chosen)) installed_layout(self);
      return;
    }
    case layout_proposal::step::lost:
      st.layout_round = std::max(st.layout_round, st.proposal->higher_seen().round);
      st.proposal.reset();
      want_layout(self);
      return;
    case layout_proposal::step::learn: {
      auto learned = st.proposal->learned();
      st.proposal.reset();
      if (st.acceptor->learn(learned))
        installed_layout(self);
      else
        want_layout(self);
      return;
    }
  }
}

/// The first member by name among those this node reaches (itself included) proposes at once;
/// the others wait, so that after a change every node sees, one of them usually wins alone.
std::chrono::milliseconds proposal_pause(cluster_manager_self self) {
  const auto& st = self->state;
  const auto& me = st.view->self().name;
  for (const auto& member : st.acceptor->installed().members) {
    if (member == me) return defaults::layout_first_proposal;
    if (st.links_up.count(member)) break;
  }
  static thread_local std::minstd_rand random{std::random_device{}()};
  const auto spread = defaults::layout_other_proposal.count();
  return defaults::layout_other_proposal + std::chrono::milliseconds(random() % spread);
}

/// Whether this node should propose the layout its view wants now.
bool proposal_wanted(cluster_manager_self self) {
  const auto& st = self->state;
  if (st.proposal || st.in_minority) return false;
  const auto& installed = st.acceptor->installed();
  // No voters: a node that joined another cluster learns its layouts first.
  if (installed.members.empty()) return false;
  return !st.view->wanted_layout().same_layout(installed);
}

}  // namespace

void start_layout_register(cluster_manager_self self, std::vector<std::string> founders) {
  auto& st = self->state;
  const auto& me = st.view->self().name;
  acceptor_state start;
  if (const auto& saved = st.options.layout_votes.saved) {
    start = *saved;
  } else {
    std::sort(founders.begin(), founders.end());
    founders.erase(std::unique(founders.begin(), founders.end()), founders.end());
    start.installed.members = std::move(founders);
  }
  const bool drawn = start.identity == 0;
  if (drawn) start.identity = draw_member_identity();
  st.view->set_voter(start.identity);
  st.acceptor = std::make_unique<layout_acceptor>(me, std::move(start));
  st.placements.installed(st.acceptor->installed());
  if (!drawn) return;
  save_vote(self);
  // Without a saved vote this node may have voted before under another identity (a lost
  // file): it votes again only once a layout names this one.
  component_log("cluster")->info(
      "{}: this node votes as member identity {:016x} once a layout names it",
      st.options.layout_votes.saved ? "the saved layout vote names no member identity"
                                    : "no saved layout vote",
      st.acceptor->state().identity);
}

bool agrees_alone(cluster_manager_self self) {
  const auto& members = self->state.acceptor->installed().members;
  return members.size() == 1 && members.front() == self->state.view->self().name;
}

void leave_solo_history(cluster_manager_self self) {
  auto& st = self->state;
  acceptor_state fresh;
  fresh.identity = st.acceptor->state().identity;  // the same node and disk
  st.acceptor = std::make_unique<layout_acceptor>(st.view->self().name, std::move(fresh));
  st.placements = {};  // the cluster's epochs may be lower than this node's own were
  st.proposal.reset();
  st.view->follow(std::nullopt);  // until the cluster's layout is learned
  save_vote(self);
  component_log("cluster")->info(
      "joining another cluster: this node's own layouts are dropped, it learns the cluster's");
}

void want_layout(cluster_manager_self self) {
  auto& st = self->state;
  if (st.proposal_due || !proposal_wanted(self)) return;
  st.proposal_due = true;
  self->delayed_send(self, proposal_pause(self), layout_atom_v);
}

void propose_layout(cluster_manager_self self) {
  auto& st = self->state;
  st.proposal_due = false;
  st.arrival_report_due = false;
  if (!proposal_wanted(self)) return;
  const ballot b{++st.layout_round, st.view->self().name};
  st.proposal.emplace(st.acceptor->installed(), b, st.view->wanted_layout());
  component_log("cluster")->debug("proposing layout epoch {} (round {})", st.proposal->epoch(),
                                  b.round);
  self->delayed_send(self, defaults::layout_round_timeout, layout_atom_v, b.round);
  ask_voters(self, true);
}

void give_up_round(cluster_manager_self self, uint64_t round) {
  auto& st = self->state;
  if (!st.proposal || st.proposal->current_ballot().round != round) return;
  component_log("cluster")->info("layout epoch {}: no majority answered round {}; trying again",
                                 st.proposal->epoch(), round);
  st.proposal.reset();
  want_layout(self);
}

layout_vote vote_on_prepare(cluster_manager_self self, uint64_t epoch, const ballot& b) {
  if (proposer_taken_over(self, b)) return refusal();
  auto vote = self->state.acceptor->prepare(epoch, b);
  if (vote.what == layout_vote::kind::granted && !save_vote(self)) return refusal();
  return vote;
}

layout_vote vote_on_accept(cluster_manager_self self, const ballot& b, const agreed_layout& value) {
  if (!well_formed(value) || proposer_taken_over(self, b)) return refusal();
  auto vote = self->state.acceptor->accept(b, value);
  if (vote.what == layout_vote::kind::granted && !save_vote(self)) return refusal();
  return vote;
}

void layout_announced(cluster_manager_self self, const agreed_layout& layout) {
  if (!well_formed(layout)) {
    component_log("cluster")->warn("ignored an announced layout that names no owner per slot");
    return;
  }
  if (self->state.acceptor->learn(layout)) installed_layout(self);
}

void announce_layout_to(cluster_manager_self self, const peer_connection_actor& peer) {
  const auto& installed = self->state.acceptor->installed();
  if (installed.epoch > 0) self->send(peer, layout_atom_v, installed);
}

}  // namespace ovo
