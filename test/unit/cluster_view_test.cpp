#include <doctest/doctest.h>

#include "cluster_view.hpp"

namespace {

ovo::node_info node(std::string name, int64_t joined_at, uint16_t port = 1) {
  ovo::node_info n;
  n.name = std::move(name);
  n.host = "127.0.0.1";
  n.port = port;
  n.joined_at_ms = joined_at;
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
  CHECK(one.find("b")->hash_range.front() == 0);
  CHECK(one.find("c")->hash_range.front() == 43);
  CHECK(one.find("a")->hash_range.front() == 86);
  for (const char* name : {"a", "b", "c"}) CHECK(one.find(name)->hash_range == two.find(name)->hash_range);
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
  CHECK(view.merge(gossip));                // new facts are taken...
  CHECK(view.find("b")->port == 9);
  CHECK(view.find("b")->active);            // ...liveness is not
  CHECK(view.find("b")->hash_range.size() == 64);  // a dead node keeps its slots (no failover yet)
}

TEST_CASE("merges are idempotent, never overwrite this node, and never go back in time") {
  ovo::cluster_view view(node("a", 100));
  CHECK(view.merge(node("b", 200)));
  CHECK_FALSE(view.merge(node("b", 200)));
  CHECK_FALSE(view.merge(node("a", 999, 7)));
  CHECK(view.self().port == 1);
  CHECK(view.merge(node("b", 500)));          // restarted: later join time
  CHECK_FALSE(view.merge(node("b", 200, 5)));  // a stale report of the old incarnation
  CHECK(view.find("b")->joined_at_ms == 500);
}
