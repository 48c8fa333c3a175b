#include "core/cluster_view.hpp"

#include <doctest/doctest.h>

namespace {

ovo::node_info node(std::string name, int64_t joined_at, uint16_t port = 1) {
  ovo::node_info n;
  n.name = std::move(name);
  n.host = "127.0.0.1";
  n.port = port;
  n.joined_at_ms = joined_at;
  n.ranked = true;  // as gossiped once a peer has reached it
  return n;
}

}  // namespace

TEST_CASE("a lone node owns every slot") {
  ovo::cluster_view view(node("a", 100));
  CHECK(view.nodes().size() == 1);
  CHECK(view.self().hash_range.size() == 128);
}

TEST_CASE("the layout orders nodes by join time, then name, whatever the merge order") {
  ovo::cluster_view one(node("b", 200)), two(node("c", 200));
  one.merge(node("c", 200));
  one.merge(node("a", 300));
  two.merge(node("a", 300));
  two.merge(node("b", 200));
  for (auto* view : {&one, &two})
    for (const char* name : {"a", "b", "c"}) view->set_active(name, true);
  CHECK(one.find("b")->hash_range.front() == 0);
  CHECK(one.find("c")->hash_range.front() == 43);
  CHECK(one.find("a")->hash_range.front() == 86);
  for (const char* name : {"a", "b", "c"})
    CHECK(one.find(name)->hash_range == two.find(name)->hash_range);
  CHECK(one.owners() != two.owners());  // indices differ (each lists itself first)...
  CHECK(one.nodes()[one.owners()[0]].name == two.nodes()[two.owners()[0]].name);  // ...owners don't
}

TEST_CASE("a new node is INACTIVE until our own connection reports it up") {
  ovo::cluster_view view(node("a", 100));
  CHECK(view.merge(node("b", 200)));
  CHECK_FALSE(view.find("b")->active);
  CHECK(view.set_active("b", true));
  CHECK_FALSE(view.set_active("b", true));  // no change
  auto gossip = node("b", 200, 9);
  gossip.active = false;
  CHECK_FALSE(view.merge(gossip));  // same version: a stale copy, ignored
  gossip.version = 1;
  CHECK(view.merge(gossip));  // a newer version's facts are taken...
  CHECK(view.find("b")->port == 9);
  CHECK(view.find("b")->active);  // ...liveness is not
}

TEST_CASE("each slot's replica is on the next active node, a dead node's slots pass to it") {
  ovo::cluster_view view(node("a", 100));
  auto b = node("b", 200), c = node("c", 300);
  b.active = c.active = false;  // peers report them down
  view.merge(b);
  view.merge(c);
  CHECK(view.find("b")->hash_range.empty());  // INACTIVE: served by its twin
  view.set_active("b", true);
  view.set_active("c", true);
  const auto index = [&](const char* name) {
    return static_cast<std::size_t>(view.find(name) - view.nodes().data());
  };
  CHECK(view.owners()[0] == index("a"));
  using indexes = std::vector<std::size_t>;
  CHECK(view.replicas()[0] == indexes{index("b")});
  CHECK(view.replicas()[50] == indexes{index("c")});   // b's slot, replica on c
  CHECK(view.replicas()[100] == indexes{index("a")});  // c's slot, replica wraps to a
  view.set_active("b", false);
  CHECK(view.find("b")->hash_range.empty());
  CHECK(view.find("c")->hash_range.size() == 85);  // b's slots went to c, which holds them
  CHECK(view.owners()[50] == index("c"));
  CHECK(view.replicas()[50] == indexes{index("a")});
  CHECK(view.replicas()[0] == indexes{index("c")});
}

TEST_CASE("a lone active node has no replica") {
  ovo::cluster_view view(node("a", 100));
  auto b = node("b", 200);
  b.active = false;
  view.merge(b);  // known but down
  CHECK(view.self().hash_range.size() == 128);
  CHECK(view.replicas()[0].empty());
}

TEST_CASE("a joining node gets no slots until some node has reached it") {
  ovo::cluster_view view(node("a", 100));
  auto joiner = node("b", 200);
  joiner.ranked = false;  // its own first report
  CHECK(view.merge(joiner));
  CHECK(view.self().hash_range.size() == 128);  // no slot moves on first contact
  CHECK(view.set_active("b", true));
  CHECK(view.find("b")->ranked);
  CHECK(view.find("b")->hash_range.size() == 64);
  CHECK_FALSE(view.merge(joiner));  // its later reports do not unrank it
  CHECK(view.find("b")->hash_range.size() == 64);
}

TEST_CASE("a node never reached from here that peers report ACTIVE keeps its slots") {
  ovo::cluster_view view(node("a", 100));
  view.merge(node("b", 200));                      // ranked and reported ACTIVE by a peer
  CHECK(view.find("b")->hash_range.size() == 64);  // requests go to it (503 until connected)
  auto down = node("b", 200);
  down.active = false;
  CHECK(view.merge(down));  // peers now report it down: its slots fail over
  CHECK(view.find("b")->hash_range.empty());
  CHECK(view.set_active("b", true));
  CHECK(view.set_active("b", false));  // reached once: our own connection decides from now on
  CHECK_FALSE(view.merge(node("b", 200)));
  CHECK(view.find("b")->hash_range.empty());
}

TEST_CASE(
    "a node set down serves nothing though peers report it ACTIVE, its stand-in serves its slots") {
  // How a joiner works out who served its slots before it: the peer's layout with it down.
  ovo::cluster_view view(node("a", 100));
  view.merge(node("b", 200));  // reported ACTIVE and ranked, as the joiner is by then
  REQUIRE(view.find("b")->hash_range.size() == 64);
  view.set_down("b");
  CHECK(view.find("b")->hash_range.empty());
  CHECK(view.find("a")->hash_range.size() == 128);
  CHECK_FALSE(view.merge(node("b", 200)));  // a later report does not bring it back
  CHECK(view.find("b")->hash_range.empty());
}

TEST_CASE("merges are idempotent, never overwrite this node, and never go back in time") {
  ovo::cluster_view view(node("a", 100));
  CHECK(view.merge(node("b", 200)));
  CHECK_FALSE(view.merge(node("b", 200)));
  CHECK_FALSE(view.merge(node("a", 999, 7)));
  CHECK(view.self().port == 1);
  CHECK(view.merge(node("b", 500)));           // restarted: later join time
  CHECK_FALSE(view.merge(node("b", 200, 5)));  // a stale report of the old incarnation
  CHECK(view.find("b")->joined_at_ms == 500);
}

TEST_CASE("a peer's stale copy of a node's facts never undoes the node's own newer report") {
  ovo::cluster_view view(node("a", 100));
  auto fresh = node("b", 200);
  fresh.version = 2;
  fresh.leaving = true;
  CHECK(view.merge(fresh));
  auto stale = node("b", 200);
  stale.version = 1;
  CHECK_FALSE(view.merge(stale));
  CHECK(view.find("b")->leaving);
  CHECK(view.set_twin("b", true));
  CHECK(view.self().version == 1);  // this node's own changes bump its version
}

TEST_CASE("a leaving node gets no slots, the others share them") {
  ovo::cluster_view view(node("a", 100));
  view.merge(node("b", 200));
  view.set_active("b", true);
  CHECK(view.set_leaving());
  CHECK(view.self().leaving);
  CHECK(view.self().hash_range.empty());
  CHECK(view.nodes()[1].hash_range.size() == 128);
  for (int slot = 0; slot < ovo::slot_count; ++slot) CHECK_FALSE(view.holds(slot));
}

TEST_CASE("a forgotten node stays gone until a newer process of it reports") {
  ovo::cluster_view view(node("a", 100));
  auto b = node("b", 200);
  b.incarnation = 5;
  view.merge(b);
  CHECK(view.forget("b"));
  CHECK_FALSE(view.merge(b));  // an old report from a peer that has not heard
  CHECK(view.find("b") == nullptr);
  b.incarnation = 6;
  CHECK(view.merge(b));
  CHECK(view.find("b") != nullptr);
}

TEST_CASE(
    "a forgotten node an agreed layout has serving is back from the latest report of it, and "
    "one it has down or holding nothing stays gone") {
  ovo::cluster_view view(node("a", 100));
  auto b = node("b", 200);
  b.active = true;
  view.merge(b);
  view.set_active("b", true);
  const auto with_b = view.wanted_layout();
  CHECK(view.forget("b"));
  b.version = 3;  // a peer that readmitted b reports it: refused here, kept
  CHECK_FALSE(view.merge(b));
  auto down = with_b;
  down.epoch = 7;
  down.down = {"b"};
  down.owners.assign(ovo::slot_count, "a");
  CHECK(view.follow(down).empty());  // e.g. chosen before this node forgot b
  CHECK(view.find("b") == nullptr);
  auto holding_nothing = with_b;
  holding_nothing.epoch = 7;
  holding_nothing.owners.assign(ovo::slot_count, "a");
  holding_nothing.replicas.assign(ovo::slot_count, {});
  CHECK(view.follow(holding_nothing).empty());  // e.g. b was leaving
  CHECK(view.find("b") == nullptr);
  auto serving = with_b;
  serving.epoch = 8;
  CHECK(view.follow(serving) == std::vector<std::string>{"b"});
  REQUIRE(view.find("b") != nullptr);
  CHECK(view.find("b")->version == 3);
  // Not reached from here yet, reported ACTIVE: it serves, as the layout has it.
  CHECK(view.find("b")->hash_range.size() == 64);
  CHECK(view.wanted_layout().down.empty());
}

TEST_CASE("a slot the followed layout places on a node the view does not know is unplaced") {
  ovo::cluster_view view(node("a", 100));
  view.merge(node("b", 200));
  view.set_active("b", true);
  auto agreed = view.wanted_layout();
  agreed.epoch = 3;
  view.follow(agreed);
  CHECK_FALSE(view.unplaced(0));
  agreed.owners[127] = "x";  // x joined; gossip about it has not come
  agreed.replicas[0] = {"x"};
  view.follow(agreed);
  CHECK(view.unplaced(127));
  CHECK(view.unplaced(0));
  CHECK_FALSE(view.unplaced(1));
  view.follow(std::nullopt);
  CHECK_FALSE(view.unplaced(127));
}

TEST_CASE("a restarted node (same join time, later start) replaces the old report") {
  ovo::cluster_view view(node("a", 100));
  auto b = node("b", 200);
  b.incarnation = 5;
  view.merge(b);
  const auto before = view.holder_of(1);
  b.incarnation = 9;
  CHECK(view.merge(b));
  CHECK(view.holder_of(1) != before);
  b.incarnation = 5;
  CHECK_FALSE(view.merge(b));  // older news
}

TEST_CASE("configured twins hold a node's replicas and take its slots when it is down") {
  auto a = node("a", 100);
  a.twins = {"c"};
  ovo::cluster_view view(a);
  view.merge(node("b", 200));
  view.merge(node("c", 300));
  view.set_active("b", true);
  view.set_active("c", true);
  const auto index = [&](const char* name) {
    return static_cast<std::size_t>(view.find(name) - view.nodes().data());
  };
  using indexes = std::vector<std::size_t>;
  CHECK(view.replicas()[0] == indexes{index("c")});   // a's slot: on its twin c, not on b
  CHECK(view.replicas()[50] == indexes{index("c")});  // b has no twins: the next node
  CHECK(view.set_twin("b", true));
  CHECK(view.replicas()[0] == (indexes{index("c"), index("b")}));  // two twins, two replicas
  view.set_active("b", false);
  CHECK(view.owners()[50] == index("c"));  // b's slots: served by the holder of its replica
  CHECK(view.replicas()[0] == indexes{index("c")});  // a dead twin holds nothing
}

TEST_CASE("a followed agreed layout decides owners and holders, and the view's own stays wanted") {
  ovo::cluster_view view(node("a", 100));
  view.merge(node("b", 200));
  view.set_active("b", true);
  const auto derived = view.wanted_layout();
  CHECK(derived.members == std::vector<std::string>{"a", "b"});
  CHECK(derived.owners[0] == "a");
  CHECK(derived.owners[127] == "b");
  CHECK(derived.down.empty());
  // The agreed layout still has b down: a serves every slot.
  auto agreed = derived;
  agreed.epoch = 4;
  agreed.owners.assign(ovo::slot_count, "a");
  agreed.replicas.assign(ovo::slot_count, {});
  agreed.down = {"b"};
  view.follow(agreed);
  CHECK(view.self().hash_range.size() == 128);
  CHECK(view.find("b")->hash_range.empty());
  CHECK(view.find("b")->active);               // what this node's link sees...
  CHECK_FALSE(view.served_nodes()[1].active);  // ...and what it serves by
  CHECK(view.replicas()[127].empty());
  // What the view wants is unchanged, but b, which holds nothing in the followed layout, is
  // listed arriving wherever it would hold a copy.
  const auto wanted = view.wanted_layout();
  CHECK(wanted.owners == derived.owners);
  CHECK(wanted.replicas == derived.replicas);
  CHECK(wanted.down == derived.down);
  CHECK(wanted.arriving[0] == std::vector<std::string>{"b"});    // a's slot, b its replica
  CHECK(wanted.arriving[127] == std::vector<std::string>{"b"});  // b's own, a held it
  // A slot naming a node this view does not know falls back to the view's own layout.
  agreed.owners[127] = "x";
  view.follow(agreed);
  CHECK(view.nodes()[view.owners()[127]].name == "b");
  CHECK(view.self().hash_range.size() == 127);
  view.follow(std::nullopt);
  CHECK(view.find("b")->hash_range.size() == 64);
  // A ranked node this view does not see serving is down in the layout it wants.
  view.set_active("b", false);
  CHECK(view.wanted_layout().down == std::vector<std::string>{"b"});
}

namespace {

/// a (this view), b and c, every node the twin of both others (three copies of each slot), all
/// reachable; b's twins are listed c first. Follows the layout it derives, with `lagging` and
/// `arriving`.
ovo::cluster_view three_copies(std::vector<std::vector<std::string>> lagging = {},
                               std::vector<std::vector<std::string>> arriving = {}) {
  auto a = node("a", 100), b = node("b", 200), c = node("c", 300);
  a.twins = {"b", "c"};
  b.twins = {"c", "a"};
  c.twins = {"a", "b"};
  ovo::cluster_view view(a);
  view.merge(b);
  view.merge(c);
  view.set_active("b", true);
  view.set_active("c", true);
  auto agreed = view.wanted_layout();
  agreed.epoch = 2;
  agreed.lagging = std::move(lagging);
  agreed.arriving = std::move(arriving);
  view.follow(agreed);
  return view;
}

constexpr std::size_t slot_of_b = 50;  // b owns 43-85

}  // namespace

TEST_CASE("a failover promotes the first holder the agreed layout does not list as lagging") {
  auto in_sync = three_copies();
  CHECK(in_sync.wanted_layout().replicas[slot_of_b] == std::vector<std::string>{"c", "a"});
  in_sync.set_active("b", false);
  CHECK(in_sync.wanted_layout().owners[slot_of_b] == "c");  // its first twin

  std::vector<std::vector<std::string>> lagging(ovo::slot_count);
  lagging[slot_of_b] = {"c"};
  auto c_lags = three_copies(lagging);
  c_lags.set_active("b", false);
  const auto wanted = c_lags.wanted_layout();
  CHECK(wanted.owners[slot_of_b] == "a");      // c missed writes b and a acknowledged
  CHECK(wanted.owners[slot_of_b + 1] == "c");  // where c is in sync, it is still the first
  // c still holds a copy of the slot (a's other twin, b, is down), and still lags on it.
  CHECK(wanted.replicas[slot_of_b] == std::vector<std::string>{"c"});
  CHECK(wanted.lagging[slot_of_b] == std::vector<std::string>{"c"});
}

TEST_CASE("when every holder lags the failover still promotes one rather than none") {
  std::vector<std::vector<std::string>> lagging(ovo::slot_count);
  lagging[slot_of_b] = {"c", "a"};
  auto view = three_copies(lagging);
  view.set_active("b", false);
  CHECK(view.wanted_layout().owners[slot_of_b] == "c");
}

TEST_CASE(
    "the wanted lagging holders are the owner's reports on its slots, the agreed ones elsewhere") {
  std::vector<std::vector<std::string>> lagging(ovo::slot_count);
  lagging[slot_of_b] = {"a"};
  auto view = three_copies(lagging);
  CHECK(view.wanted_layout().lagging[slot_of_b] == std::vector<std::string>{"a"});
  CHECK(view.wanted_layout().lagging[0].empty());
  CHECK(view.report_lagging(0, "c", true));
  CHECK_FALSE(view.report_lagging(0, "c", true));  // no news
  CHECK(view.wanted_layout().lagging[0] == std::vector<std::string>{"c"});
  // A report on a slot this node does not own changes nothing wanted: b knows who lags there.
  CHECK(view.report_lagging(static_cast<int>(slot_of_b), "c", true));
  CHECK(view.wanted_layout().lagging[slot_of_b] == std::vector<std::string>{"a"});
  CHECK(view.report_lagging(0, "c", false));
  CHECK(view.wanted_layout().lagging[0].empty());
  CHECK_FALSE(view.report_lagging(ovo::slot_count, "c", true));  // no such slot
}

TEST_CASE("a node that comes to own a slot adopts its agreed lagging holders that still hold it") {
  std::vector<std::vector<std::string>> lagging(ovo::slot_count);
  lagging[slot_of_b] = {"c"};
  auto view = three_copies(lagging);
  view.set_active("b", false);
  auto agreed = view.wanted_layout();  // a owns b's slot now, c still lags on it
  agreed.epoch = 3;
  view.follow(agreed);
  CHECK(view.nodes()[view.owners()[slot_of_b]].name == "a");
  CHECK(view.adopt_lagging(static_cast<int>(slot_of_b)) == std::vector<std::string>{"c"});
  CHECK(view.wanted_layout().lagging[slot_of_b] == std::vector<std::string>{"c"});
  // Once its shard caught c up, a's report takes c off the list, and a keeps the slot: moving
  // it to c, b's first twin, would be a second handover for nothing.
  view.report_lagging(static_cast<int>(slot_of_b), "c", false);
  agreed = view.wanted_layout();
  CHECK(agreed.lagging[slot_of_b].empty());
  agreed.epoch = 4;
  view.follow(agreed);
  CHECK(view.wanted_layout().owners[slot_of_b] == "a");
}

TEST_CASE(
    "a failover promotes the first holder the agreed layout lists as arriving only when every "
    "holder arrives") {
  std::vector<std::vector<std::string>> arriving(ovo::slot_count);
  arriving[slot_of_b] = {"c"};
  auto c_arrives = three_copies({}, arriving);
  c_arrives.set_active("b", false);
  const auto wanted = c_arrives.wanted_layout();
  CHECK(wanted.owners[slot_of_b] == "a");      // c may miss what b held before c held it
  CHECK(wanted.owners[slot_of_b + 1] == "c");  // where c's copy is whole, it is still the first
  // c still holds the slot, and its copy is still arriving there.
  CHECK(wanted.replicas[slot_of_b] == std::vector<std::string>{"c"});
  CHECK(wanted.arriving[slot_of_b] == std::vector<std::string>{"c"});

  arriving[slot_of_b] = {"c", "a"};
  auto both_arrive = three_copies({}, arriving);
  both_arrive.set_active("b", false);
  CHECK(both_arrive.wanted_layout().owners[slot_of_b] == "c");
}

TEST_CASE(
    "a node that did not hold a slot in the followed layout is listed arriving on it, and this "
    "node takes itself off once it noted its copy arrived") {
  auto view = three_copies();
  auto agreed = view.wanted_layout();
  CHECK(agreed.arriving[slot_of_b].empty());  // everyone held every slot in the followed layout
  agreed.replicas[slot_of_b] = {"c"};         // a did not hold b's slot ...
  agreed.replicas[0] = {"b"};                 // ... nor c a's
  agreed.epoch = 3;
  view.follow(agreed);
  auto wanted = view.wanted_layout();
  CHECK(wanted.arriving[slot_of_b] == std::vector<std::string>{"a"});
  CHECK(wanted.arriving[0] == std::vector<std::string>{"c"});
  CHECK(wanted.arriving[1].empty());

  // Agreed so: the lists are carried on while a's copy arrives ...
  wanted.epoch = 4;
  view.follow(wanted);
  CHECK(view.note_arriving(static_cast<int>(slot_of_b), true));
  CHECK_FALSE(view.note_arriving(static_cast<int>(slot_of_b), true));  // no news
  CHECK(view.wanted_layout().same_layout(wanted));
  // ... and a takes only itself off: c's copy is c's to report.
  CHECK(view.note_arriving(static_cast<int>(slot_of_b), false));
  const auto arrived = view.wanted_layout();
  CHECK(arrived.arriving[slot_of_b].empty());
  CHECK(arrived.arriving[0] == std::vector<std::string>{"c"});
  CHECK_FALSE(arrived.same_layout(wanted));
  CHECK_FALSE(view.note_arriving(ovo::slot_count, true));  // no such slot

  // Without a followed layout (PartitionPolicy "available") nothing is listed.
  view.follow(std::nullopt);
  CHECK(view.wanted_layout().arriving.empty());
}
