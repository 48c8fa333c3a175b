#include "core/counter_space.hpp"

#include "core/memory_cost.hpp"
#include "core/slot_hash.hpp"

#include <doctest/doctest.h>

#include <limits>

namespace {

using ovo::op;
using ovo::status;

struct fixture {
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>();
  ovo::counter_space counters{clock, std::make_shared<ovo::version_clock>(clock, 1), 60'000};

  ovo::reply run(op kind, std::string key, int64_t value = 0, int64_t ttl = 0) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = std::move(key);
    cmd.value = value;
    cmd.ttl_seconds = ttl;
    return counters.execute(cmd);
  }
};

}  // namespace

TEST_CASE("add creates at zero and returns the new total") {
  fixture f;
  CHECK(f.run(op::counter_add, "c", 5).number == 5);
  CHECK(f.run(op::counter_add, "c", -8).number == -3);
  auto read = f.run(op::counter_get, "c");
  CHECK(read.code == status::ok);
  CHECK(read.kind == ovo::payload::counter);
  CHECK(read.number == -3);
}

TEST_CASE("set overwrites, get of a missing counter is 101, remove is idempotent") {
  fixture f;
  CHECK(f.run(op::counter_get, "c").code == status::not_found);
  CHECK(f.run(op::counter_set, "c", 42).number == 42);
  CHECK(f.run(op::counter_set, "c", 7).number == 7);
  CHECK(f.run(op::counter_remove, "c").code == status::ok);
  CHECK(f.run(op::counter_remove, "c").code == status::ok);
  CHECK(f.run(op::counter_get, "c").code == status::not_found);
}

TEST_CASE("overflow past int64 is an error and changes nothing") {
  fixture f;
  constexpr auto max = std::numeric_limits<int64_t>::max();
  constexpr auto min = std::numeric_limits<int64_t>::min();
  f.run(op::counter_set, "c", max);
  CHECK(f.run(op::counter_add, "c", 1).code == status::bad_request);
  CHECK(f.run(op::counter_get, "c").number == max);
  f.run(op::counter_set, "d", min);
  CHECK(f.run(op::counter_add, "d", -1).code == status::bad_request);
  CHECK(f.run(op::counter_get, "d").number == min);
}

TEST_CASE("counters expire with their TTL, add without TTL keeps the deadline") {
  fixture f;
  f.run(op::counter_set, "c", 1, 2);
  f.clock->advance_ms(1000);
  f.run(op::counter_add, "c", 1);
  f.clock->advance_ms(1000);
  CHECK(f.run(op::counter_get, "c").code == status::not_found);
  CHECK(f.counters.size() == 0);
}

TEST_CASE("expire_due drops only due counters") {
  fixture f;
  f.run(op::counter_set, "due", 1, 1);
  f.run(op::counter_set, "forever", 1);
  f.clock->advance_ms(1000);
  CHECK(f.counters.expire_due(100) == 1);
  CHECK(f.run(op::counter_get, "forever").number == 1);
}

TEST_CASE("a counter given a later TTL or none outlives its first deadline") {
  fixture f;
  f.run(op::counter_set, "later", 1, 1);
  f.run(op::counter_set, "none", 1, 1);
  f.run(op::counter_add, "later", 1, 5);
  f.run(op::counter_set, "none", 1);
  f.clock->advance_ms(1000);
  CHECK(f.counters.expire_due(100) == 0);
  CHECK(f.run(op::counter_get, "later").number == 2);
  CHECK(f.run(op::counter_get, "none").number == 1);
  f.clock->advance_ms(4000);
  CHECK(f.counters.expire_due(100) == 1);  // the later deadline was queued when the first passed
  CHECK(f.counters.size() == 1);
}

TEST_CASE("counters live apart from objects of the same name") {
  fixture f;
  f.run(op::counter_set, "shared-name", 3);
  CHECK(f.run(op::counter_get, "shared-name").number == 3);
  // The object namespace is a different store (object_space); nothing here can reach it.
  CHECK(f.counters.size() == 1);
}

TEST_CASE("a counter's accounted bytes come and go with it, its delete included") {
  fixture f;
  namespace cost = ovo::memory_cost;
  ovo::command add;
  add.kind = op::counter_add;
  add.key = "a-counter-named-at-length";
  add.value = 1;
  CHECK(f.counters.growth(add) == static_cast<int64_t>(cost::counter(25)));
  f.counters.execute(add);
  CHECK(f.counters.growth(add) == 0);
  CHECK(f.counters.bytes() == cost::counter(25));
  f.run(op::counter_remove, "a-counter-named-at-length");
  CHECK(f.counters.bytes() == cost::tombstone(25));
  f.run(op::counter_set, "t", 3, 1);
  f.clock->advance_ms(1000);
  CHECK(f.counters.expire_due(100) == 1);
  CHECK(f.counters.bytes() == cost::tombstone(25));
  f.counters.drop(ovo::slot_of("a-counter-named-at-length"));
  CHECK(f.counters.bytes() == 0);
}

TEST_CASE("drop_unconfirmed removes only the rejected counters of one slot, with their bytes") {
  fixture f;
  const auto bytes_empty = f.counters.bytes();
  f.run(op::counter_add, "kept", 1);
  const auto bytes_one = f.counters.bytes();
  const int slot = ovo::slot_of("kept");
  std::string gone;
  for (int i = 0; gone.empty(); ++i)
    if (ovo::slot_of("gone-" + std::to_string(i)) == slot) gone = "gone-" + std::to_string(i);
  f.run(op::counter_add, gone, 2);
  CHECK(f.counters.drop_unconfirmed(slot, [](std::string_view key) { return key == "kept"; }) == 1);
  CHECK(f.run(op::counter_get, "kept").number == 1);
  CHECK(f.run(op::counter_get, gone).code == status::not_found);
  CHECK(f.counters.bytes() == bytes_one);  // no tombstone left for the dropped one
  CHECK(bytes_one > bytes_empty);
}
