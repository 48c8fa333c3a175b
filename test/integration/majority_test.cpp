// The majority rule (docs/cluster.md, "Partitions"), on loopback: a node that reaches no
// majority of the members serves nothing (reads only with ReadsInMinority) and takes nothing
// over; it serves again once a majority is reachable.

#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

/// How many times node `i` has logged that it reaches no majority (once at every start too:
/// a node with configured peers is a minority until it reaches them).
long minority_entries(test_cluster& c, int i) { return c.log_count({i}, "no majority"); }

}  // namespace

TEST_CASE(
    "one node of two that lost its peer is a minority: it refuses reads and writes with 503 and "
    "changes nothing, takes no slot over, and serves again when its peer is back") {
  test_cluster c(2, R"({"NodeTimeoutMs":500})");
  REQUIRE(c.converged({0, 1}, 2));
  const auto mine = c.key_owned_by(0, "minority-");
  REQUIRE(c.put(0, mine, "before").status == 200);
  const auto entered = minority_entries(c, 0);
  c.nodes[1]->signal(SIGSTOP);
  // Heartbeats drop the link after 1 s; node0 then reaches 1 of 2 members. (A write before
  // that would be applied here and answered 503/"18": its twin does not confirm.)
  REQUIRE(within(5, [&] { return minority_entries(c, 0) > entered; }));
  auto refused = c.put(0, mine, "during");
  CHECK(refused.status == 503);
  CHECK(refused.code() == "14");
  CHECK(refused.header("X-Ovo-Error").find("majority") != std::string::npos);
  CHECK(c.call(0, "GET", "/ovo/keystorage/" + mine).status == 503);
  std::this_thread::sleep_for(1s);  // past NodeTimeoutMs: a majority would have taken over
  CHECK(c.view(0)["node1"].first == "ACTIVE");  // a minority takes nothing over
  c.nodes[1]->signal(SIGCONT);
  CHECK(within(10, [&] { return c.value_of(0, mine) == "before"; }));  // nothing was changed
  CHECK(c.put(0, mine, "after").status == 200);
  CHECK(c.value_of(1, mine) == "after");
}

TEST_CASE("with ReadsInMinority a node in a minority answers reads from its own copy") {
  test_cluster c(2, R"({"ReadsInMinority":true})");
  REQUIRE(c.converged({0, 1}, 2));
  const auto mine = c.key_owned_by(0, "stale-ok-");
  REQUIRE(c.put(0, mine, "v").status == 200);
  const auto entered = minority_entries(c, 0);
  c.nodes[1]->stop(SIGKILL, 2s);
  REQUIRE(within(5, [&] { return minority_entries(c, 0) > entered; }));
  CHECK(c.put(0, mine, "w").status == 503);
  CHECK(c.value_of(0, mine) == "v");
}
