#pragma once
// The layout register: how the members agree on each layout epoch (docs/cluster.md, "Layout
// epochs"). One single-decree Paxos instance per epoch, chained: the voters of epoch k are the
// members of the layout chosen at epoch k-1, and only a node that installed epoch k-1 proposes
// for epoch k. Plain logic, no messages: the cluster manager carries the prepares, accepts and
// votes between nodes and keeps each acceptor's state on disk.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ovo {

/// A layout as the members agreed on it.
struct agreed_layout {
  /// 0: nothing agreed yet (the members then are the ones bootstrapping epoch 1).
  uint64_t epoch = 0;
  /// Who votes on the next epoch (sorted names) and, in the same order, the identity each votes
  /// under: the one drawn when its stable storage was created (acceptor_state::identity). A
  /// member that lost its storage comes back under a new identity and votes only once a layout
  /// names that one. 0, or no list at all: any identity of that name (the founders of the first
  /// epoch, a node whose identity the proposer did not know yet).
  std::vector<std::string> members;
  std::vector<uint64_t> member_ids;
  /// Per slot: the owner's name ("" none) and the replica holders' names.
  std::vector<std::string> owners;
  std::vector<std::vector<std::string>> replicas;
  /// Members whose slots others serve because they were taken over (sorted names).
  std::vector<std::string> down;
  /// Per slot: the replica holders its owner reported out of sync (they missed writes and were
  /// not caught up yet). No failover promotes one of them while another holder is in sync
  /// (docs/cluster.md, "In-sync copies"). Empty: none lagging anywhere (layouts from before).
  std::vector<std::vector<std::string>> lagging;
  /// Per slot: the nodes holding it (owner or replica holders) whose copy may still be
  /// arriving: each one that did not hold the slot in the layout before, until that node
  /// itself reports its copy arrived. No failover promotes one of them while a holder neither
  /// arriving nor lagging is left (docs/cluster.md, "Arriving holders are agreed"). Empty:
  /// none arriving anywhere (layouts from before, PartitionPolicy "available").
  std::vector<std::vector<std::string>> arriving;

  /// The holders of `slot` lagging in this layout.
  const std::vector<std::string>& lagging_of(std::size_t slot) const;
  /// Whether `holder` lags on `slot` in this layout.
  bool lags(std::size_t slot, const std::string& holder) const;
  /// The nodes whose copy of `slot` may still be arriving in this layout.
  const std::vector<std::string>& arriving_of(std::size_t slot) const;
  /// Whether `name`'s copy of `slot` may still be arriving in this layout.
  bool arrives(std::size_t slot, const std::string& name) const;
  /// Whether `name` owns or holds a replica of `slot` in this layout.
  bool holds(std::size_t slot, const std::string& name) const;

  /// The same slots, holders and members (the epoch aside): nothing to agree on.
  bool same_layout(const agreed_layout& other) const;
  /// Whether `name`, voting under `identity`, is a member.
  bool has_member(const std::string& name, uint64_t identity) const;
  /// The identity `name` is a member under (0: any, or not a member).
  uint64_t identity_of(const std::string& name) const;
  bool operator==(const agreed_layout& other) const {
    return epoch == other.epoch && same_layout(other);
  }
};

/// Orders the proposals for one epoch: a higher round wins, the proposer's name breaks ties.
struct ballot {
  uint64_t round = 0;
  std::string proposer;
  bool operator<(const ballot& other) const {
    return std::tie(round, proposer) < std::tie(other.round, other.proposer);
  }
  bool operator==(const ballot& other) const {
    return round == other.round && proposer == other.proposer;
  }
  bool operator<=(const ballot& other) const { return !(other < *this); }
};

/// An acceptor's answer to a prepare or an accept.
struct layout_vote {
  enum class kind : uint8_t {
    granted,  ///< promised (prepare) or accepted (accept)
    refused,  ///< it promised a higher ballot (`promised`), or abstains from this epoch
    stale,    ///< it installed this epoch or a later one: `installed` is what was chosen
    behind,   ///< it has not installed the epoch before: it must learn that one first
  };
  kind what = kind::refused;
  ballot promised;
  /// A granted promise: whether it accepted a value in this epoch before, under which ballot.
  bool has_accepted = false;
  ballot accepted_ballot;
  agreed_layout accepted;
  agreed_layout installed;
};

/// What an acceptor must remember across a restart, written to stable storage before any vote
/// it grants is sent (a vote forgotten is what could let two values win one epoch).
struct acceptor_state {
  /// The identity this acceptor votes under, drawn when its storage was created (never 0).
  uint64_t identity = 0;
  /// The newest layout known chosen.
  agreed_layout installed;
  /// The highest ballot promised in the epoch after it, and what was accepted there.
  std::optional<ballot> promised;
  std::optional<std::pair<ballot, agreed_layout>> accepted;
};

/// One member's side of the register: the newest layout it knows was chosen, and its promise
/// and vote in the epoch after it.
class layout_acceptor {
 public:
  /// `self`: this acceptor's name as members name it; it votes only where a layout names it
  /// with `saved.identity` (or with any identity).
  layout_acceptor(std::string self, acceptor_state saved = {});

  layout_vote prepare(uint64_t epoch, const ballot& b);
  /// `value.epoch` is the epoch voted on.
  layout_vote accept(const ballot& b, const agreed_layout& value);
  /// A layout known to be chosen (a proposer's announcement, a peer's): installed when newer
  /// than the one here. True when it was.
  bool learn(const agreed_layout& chosen);

  const agreed_layout& installed() const { return state_.installed; }
  const acceptor_state& state() const { return state_; }

 private:
  /// The answer when this acceptor may not vote on `epoch`; nullopt when it may.
  std::optional<layout_vote> cannot_vote(uint64_t epoch) const;
  /// The same, and a refusal naming its promise when `b` is below it.
  std::optional<layout_vote> cannot_vote(uint64_t epoch, const ballot& b) const;

  std::string self_;
  acceptor_state state_;
};

/// One proposer's attempt to have a layout chosen as the epoch after `installed`.
class layout_proposal {
 public:
  enum class step {
    wait,          ///< more votes are needed
    send_accepts,  ///< a majority promised: ask each voter to accept value()
    chosen,        ///< a majority accepted value(): install it and announce it
    lost,          ///< a majority can no longer grant this ballot: retry above higher_seen()
    learn,         ///< a voter installed this epoch already: install learned() instead
  };

  /// `wanted.epoch` is ignored: the proposal is for installed.epoch + 1, voted on by
  /// installed.members.
  layout_proposal(const agreed_layout& installed, ballot b, agreed_layout wanted);

  step on_promise(const std::string& voter, const layout_vote& vote);
  step on_accepted(const std::string& voter, const layout_vote& vote);

  uint64_t epoch() const { return value_.epoch; }
  const ballot& current_ballot() const { return ballot_; }
  /// What phase 2 proposes: the value accepted under the highest ballot among the promises, or
  /// the wanted one when none had accepted anything (Paxos: a value possibly chosen is kept).
  const agreed_layout& value() const { return value_; }
  /// Whether value() is the wanted layout (else this round completes an earlier proposer's).
  bool proposes_wanted() const { return value_.same_layout(wanted_); }
  const std::vector<std::string>& voters() const { return voters_; }
  /// The highest ballot a refusal named (the next round goes above it).
  const ballot& higher_seen() const { return higher_; }
  const agreed_layout& learned() const { return learned_; }

 private:
  bool is_voter(const std::string& name) const;
  std::size_t majority() const { return voters_.size() / 2 + 1; }
  /// Counts `voter`'s answer in `granted` / `refused`; the step that follows.
  step count(const std::string& voter, const layout_vote& vote, std::vector<std::string>& granted);

  std::vector<std::string> voters_;
  ballot ballot_;
  agreed_layout wanted_;
  agreed_layout value_;
  std::optional<ballot> value_from_;  ///< the ballot value_ was accepted under, if not wanted_
  bool accepting_ = false;
  std::vector<std::string> promised_, accepted_, refused_;
  ballot higher_;
  agreed_layout learned_;
};

}  // namespace ovo
