// Per-key versions (docs/cluster.md, "Versions"): the owner stamps each write; every path that
// installs a copy (replica write, slot push, fetch) keeps the newer one; a delete leaves a
// tombstone that beats older copies until it is collected.

#include "core/counter_space.hpp"
#include "core/object_space.hpp"
#include "core/version_clock.hpp"

#include <doctest/doctest.h>

namespace {

using ovo::op;
using ovo::status;
using ovo::version_t;

constexpr int64_t retention_ms = 60'000;

/// Two holders of the same keys ("owner" and "replica"), each with its own version clock, on
/// one manual clock used as wall clock and TTL clock alike.
struct two_holders {
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  ovo::object_space owner{clock, std::make_shared<ovo::version_clock>(clock, 1), retention_ms};
  ovo::object_space replica{clock, std::make_shared<ovo::version_clock>(clock, 2), retention_ms};

  static ovo::command make(op kind, std::string key, std::string data = {}) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = std::move(key);
    cmd.data = std::move(data);
    return cmd;
  }
  /// Writes on the owner and gives the key's resulting state, as replication sends it.
  ovo::replica_write write(op kind, const std::string& key, std::string data = {}) {
    REQUIRE(owner.execute(make(kind, key, std::move(data))).code == status::ok);
    return owner.snapshot(key);
  }
  std::string value_on_replica(const std::string& key) {
    auto r = replica.execute(make(op::get, key));
    return r.code == status::ok ? r.data : "<absent>";
  }
};

}  // namespace

TEST_CASE("a version clock counts up within one millisecond and stays above what it observed") {
  auto wall = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  ovo::version_clock a(wall, 1), b(wall, 2);
  const version_t first = a.next(), second = a.next();
  CHECK(second > first);
  CHECK(ovo::version_clock::millis_of(first.clock) == ovo::version_clock::millis_of(second.clock));
  // b's wall clock is 5 s behind what it observes from a: its next write is still newer.
  wall->advance_ms(5'000);
  const version_t ahead = a.next();
  wall->advance_ms(-5'000);
  b.observe(ahead);
  CHECK(b.next() > ahead);
  CHECK(a.next() != b.next());  // tags keep two nodes' versions apart
  CHECK(ovo::version_tag_of("node1") != ovo::version_tag_of("node2"));
}

TEST_CASE(
    "a version clock stamps the epoch it serves by, which only grows and is not taken from "
    "observed versions, while its clock part keeps counting") {
  auto wall = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  ovo::version_clock clock(wall, 1);
  CHECK(clock.next().epoch == 0);
  clock.serve_epoch(3);
  const version_t at_three = clock.next();
  CHECK(at_three.epoch == 3);
  clock.serve_epoch(2);  // an older table seen late changes nothing
  CHECK(clock.next().epoch == 3);
  clock.observe({9, at_three.clock + 5000});
  const version_t after = clock.next();
  CHECK(after.epoch == 3);  // a node stamps only the layout it serves by
  CHECK(after.clock > at_three.clock + 5000);
  clock.serve_epoch(uint64_t{1} << 40);
  CHECK(clock.next().epoch == version_t::max_epoch);
  CHECK(version_t{4, 1} > version_t{3, ~uint64_t{0}});  // the epoch compares first
  CHECK(version_t{4, 2} > version_t{4, 1});
}

TEST_CASE(
    "a write applied under a newer layout epoch beats a deposed owner's later-clocked write, "
    "for objects, deletes and counters, in either order of arrival") {
  // The deposed owner's wall clock runs an hour ahead of the new owner's.
  auto ahead = std::make_shared<ovo::manual_clock>(1'700'003'600'000);
  auto behind = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  auto deposed_versions = std::make_shared<ovo::version_clock>(ahead, 1);
  auto new_versions = std::make_shared<ovo::version_clock>(behind, 2);
  deposed_versions->serve_epoch(4);
  new_versions->serve_epoch(5);
  ovo::object_space deposed{ahead, deposed_versions, retention_ms};
  ovo::object_space new_owner{behind, new_versions, retention_ms};
  ovo::counter_space deposed_counters{ahead, deposed_versions, retention_ms};
  ovo::counter_space new_counters{behind, new_versions, retention_ms};
  REQUIRE(deposed.execute(two_holders::make(op::put, "k", "deposed")).code == status::ok);
  REQUIRE(new_owner.execute(two_holders::make(op::put, "k", "acknowledged")).code == status::ok);
  REQUIRE(deposed.execute(two_holders::make(op::put, "gone", "deposed")).code == status::ok);
  REQUIRE(new_owner.execute(two_holders::make(op::put, "gone", "x")).code == status::ok);
  REQUIRE(new_owner.execute(two_holders::make(op::remove, "gone")).code == status::ok);
  auto add = [](ovo::counter_space& space, int64_t by) {
    auto cmd = two_holders::make(op::counter_add, "c");
    cmd.value = by;
    REQUIRE(space.execute(cmd).code == status::ok);
  };
  add(deposed_counters, 100);
  add(new_counters, 7);
  REQUIRE(deposed.snapshot("k").version.clock > new_owner.snapshot("k").version.clock);

  for (bool deposed_first : {true, false}) {
    CAPTURE(deposed_first);
    auto wall = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
    ovo::object_space holder{wall, std::make_shared<ovo::version_clock>(wall, 3), retention_ms};
    ovo::counter_space counters{wall, std::make_shared<ovo::version_clock>(wall, 3), retention_ms};
    std::vector<std::pair<ovo::object_space*, ovo::counter_space*>> order{
        {&deposed, &deposed_counters}, {&new_owner, &new_counters}};
    if (!deposed_first) std::swap(order[0], order[1]);
    for (auto [objects, counter_space] : order) {
      holder.apply(objects->snapshot("k"));
      holder.apply(objects->snapshot("gone"));
      counters.apply(counter_space->snapshot("c"));
    }
    CHECK(holder.execute(two_holders::make(op::get, "k")).data == "acknowledged");
    CHECK(holder.execute(two_holders::make(op::get, "gone")).code == status::not_found);
    CHECK(counters.snapshot("c").counter_value == 7);
  }
}

TEST_CASE("a replica keeps the newer copy: an older one is refused, the same one changes nothing") {
  two_holders h;
  const auto older = h.write(op::put, "k", "v1");
  const auto newer = h.write(op::put, "k", "v2");
  CHECK(newer.version > older.version);
  CHECK(h.replica.apply(newer));
  CHECK_FALSE(h.replica.apply(older));  // arrives late: refused
  CHECK(h.value_on_replica("k") == "v2");
  CHECK_FALSE(h.replica.apply(newer));  // the same write twice
  CHECK(h.replica.snapshot("k").version == newer.version);
}

TEST_CASE("a tombstone beats an older put, a newer put beats the tombstone") {
  two_holders h;
  const auto put = h.write(op::put, "k", "v");
  const auto deleted = h.write(op::remove, "k");
  CHECK(deleted.erase);
  CHECK(deleted.version > put.version);
  CHECK(h.replica.apply(deleted));
  CHECK_FALSE(h.replica.apply(put));  // the deleted key does not come back
  CHECK(h.value_on_replica("k") == "<absent>");
  const auto again = h.write(op::put, "k", "back");
  CHECK(h.replica.apply(again));
  CHECK(h.value_on_replica("k") == "back");
}

TEST_CASE(
    "every delete path leaves a tombstone: getandremove, deletevalueifequal, updatekey's old key") {
  two_holders h;
  const auto before = h.write(op::put, "a", "v");
  REQUIRE(h.owner.execute(two_holders::make(op::get_and_remove, "a")).code == status::ok);
  CHECK(h.owner.snapshot("a").version > before.version);
  const auto b = h.write(op::put, "b", "v");
  REQUIRE(h.owner.execute(two_holders::make(op::delete_value_if_equal, "b", "v")).code ==
          status::ok);
  CHECK(h.owner.snapshot("b").version > b.version);
  const auto c = h.write(op::put, "c", "v");
  auto move = two_holders::make(op::update_key, "c");
  move.new_key = "d";
  REQUIRE(std::holds_alternative<ovo::object_record>(h.owner.take_for_move(move)));
  CHECK(h.owner.snapshot("c").version > c.version);
  CHECK(h.owner.tombstone_count() == 3);
}

TEST_CASE("tombstones travel with a slot's data and are collected after the retention") {
  two_holders h;
  const auto put = h.write(op::put, "k", "v");
  h.write(op::remove, "k");
  const auto dumped = h.owner.dump(ovo::slot_of("k"));
  REQUIRE(dumped.size() == 1);
  CHECK(dumped.front().erase);
  for (const auto& write : dumped) h.replica.apply(write);
  CHECK_FALSE(h.replica.apply(put));
  CHECK(h.replica.tombstone_count() == 1);
  h.clock->advance_ms(retention_ms + retention_ms / 10 + 1);
  h.replica.execute(two_holders::make(op::get, "other"));  // any request sweeps when due
  CHECK(h.replica.tombstone_count() == 0);
}

TEST_CASE(
    "the expiry sweep collects deletes past their retention, objects and counters, though no "
    "command reaches the shard") {
  // A shard nobody wrote to kept them for ever, and sent them with its slots: a node back from
  // a minority then never learned that its copies of those keys were stale (partition test).
  two_holders h;
  h.write(op::put, "k", "v");
  h.write(op::remove, "k");
  auto counters =
      ovo::counter_space{h.clock, std::make_shared<ovo::version_clock>(h.clock, 3), retention_ms};
  auto counter_command = two_holders::make(op::counter_add, "c");
  counter_command.value = 1;
  REQUIRE(counters.execute(counter_command).code == status::ok);
  REQUIRE(counters.execute(two_holders::make(op::counter_remove, "c")).code == status::ok);
  REQUIRE(h.owner.tombstone_count() == 1);
  REQUIRE(counters.dump(ovo::slot_of("c")).size() == 1);
  h.clock->advance_ms(retention_ms - 1);
  h.owner.expire_due(100);
  counters.expire_due(100);
  CHECK(h.owner.tombstone_count() == 1);
  CHECK(counters.dump(ovo::slot_of("c")).size() == 1);
  h.clock->advance_ms(retention_ms / 10 + 2);
  CHECK(h.owner.expire_due(100) == 0);
  CHECK(counters.expire_due(100) == 0);
  CHECK(h.owner.tombstone_count() == 0);
  CHECK(counters.dump(ovo::slot_of("c")).empty());
}

TEST_CASE("counters: an older total is refused, a delete's tombstone beats an older set") {
  auto clock = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  ovo::counter_space owner{clock, std::make_shared<ovo::version_clock>(clock, 1), retention_ms};
  ovo::counter_space replica{clock, std::make_shared<ovo::version_clock>(clock, 2), retention_ms};
  auto run = [&](op kind, int64_t value) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = "c";
    cmd.value = value;
    REQUIRE(owner.execute(cmd).code == status::ok);
    return owner.snapshot("c");
  };
  const auto at_one = run(op::counter_add, 1);
  const auto at_three = run(op::counter_add, 2);
  CHECK(replica.apply(at_three));
  CHECK_FALSE(replica.apply(at_one));
  CHECK(replica.snapshot("c").counter_value == 3);
  const auto removed = run(op::counter_remove, 0);
  CHECK(replica.apply(removed));
  CHECK_FALSE(replica.apply(at_three));
  CHECK(replica.snapshot("c").erase);
}

TEST_CASE(
    "a replacing copy (what is here is distrusted) installs over a newer local state, object, "
    "tombstone or counter, and a copy of a key never written installs nothing") {
  two_holders h;
  const auto served = h.write(op::put, "k", "served meanwhile");
  // The replica applied a newer write of its own (one the serving node never confirmed).
  auto unconfirmed = served;
  unconfirmed.record.value = "never acknowledged";
  unconfirmed.version.clock = served.version.clock + 1000;
  REQUIRE(h.replica.apply(unconfirmed));
  CHECK_FALSE(h.replica.apply(served));  // by version the unconfirmed write would win
  CHECK(h.replica.apply(served, true));
  CHECK(h.value_on_replica("k") == "served meanwhile");
  CHECK(h.replica.snapshot("k").version == served.version);

  const auto deleted = h.write(op::remove, "k");
  auto newer_put = unconfirmed;
  newer_put.version.clock = deleted.version.clock + 1000;
  REQUIRE(h.replica.apply(newer_put));
  CHECK(h.replica.apply(deleted, true));
  CHECK(h.value_on_replica("k") == "<absent>");

  ovo::replica_write never_written;
  never_written.record.key = "k";
  never_written.erase = true;
  CHECK_FALSE(h.replica.apply(never_written, true));

  auto clock = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  ovo::counter_space counters{clock, std::make_shared<ovo::version_clock>(clock, 2), retention_ms};
  ovo::replica_write total;
  total.counter = true;
  total.record.key = "c";
  total.counter_value = 1271;
  total.version = {0, 5000};
  auto stale_based = total;
  stale_based.counter_value = 1002;
  stale_based.version = {0, 6000};
  REQUIRE(counters.apply(stale_based));
  CHECK_FALSE(counters.apply(total));
  CHECK(counters.apply(total, true));
  CHECK(counters.snapshot("c").counter_value == 1271);
}

TEST_CASE(
    "a node that restarts its epochs to join another cluster keeps its data and clock parts, "
    "and the cluster's copies stamped under lower epochs then win: objects, deletes, counters") {
  auto wall = std::make_shared<ovo::manual_clock>(1'700'000'000'000);
  auto joiner_versions = std::make_shared<ovo::version_clock>(wall, 1);
  joiner_versions->serve_epoch(40);  // agreed alone, or in a cluster gone since
  ovo::object_space joiner{wall, joiner_versions, retention_ms};
  ovo::counter_space joiner_counters{wall, joiner_versions, retention_ms};
  REQUIRE(joiner.execute(two_holders::make(op::put, "k", "joiner's")).code == status::ok);
  REQUIRE(joiner.execute(two_holders::make(op::put, "gone", "x")).code == status::ok);
  REQUIRE(joiner.execute(two_holders::make(op::remove, "gone")).code == status::ok);
  auto add = two_holders::make(op::counter_add, "c");
  add.value = 100;
  REQUIRE(joiner_counters.execute(add).code == status::ok);
  const auto k_before = joiner.snapshot("k").version;
  const auto gone_before = joiner.snapshot("gone").version;
  const auto c_before = joiner_counters.snapshot("c").version;
  REQUIRE(k_before.epoch == 40);
  REQUIRE(gone_before.epoch == 40);
  REQUIRE(c_before.epoch == 40);

  // The cluster's writes of the same keys, earlier by the wall clock, under its epoch 3.
  auto cluster_wall = std::make_shared<ovo::manual_clock>(1'699'999'000'000);
  auto cluster_versions = std::make_shared<ovo::version_clock>(cluster_wall, 2);
  cluster_versions->serve_epoch(3);
  ovo::object_space cluster{cluster_wall, cluster_versions, retention_ms};
  ovo::counter_space cluster_counters{cluster_wall, cluster_versions, retention_ms};
  REQUIRE(cluster.execute(two_holders::make(op::put, "k", "cluster's")).code == status::ok);
  REQUIRE(cluster.execute(two_holders::make(op::put, "gone", "kept")).code == status::ok);
  add.value = 7;
  REQUIRE(cluster_counters.execute(add).code == status::ok);
  CHECK_FALSE(joiner.apply(cluster.snapshot("k")));  // before: epoch 40 beats the cluster's 3

  joiner.restart_epochs();
  joiner_counters.restart_epochs();
  joiner_versions->restart_epochs();
  CHECK(joiner.snapshot("k").version == version_t{0, k_before.clock});
  CHECK(joiner.execute(two_holders::make(op::get, "k")).data == "joiner's");
  CHECK(joiner.snapshot("gone").erase);
  CHECK(joiner.snapshot("gone").version == version_t{0, gone_before.clock});
  CHECK(joiner_counters.snapshot("c").version == version_t{0, c_before.clock});
  CHECK(joiner_counters.snapshot("c").counter_value == 100);
  CHECK(joiner_versions->next().epoch == 0);
  CHECK(joiner.apply(cluster.snapshot("k")));
  CHECK(joiner.execute(two_holders::make(op::get, "k")).data == "cluster's");
  CHECK(joiner.apply(cluster.snapshot("gone")));  // the delete's tombstone no longer wins
  CHECK(joiner.execute(two_holders::make(op::get, "gone")).data == "kept");
  CHECK(joiner_counters.apply(cluster_counters.snapshot("c")));
  CHECK(joiner_counters.snapshot("c").counter_value == 7);
  // It serves by the cluster's epochs from now on.
  joiner_versions->serve_epoch(3);
  CHECK(joiner_versions->next().epoch == 3);
}
