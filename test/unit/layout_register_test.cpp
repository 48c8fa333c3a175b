// The layout register (docs/cluster.md, "Layout epochs"): single-decree Paxos per epoch, the
// voters of each epoch named by the layout chosen before it.

#include "core/layout_register.hpp"

#include "core/lag_report.hpp"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

using ovo::agreed_layout;
using ovo::ballot;
using ovo::layout_acceptor;
using ovo::layout_proposal;
using ovo::layout_vote;
using step = ovo::layout_proposal::step;

namespace {

/// A layout of `members` where slot 0 belongs to `owner` (what tells two values apart).
agreed_layout layout_of(std::vector<std::string> members, std::string owner, uint64_t epoch = 0) {
  agreed_layout layout;
  layout.epoch = epoch;
  layout.members = std::move(members);
  layout.owners = {std::move(owner)};
  layout.replicas = {{}};
  return layout;
}

const std::vector<std::string> abc{"a", "b", "c"};

/// An acceptor's saved state right after it installed `layout`: no promise, no vote; it votes
/// under `identity`.
ovo::acceptor_state fresh(agreed_layout layout, uint64_t identity = 1) {
  return {identity, std::move(layout), {}, {}};
}

/// Layouts differing only in one slot's `list` (lagging or arriving holders) differ, no list at
/// all equals a list of empty ones, and `listed` finds the name on that slot only.
void check_per_slot_list(std::vector<std::vector<std::string>> agreed_layout::*list,
                         bool (agreed_layout::*listed)(std::size_t, const std::string&) const) {
  const auto plain = layout_of({"a", "b"}, "a");
  auto empty_lists = plain;
  (empty_lists.*list).resize(8);
  CHECK(plain.same_layout(empty_lists));
  CHECK(empty_lists.same_layout(plain));
  auto one_listed = empty_lists;
  (one_listed.*list)[3] = {"b"};
  CHECK_FALSE(plain.same_layout(one_listed));
  CHECK_FALSE(one_listed.same_layout(empty_lists));
  CHECK((one_listed.*listed)(3, "b"));
  CHECK_FALSE((one_listed.*listed)(3, "a"));  // another name on that slot
  CHECK_FALSE((one_listed.*listed)(4, "b"));
  CHECK_FALSE((one_listed.*listed)(9, "b"));  // past the lists
  CHECK_FALSE((plain.*listed)(3, "b"));
}

}  // namespace

TEST_CASE("layouts differing only in a lagging holder differ, no lagging list equals empty ones") {
  check_per_slot_list(&agreed_layout::lagging, &agreed_layout::lags);
}

TEST_CASE(
    "layouts differing only in an arriving holder differ, no arriving list equals empty ones") {
  check_per_slot_list(&agreed_layout::arriving, &agreed_layout::arrives);
}

TEST_CASE("a slot's holders are its owner and its replica holders") {
  auto layout = layout_of({"a", "b", "c"}, "a");
  layout.replicas = {{"b"}};
  CHECK(layout.holds(0, "a"));
  CHECK(layout.holds(0, "b"));
  CHECK_FALSE(layout.holds(0, "c"));
  CHECK_FALSE(layout.holds(1, "a"));  // no such slot in this layout
}

TEST_CASE("a proposal promised and accepted by a majority of the installed members is chosen") {
  const auto installed = layout_of(abc, "a", 4);
  std::map<std::string, layout_acceptor> acceptors;
  for (const auto& name : abc) acceptors.emplace(name, layout_acceptor(name, fresh(installed)));
  layout_proposal proposal(installed, {1, "a"}, layout_of(abc, "b"));
  CHECK(proposal.epoch() == 5);
  CHECK(proposal.on_promise("a", acceptors.at("a").prepare(5, {1, "a"})) == step::wait);
  CHECK(proposal.on_promise("a", acceptors.at("a").prepare(5, {1, "a"})) == step::wait);  // dup
  CHECK(proposal.on_promise("b", acceptors.at("b").prepare(5, {1, "a"})) == step::send_accepts);
  CHECK(proposal.proposes_wanted());
  CHECK(proposal.on_accepted("b", acceptors.at("b").accept({1, "a"}, proposal.value())) ==
        step::wait);
  CHECK(proposal.on_accepted("c", acceptors.at("c").accept({1, "a"}, proposal.value())) ==
        step::chosen);
  CHECK(proposal.value().epoch == 5);
  CHECK(proposal.value().owners.front() == "b");
  for (auto& [name, acceptor] : acceptors) CHECK(acceptor.learn(proposal.value()));
  CHECK_FALSE(acceptors.at("a").learn(proposal.value()));  // already installed
  CHECK(acceptors.at("c").installed().epoch == 5);
}

TEST_CASE("a later proposer that hears of an accepted value proposes it instead of its own") {
  const auto installed = layout_of(abc, "a", 1);
  std::map<std::string, layout_acceptor> acceptors;
  for (const auto& name : abc) acceptors.emplace(name, layout_acceptor(name, fresh(installed)));
  // b's value reaches a alone: it may or may not be chosen, so no one may choose another.
  acceptors.at("a").prepare(2, {1, "b"});
  CHECK(acceptors.at("a").accept({1, "b"}, layout_of(abc, "b", 2)).what ==
        layout_vote::kind::granted);
  layout_proposal later(installed, {2, "c"}, layout_of(abc, "c"));
  CHECK(later.on_promise("c", acceptors.at("c").prepare(2, {2, "c"})) == step::wait);
  CHECK(later.on_promise("a", acceptors.at("a").prepare(2, {2, "c"})) == step::send_accepts);
  CHECK_FALSE(later.proposes_wanted());
  CHECK(later.value().owners.front() == "b");
  // b's old ballot is refused now, naming the higher promise.
  auto late = acceptors.at("b").accept({1, "b"}, layout_of(abc, "b", 2));
  CHECK(late.what == layout_vote::kind::granted);  // b promised nothing higher itself
  auto refused = acceptors.at("a").accept({1, "b"}, layout_of(abc, "b", 2));
  CHECK(refused.what == layout_vote::kind::refused);
  CHECK(refused.promised == ballot{2, "c"});
}

TEST_CASE("refusals from a majority lose the round and name the ballot to go above") {
  const auto installed = layout_of(abc, "a", 1);
  std::map<std::string, layout_acceptor> acceptors;
  for (const auto& name : abc) acceptors.emplace(name, layout_acceptor(name, fresh(installed)));
  acceptors.at("a").prepare(2, {5, "c"});
  acceptors.at("b").prepare(2, {5, "c"});
  layout_proposal low(installed, {3, "a"}, layout_of(abc, "a"));
  CHECK(low.on_promise("a", acceptors.at("a").prepare(2, {3, "a"})) == step::wait);
  CHECK(low.on_promise("b", acceptors.at("b").prepare(2, {3, "a"})) == step::lost);
  CHECK(low.higher_seen() == ballot{5, "c"});
}

TEST_CASE("a voter that installed the epoch already teaches the proposer what was chosen") {
  const auto old = layout_of(abc, "a", 1);
  const auto chosen = layout_of(abc, "b", 2);
  layout_acceptor ahead("b", fresh(chosen));
  layout_proposal proposal(old, {1, "a"}, layout_of(abc, "c"));
  CHECK(proposal.on_promise("b", ahead.prepare(2, {1, "a"})) == step::learn);
  CHECK(proposal.learned() == chosen);
}

TEST_CASE("an acceptor votes only on the epoch after its installed one, and only as a member") {
  layout_acceptor a("a", fresh(layout_of(abc, "a", 3)));
  CHECK(a.prepare(3, {1, "b"}).what == layout_vote::kind::stale);
  CHECK(a.prepare(5, {1, "b"}).what == layout_vote::kind::behind);
  CHECK(a.prepare(4, {1, "b"}).what == layout_vote::kind::granted);
  // Not a member at all.
  layout_acceptor stranger("d", fresh(layout_of(abc, "a", 3)));
  CHECK(stranger.prepare(4, {1, "b"}).what == layout_vote::kind::refused);
  // Votes of non-members do not count.
  layout_proposal proposal(layout_of(abc, "a", 3), {1, "b"}, layout_of(abc, "b"));
  layout_vote granted;
  granted.what = layout_vote::kind::granted;
  CHECK(proposal.on_promise("x", granted) == step::wait);
  CHECK(proposal.on_promise("y", granted) == step::wait);
  CHECK(proposal.on_promise("a", granted) == step::wait);
}

TEST_CASE(
    "a member that lost its saved state comes back under a new identity and votes only once a "
    "layout names that identity") {
  auto named = layout_of(abc, "a", 3);
  named.member_ids = {11, 12, 13};  // a, b, c
  layout_acceptor a("a", fresh(named, 11));
  CHECK(a.prepare(4, {1, "b"}).what == layout_vote::kind::granted);
  // Its file lost, "a" restarts knowing nothing and draws identity 21; it learns epoch 3 again.
  layout_acceptor reborn("a", fresh(layout_of(abc, "a", 0), 21));
  CHECK(reborn.learn(named));
  CHECK(reborn.prepare(4, {2, "c"}).what == layout_vote::kind::refused);
  CHECK(reborn.accept({2, "c"}, layout_of(abc, "c", 4)).what == layout_vote::kind::refused);
  // Epoch 4, agreed by b and c, names the new identity: "a" votes on epoch 5.
  auto renamed = layout_of(abc, "c", 4);
  renamed.member_ids = {21, 12, 13};
  CHECK(reborn.learn(renamed));
  CHECK(reborn.prepare(5, {1, "b"}).what == layout_vote::kind::granted);
  CHECK(renamed.identity_of("a") == 21);
  CHECK(renamed.has_member("a", 21));
  CHECK_FALSE(renamed.has_member("a", 11));
  // No identities named (the founders of the first epoch): any identity of a member's name.
  CHECK(layout_of(abc, "a", 0).has_member("a", 99));
}

TEST_CASE("an acceptor restored from its saved state keeps its promise and its vote") {
  layout_acceptor before("a", fresh(layout_of(abc, "a", 1)));
  before.prepare(2, {4, "b"});
  before.accept({4, "b"}, layout_of(abc, "b", 2));
  layout_acceptor after("a", before.state());
  CHECK(after.prepare(2, {3, "c"}).what == layout_vote::kind::refused);
  auto vote = after.prepare(2, {6, "c"});
  REQUIRE(vote.has_accepted);
  CHECK(vote.accepted_ballot == ballot{4, "b"});
  CHECK(vote.accepted.owners.front() == "b");
}

namespace {

/// Five members, three of them proposing different layouts (some change the members), over a
/// network that reorders, drops and duplicates every message; acceptors restart from their
/// saved state, and some lose it (a new disk) and come back under a new identity, which the
/// proposers' next layouts name (as gossip would tell them). Checks the Paxos invariant from
/// every vote ever granted: per epoch, at most one value is accepted by a majority of that
/// epoch's voters, and every installed layout is that value.
struct simulation {
  struct message {
    enum class kind { prepare, promise, accept, accepted, commit } what;
    std::string from, to;
    ballot b;
    agreed_layout value;  ///< accept, commit; prepare: only its epoch
    layout_vote vote;
  };
  struct node {
    layout_acceptor acceptor;
    std::optional<layout_proposal> proposal;
    uint64_t round = 0;
  };

  std::mt19937 random;
  std::vector<std::string> names{"n0", "n1", "n2", "n3", "n4"};
  std::map<std::string, node> nodes;
  std::vector<message> network;
  /// Per (epoch, ballot): the acceptors that accepted, and the value.
  std::map<std::pair<uint64_t, ballot>, std::pair<std::set<std::string>, agreed_layout>> votes;
  std::map<uint64_t, agreed_layout> chosen;             ///< epoch -> the value a majority accepted
  std::map<uint64_t, std::vector<std::string>> voters;  ///< epoch -> members of epoch - 1
  std::map<std::string, uint64_t> identity;  ///< each node's current identity, as gossiped
  uint64_t identities_drawn = 0;
  bool violated = false;

  explicit simulation(unsigned seed) : random(seed) {
    for (const auto& name : names) identity[name] = ++identities_drawn;
    auto genesis = layout_of(names, "n0", 1);
    genesis.member_ids = ids_of(names);
    chosen[1] = genesis;
    for (const auto& name : names)
      nodes.emplace(name,
                    node{layout_acceptor(name, fresh(genesis, identity[name])), std::nullopt, 0});
  }

  std::vector<uint64_t> ids_of(const std::vector<std::string>& members) {
    std::vector<uint64_t> ids;
    for (const auto& name : members) ids.push_back(identity.at(name));
    return ids;
  }

  bool chance(double p) { return std::uniform_real_distribution<>(0, 1)(random) < p; }

  agreed_layout wanted_by(const std::string& proposer) {
    // Members always keep n0-n2, so a majority of any layout's members stays alive.
    std::vector<std::string> members{"n0", "n1", "n2"};
    if (chance(0.5)) members.push_back("n3");
    if (chance(0.5)) members.push_back("n4");
    auto wanted = layout_of(members, proposer + "-" + std::to_string(random() % 4));
    wanted.member_ids = ids_of(members);
    return wanted;
  }

  void send(message m) { network.push_back(std::move(m)); }

  void start_proposal(const std::string& name) {
    auto& n = nodes.at(name);
    const auto& installed = n.acceptor.installed();
    n.proposal.emplace(installed, ballot{++n.round, name}, wanted_by(name));
    for (const auto& voter : n.proposal->voters()) {
      message m{message::kind::prepare, name, voter, n.proposal->current_ballot(), {}, {}};
      m.value.epoch = n.proposal->epoch();
      send(m);
    }
  }

  void record_accept(const std::string& acceptor, const ballot& b, const agreed_layout& value) {
    auto& entry = votes[{value.epoch, b}];
    if (!entry.first.empty() && !(entry.second == value)) violated = true;  // one value per ballot
    entry.first.insert(acceptor);
    entry.second = value;
    auto known = voters.find(value.epoch);
    if (known == voters.end()) {
      auto before = chosen.find(value.epoch - 1);
      if (before == chosen.end()) return;  // voters unknown yet (cannot happen: checked below)
      known = voters.emplace(value.epoch, before->second.members).first;
    }
    std::size_t counted = 0;
    for (const auto& v : known->second) counted += entry.first.count(v);
    if (counted * 2 <= known->second.size()) return;
    auto [it, fresh] = chosen.emplace(value.epoch, value);
    if (!fresh && !(it->second == value)) violated = true;
  }

  void on_step(const std::string& name, step s) {
    auto& n = nodes.at(name);
    auto& p = *n.proposal;
    switch (s) {
      case step::wait:
        return;
      case step::send_accepts:
        for (const auto& voter : p.voters())
          send({message::kind::accept, name, voter, p.current_ballot(), p.value(), {}});
        return;
      case step::chosen:
        n.acceptor.learn(p.value());
        for (const auto& to : names)
          send({message::kind::commit, name, to, ballot{}, p.value(), {}});
        break;
      case step::lost:
        n.round = std::max(n.round, p.higher_seen().round);
        break;
      case step::learn:
        n.acceptor.learn(p.learned());
        break;
    }
    n.proposal.reset();
  }

  void deliver(message m) {
    auto& n = nodes.at(m.to);
    switch (m.what) {
      case message::kind::prepare:
        send({message::kind::promise,
              m.to,
              m.from,
              m.b,
              {},
              n.acceptor.prepare(m.value.epoch, m.b)});
        break;
      case message::kind::accept: {
        auto vote = n.acceptor.accept(m.b, m.value);
        if (vote.what == layout_vote::kind::granted) record_accept(m.to, m.b, m.value);
        send({message::kind::accepted, m.to, m.from, m.b, {}, vote});
        break;
      }
      case message::kind::promise:
      case message::kind::accepted: {
        if (!n.proposal || !(n.proposal->current_ballot() == m.b)) break;  // an old round's
        if (m.vote.what == layout_vote::kind::behind)  // it missed an epoch: teach it
          send({message::kind::commit, m.to, m.from, ballot{}, n.acceptor.installed(), {}});
        on_step(m.to, m.what == message::kind::promise ? n.proposal->on_promise(m.from, m.vote)
                                                       : n.proposal->on_accepted(m.from, m.vote));
        break;
      }
      case message::kind::commit:
        n.acceptor.learn(m.value);
        break;
    }
  }

  void run(int steps) {
    for (int i = 0; i < steps; ++i) {
      const auto& proposer = names[random() % 3];
      if (!nodes.at(proposer).proposal && chance(0.05)) start_proposal(proposer);
      // A restart: the acceptor comes back from its saved state, its proposal forgotten.
      if (chance(0.005)) {
        const auto& name = names[random() % names.size()];
        auto& n = nodes.at(name);
        n.acceptor = layout_acceptor(name, n.acceptor.state());
        n.proposal.reset();
      }
      // A lost disk: the node starts over at epoch 0 under a new identity, its votes forgotten.
      if (chance(0.002)) {
        const auto& name = names[random() % names.size()];
        auto& n = nodes.at(name);
        identity[name] = ++identities_drawn;
        n.acceptor = layout_acceptor(name, fresh(layout_of(names, "", 0), identity[name]));
        n.proposal.reset();
      }
      if (network.empty()) continue;
      const auto at = random() % network.size();
      auto m = network[at];
      if (!chance(0.1)) network.erase(network.begin() + static_cast<long>(at));  // else: dup
      if (chance(0.1)) continue;                                                 // dropped
      deliver(std::move(m));
    }
  }

  /// Every installed layout is the value chosen for its epoch (a node that lost its disk and
  /// learned nothing since has installed none).
  bool installs_only_chosen() const {
    for (const auto& [name, n] : nodes) {
      const auto& installed = n.acceptor.installed();
      if (installed.epoch == 0) continue;
      auto it = chosen.find(installed.epoch);
      if (it == chosen.end() || !(it->second == installed)) return false;
    }
    return true;
  }
};

}  // namespace

TEST_CASE(
    "under reordering, loss, duplicates, restarts and lost disks no epoch ever has two layouts") {
  uint64_t epochs = 0;
  for (unsigned seed = 1; seed <= 200; ++seed) {
    simulation sim(seed);
    sim.run(4000);
    CAPTURE(seed);
    REQUIRE_FALSE(sim.violated);
    REQUIRE(sim.installs_only_chosen());
    epochs += sim.chosen.size() - 1;
  }
  // Progress, not only safety: proposals keep being chosen despite the faults.
  MESSAGE(epochs << " epochs chosen over 200 runs");
  CHECK(epochs > 200);
}

TEST_CASE(
    "a lagging holder is not waited for only under a layout agreed after its report that lists "
    "it") {
  auto installed = layout_of({"a", "b", "c"}, "a", 5);
  installed.lagging = {{"b"}};
  const std::map<std::string, ovo::lag_report> reports{{"b", {7, 5}}};  // departure 7, at 5
  // Epoch 5 was agreed before the report: a proposal of the owner's made before it may still
  // win epoch 6 without b.
  CHECK(ovo::lagging_not_waited_for(installed, 0, reports).empty());
  installed.epoch = 6;
  using pairs = std::vector<std::pair<std::string, uint64_t>>;
  CHECK(ovo::lagging_not_waited_for(installed, 0, reports) == pairs{{"b", 7}});
  installed.lagging = {{}};  // agreed after the report, but without b
  CHECK(ovo::lagging_not_waited_for(installed, 0, reports).empty());
  installed.lagging = {{"b"}};
  CHECK(ovo::lagging_not_waited_for(installed, 0, {}).empty());  // listed, never reported here
}
