// gathered_replies: the sinks of commands routed together, delivered from many threads, hand
// every reply over once, in command order.

#include "actors/gathered_replies.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

TEST_CASE("gathered replies run done once, after the last sink, with the replies in order") {
  int calls = 0;
  std::vector<ovo::reply> seen;
  auto sinks = ovo::gathered_replies::start(3, [&](std::vector<ovo::reply> all) {
    ++calls;
    seen = std::move(all);
  });
  REQUIRE(sinks.size() == 3);
  sinks[2]->deliver(ovo::failure(ovo::status::not_found, "c"));
  sinks[0]->deliver(ovo::failure(ovo::status::ok, "a"));
  sinks[0]->deliver(ovo::failure(ovo::status::unavailable, "twice"));  // a second one is ignored
  CHECK(calls == 0);
  sinks[1]->deliver(ovo::failure(ovo::status::unavailable, "b"));
  CHECK(calls == 1);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].message == "a");
  CHECK(seen[1].code == ovo::status::unavailable);
  CHECK(seen[2].code == ovo::status::not_found);
}

TEST_CASE("a gathered sink dropped without a reply counts as 503 and none means done at once") {
  std::vector<ovo::reply> seen;
  auto sinks = ovo::gathered_replies::start(2, [&](std::vector<ovo::reply> all) { seen = all; });
  sinks[1]->deliver(ovo::done());
  sinks.clear();  // the actor holding sink 0 stopped
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].code == ovo::status::unavailable);
  CHECK(seen[1].code == ovo::status::ok);
  bool empty_done = false;
  CHECK(ovo::gathered_replies::start(0, [&](std::vector<ovo::reply> all) {
          empty_done = all.empty();
        }).empty());
  CHECK(empty_done);
}

TEST_CASE("gathered sinks delivered from many threads at once hand over every reply once") {
  constexpr std::size_t count = 4000;
  std::atomic<int> calls{0};
  std::vector<ovo::reply> seen;
  auto sinks = ovo::gathered_replies::start(count, [&](std::vector<ovo::reply> all) {
    seen = std::move(all);
    ++calls;
  });
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < 4; ++t)
    threads.emplace_back([&sinks, t] {
      for (std::size_t i = t; i < count; i += 4)
        sinks[i]->deliver(ovo::failure(ovo::status::ok, std::to_string(i)));
    });
  for (auto& thread : threads) thread.join();
  CHECK(calls == 1);
  REQUIRE(seen.size() == count);
  bool in_order = true;
  for (std::size_t i = 0; i < count; ++i)
    in_order = in_order && seen[i].message == std::to_string(i);
  CHECK(in_order);
}
