#include "core/object_space.hpp"

#include "core/memory_cost.hpp"
#include "core/slot_hash.hpp"
#include "test/unit/key_strings.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <variant>

namespace {

using ovo::op;
using ovo::status;

struct fixture {
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>();
  ovo::object_space space{clock, std::make_shared<ovo::version_clock>(clock, 1), 60'000};

  ovo::reply run(op kind, std::string key, std::string data = {}, std::string new_data = {}) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = std::move(key);
    cmd.data = std::move(data);
    cmd.new_data = std::move(new_data);
    return space.execute(cmd);
  }
  void put(std::string key, std::string value, int64_t ttl = 0, std::string collection = {}) {
    ovo::command cmd;
    cmd.kind = op::put;
    cmd.key = std::move(key);
    cmd.data = std::move(value);
    cmd.ttl_seconds = ttl;
    cmd.collection = std::move(collection);
    REQUIRE(space.execute(cmd).code == status::ok);
  }
  std::string value_of(const std::string& key) {
    auto r = run(op::get, key);
    return r.code == status::ok ? r.data : "<" + std::string(ovo::status_table(r.code).code) + ">";
  }
  /// Runs a key move entirely inside this space, as a shard does for same-shard moves.
  ovo::reply move(op kind, std::string key, std::string new_key, std::string data = {},
                  std::string new_data = {}) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = std::move(key);
    cmd.new_key = std::move(new_key);
    cmd.data = std::move(data);
    cmd.new_data = std::move(new_data);
    auto taken = space.take_for_move(cmd);
    if (auto* error = std::get_if<ovo::reply>(&taken)) return *error;
    space.adopt(std::get<ovo::object_record>(taken));
    return ovo::done();
  }
};

}  // namespace

TEST_CASE("put then get returns the bytes, overwrite replaces them") {
  fixture f;
  f.put("k", std::string("a\0b", 3));
  CHECK(f.value_of("k") == std::string("a\0b", 3));
  f.put("k", "second");
  CHECK(f.value_of("k") == "second");
  CHECK(f.space.size() == 1);
  CHECK(f.value_of("missing") == "<101>");
}

TEST_CASE("remove succeeds whether or not the key existed") {
  fixture f;
  f.put("k", "v");
  CHECK(f.run(op::remove, "k").code == status::ok);
  CHECK(f.run(op::remove, "k").code == status::ok);
  CHECK(f.value_of("k") == "<101>");
}

TEST_CASE("get_and_remove returns the object once") {
  fixture f;
  f.put("k", "v");
  auto first = f.run(op::get_and_remove, "k");
  CHECK(first.code == status::ok);
  CHECK(first.data == "v");
  CHECK(f.run(op::get_and_remove, "k").code == status::not_found);
}

TEST_CASE("an expired object is never returned, even before the sweep") {
  fixture f;
  f.put("k", "v", 2);
  f.clock->advance_ms(1999);
  CHECK(f.value_of("k") == "v");
  f.clock->advance_ms(1);
  CHECK(f.value_of("k") == "<101>");
  CHECK(f.space.size() == 0);  // the read dropped it
}

TEST_CASE("only objects with a TTL enter the expiry heap") {
  fixture f;
  f.put("k", "v", 5);
  f.put("no-ttl", "v");
  CHECK(f.space.expiring_count() == 1);
}

TEST_CASE("expire_due drops the keys whose deadline passed, on time and no earlier") {
  fixture f;
  f.put("a", "v", 1);
  f.put("b", "v", 2);
  f.put("forever", "v");
  f.clock->advance_ms(999);
  CHECK(f.space.expire_due(100) == 0);
  f.clock->advance_ms(1);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.space.size() == 2);
  f.clock->advance_ms(1000);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.value_of("forever") == "v");
  CHECK(f.space.expiring_count() == 0);
}

TEST_CASE("a key rewritten with a later TTL or none is not expired by its first deadline") {
  fixture f;
  f.put("later", "v", 1);
  f.put("none", "v", 1);
  f.put("changed", "old", 1);
  f.clock->advance_ms(500);
  f.put("later", "v", 10);
  f.put("none", "v");
  REQUIRE(f.run(op::update_value_if_equal, "changed", "old", "new").code == status::ok);
  f.clock->advance_ms(600);
  CHECK(f.space.expire_due(100) == 1);  // "changed" kept its TTL through updatevalueifequal
  CHECK(f.value_of("later") == "v");
  CHECK(f.value_of("none") == "v");
  CHECK(f.value_of("changed") == "<101>");
  CHECK(f.space.expiring_count() == 1);  // only "later", once
  f.clock->advance_ms(9399);
  CHECK(f.space.expire_due(100) == 0);
  f.clock->advance_ms(1);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.space.size() == 1);
}

TEST_CASE("a key rewritten with an earlier TTL expires at the earlier deadline") {
  fixture f;
  f.put("k", "v", 10);
  f.put("k", "v", 1);
  f.clock->advance_ms(1000);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.space.size() == 0);
}

TEST_CASE("deletes, moves, evictions and dropped slots leave nothing in the expiry heap") {
  fixture f;
  f.put("deleted", "v", 60);
  f.put("taken", "v", 60);
  f.put("moved", "v", 60);
  f.put("evicted", "v", 60);
  f.put("dropped", "v", 60);
  REQUIRE(f.run(op::remove, "deleted").code == status::ok);
  REQUIRE(f.run(op::get_and_remove, "taken").code == status::ok);
  REQUIRE(f.move(op::update_key, "moved", "moved-to").code == status::ok);
  CHECK(f.space.expiring_count() == 3);  // evicted, dropped, moved-to (its TTL moved with it)
  const auto evicted_slot = ovo::slot_of("evicted");
  f.space.evict(1, [&](int slot) { return slot == evicted_slot; });
  f.space.drop(ovo::slot_of("dropped"));
  f.space.drop(ovo::slot_of("moved-to"));
  CHECK(f.space.expiring_count() == 0);
  CHECK(f.space.size() == 0);
  f.clock->advance_ms(60'000);
  CHECK(f.space.expire_due(100) == 0);
}

TEST_CASE("expire_due works in batches of at most its limit, earliest first") {
  fixture f;
  for (int i = 0; i < 250; ++i) f.put("k" + std::to_string(i), "v", 1 + i % 5);
  f.clock->advance_ms(2000);  // the 100 keys with TTLs of 1 and 2 s are due
  CHECK(f.space.expire_due(30) == 30);
  CHECK(f.space.expire_due(30) == 30);
  CHECK(f.space.expire_due(1000) == 40);
  CHECK(f.space.expire_due(1000) == 0);
  CHECK(f.space.size() == 150);
  CHECK(f.space.expiring_count() == 150);
  f.clock->advance_ms(3000);
  CHECK(f.space.expire_due(1000) == 150);
  CHECK(f.space.expiring_count() == 0);
}

TEST_CASE("replica writes and arrivals bring their deadline into the expiry heap") {
  fixture f;
  ovo::replica_write write;
  write.record = ovo::object_record{"copy", "v", "", 1500};
  write.version = {0, 7};
  REQUIRE(f.space.apply(write));
  CHECK(f.space.expiring_count() == 1);
  f.clock->advance_ms(1499);
  CHECK(f.space.expire_due(100) == 0);
  f.clock->advance_ms(1);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.space.size() == 0);
}

TEST_CASE("updatevalueifequal swaps the value only on a match and keeps the TTL") {
  fixture f;
  f.put("k", "old", 10, "coll");
  CHECK(f.run(op::update_value_if_equal, "k", "wrong", "new").code == status::value_mismatch);
  CHECK(f.value_of("k") == "old");
  CHECK(f.run(op::update_value_if_equal, "k", "old", "new").code == status::ok);
  CHECK(f.value_of("k") == "new");
  CHECK(f.run(op::update_value_if_equal, "missing", "", "x").code == status::value_mismatch);
  f.clock->advance_ms(10'000);
  CHECK(f.value_of("k") == "<101>");  // the original deadline still applies
}

TEST_CASE("deletevalueifequal: mismatch 103, match deletes, missing is fine") {
  fixture f;
  f.put("k", "v");
  CHECK(f.run(op::delete_value_if_equal, "k", "other").code == status::value_mismatch);
  CHECK(f.value_of("k") == "v");
  CHECK(f.run(op::delete_value_if_equal, "k", "v").code == status::ok);
  CHECK(f.value_of("k") == "<101>");
  CHECK(f.run(op::delete_value_if_equal, "k", "v").code == status::ok);
}

TEST_CASE("updatekey moves the object, keeps its TTL, and fails 105 when missing") {
  fixture f;
  f.put("from", "v", 3, "coll");
  f.put("to", "overwritten");
  CHECK(f.move(op::update_key, "from", "to").code == status::ok);
  CHECK(f.value_of("from") == "<101>");
  CHECK(f.value_of("to") == "v");
  CHECK(f.space.size() == 1);
  CHECK(f.move(op::update_key, "from", "elsewhere").code == status::update_key_failed);
  f.clock->advance_ms(3000);
  CHECK(f.value_of("to") == "<101>");
}

TEST_CASE("updatekeyvalueifequal moves with the new value only on a match") {
  fixture f;
  f.put("a", "v1");
  CHECK(f.move(op::update_key_value_if_equal, "a", "b", "nope", "v2").code ==
        status::key_value_mismatch);
  CHECK(f.value_of("a") == "v1");
  CHECK(f.move(op::update_key_value_if_equal, "a", "b", "v1", "v2").code == status::ok);
  CHECK(f.value_of("a") == "<101>");
  CHECK(f.value_of("b") == "v2");
  CHECK(f.move(op::update_key_value_if_equal, "zz", "b", "", "x").code ==
        status::key_value_mismatch);
}

TEST_CASE("restore puts a failed move back unless the key was rewritten") {
  fixture f;
  f.put("a", "v1");
  ovo::command cmd;
  cmd.kind = op::update_key;
  cmd.key = "a";
  cmd.new_key = "b";
  auto record = std::get<ovo::object_record>(f.space.take_for_move(cmd));
  CHECK(f.value_of("a") == "<101>");
  f.space.restore(record, "a");
  CHECK(f.value_of("a") == "v1");
  f.put("a", "newer");
  f.space.restore(record, "a");
  CHECK(f.value_of("a") == "newer");
}

TEST_CASE("keys lists live keys of every slot") {
  fixture f;
  for (int i = 0; i < 300; ++i) f.put("key" + std::to_string(i), "v");
  f.put("short-lived", "v", 1);
  f.clock->advance_ms(1000);
  std::size_t listed = 0;
  for (int slot = 0; slot < ovo::slot_count; ++slot) {
    auto slice = f.space.keys(slot, {}, 1000);
    CHECK(slice.done);
    listed += slice.keys.size();
  }
  CHECK(listed == 300);
}

namespace {

/// The keys of slot 0 put under `prefix`: `count` of them.
std::vector<std::string> slot0_keys(const std::string& prefix, std::size_t count) {
  std::vector<std::string> out;
  for (int i = 0; out.size() < count; ++i)
    if (ovo::slot_of(prefix + std::to_string(i)) == 0) out.push_back(prefix + std::to_string(i));
  return out;
}

/// Walks slot 0 in slices of `limit`, calling `between` after every slice but the last, and
/// gives every key handed out (a whole answer replaces the slices before it).
template <class Between>
std::vector<std::string> walk_slot0(ovo::object_space& space, std::size_t limit, Between between) {
  std::vector<std::string> out;
  ovo::object_space::key_walk at;
  for (;;) {
    auto slice = space.keys(0, at, limit);
    if (slice.whole)
      out.clear();
    else
      CHECK(slice.keys.size() <= limit);
    for (std::size_t i = 0; i < slice.keys.size(); ++i) out.emplace_back(slice.keys[i]);
    if (slice.done) return out;
    at = slice.next;
    between();
  }
}

}  // namespace

TEST_CASE("a slot's keys come in bounded slices, every key once") {
  fixture f;
  const auto keys = slot0_keys("k", 2500);
  for (const auto& key : keys) f.put(key, "v");
  int slices = 0;
  auto listed = walk_slot0(f.space, 100, [&] { ++slices; });
  CHECK(slices == 24);  // 25 slices of 100
  std::sort(listed.begin(), listed.end());
  auto expected = keys;
  std::sort(expected.begin(), expected.end());
  CHECK(listed == expected);
}

TEST_CASE("a walk resumes across deletes and expiries: the keys present throughout once") {
  fixture f;
  const auto keys = slot0_keys("k", 2000);
  for (std::size_t i = 0; i < keys.size(); ++i) f.put(keys[i], "v", i % 10 == 0 ? 5 : 0);
  std::size_t next_delete = 1;
  bool expired = false;
  auto listed = walk_slot0(f.space, 150, [&] {
    f.run(op::remove, keys[next_delete]);  // every 10th but one is deleted meanwhile
    next_delete += 10;
    if (!expired) f.clock->advance_ms(6000);  // and the ones with a TTL expire
    expired = true;
  });
  std::set<std::string> seen;
  for (const auto& key : listed) CHECK(seen.insert(key).second);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool gone_early = i % 10 == 0 || (i % 10 == 1 && i < next_delete);
    if (!gone_early) CHECK(seen.count(keys[i]) == 1);
  }
}

TEST_CASE("a walk across inserts answers the whole slot once") {
  fixture f;
  const auto keys = slot0_keys("k", 1000);
  for (const auto& key : keys) f.put(key, "v");
  const auto added = slot0_keys("new", 3000);  // enough to grow the table, moving every key
  std::size_t next = 0;
  auto listed = walk_slot0(f.space, 100, [&] {
    for (int i = 0; i < 1000 && next < added.size(); ++i) f.put(added[next++], "v");
  });
  std::set<std::string> seen;
  for (const auto& key : listed) CHECK(seen.insert(key).second);
  for (const auto& key : keys) CHECK(seen.count(key) == 1);
  CHECK(listed.size() == keys.size() + next);
}

TEST_CASE("a scan pages through one slot's live keys in byte order, after a key, by a glob") {
  fixture f;
  std::vector<std::string> in_slot;
  for (int i = 0; in_slot.size() < 7; ++i) {
    const auto key = "scan" + std::to_string(i);
    if (ovo::slot_of(key) == ovo::slot_of("scan0")) in_slot.push_back(key);
    f.put(key, "v");
  }
  f.put(in_slot[6], "v", 1);  // expires: never listed
  f.clock->advance_ms(1000);
  std::vector<std::string> live(in_slot.begin(), in_slot.begin() + 6);
  std::sort(live.begin(), live.end());
  const int slot = ovo::slot_of("scan0");
  auto first = f.space.scan(slot, "", 4, "");
  CHECK(key_strings(first.keys) == std::vector<std::string>(live.begin(), live.begin() + 4));
  CHECK(first.more);
  auto rest = f.space.scan(slot, std::string(first.keys.back()), 4, "");
  CHECK(key_strings(rest.keys) == std::vector<std::string>(live.begin() + 4, live.end()));
  CHECK_FALSE(rest.more);
  const auto matched = f.space.scan(slot, "", 10, live[0]);  // a glob without wildcards
  CHECK(key_strings(matched.keys) == std::vector<std::string>{live[0]});
}

TEST_CASE(
    "a scan's later pages of a slot read the keys its first page took: every key present "
    "throughout once, one removed since skipped, one added since missing until the copy is "
    "taken again") {
  fixture f;
  const auto keys = slot0_keys("s", 30);
  for (const auto& key : keys) f.put(key, "v");
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  auto first = f.space.scan(0, "", 10, "");
  CHECK(key_strings(first.keys) == std::vector<std::string>(sorted.begin(), sorted.begin() + 10));
  CHECK(f.run(op::remove, sorted[15]).code == status::ok);
  const auto added = slot0_keys("t", 1).front();  // after every "s" key in byte order
  f.put(added, "v");
  auto seen = key_strings(first.keys);
  auto page = first;
  while (page.more) {
    page = f.space.scan(0, std::string(page.keys.back()), 10, "");
    const auto keys = key_strings(page.keys);
    seen.insert(seen.end(), keys.begin(), keys.end());
  }
  std::vector<std::string> expected = sorted;
  expected.erase(expected.begin() + 15);
  CHECK(seen == expected);  // in order, each once, without the removed one nor the new one
  // Past its age the copy is taken again, mid-slot too: the new key comes.
  f.clock->advance_ms(ovo::sorted_keys::max_age_ms + 1);
  CHECK(key_strings(f.space.scan(0, sorted.back(), 10, "").keys) ==
        std::vector<std::string>{added});
}

TEST_CASE("accounted bytes grow and shrink exactly with objects and deletes") {
  fixture f;
  namespace cost = ovo::memory_cost;
  CHECK(f.space.bytes() == 0);
  f.put("short", "v");
  f.put("a-key-longer-than-fifteen-bytes", std::string(300, 'x'), 5, "coll");
  const auto both = cost::object(5, 1, 0, false) + cost::object(31, 300, 4, true);
  CHECK(f.space.bytes() == both);
  f.put("short", "a longer value");  // replaced: the old block's cost goes
  CHECK(f.space.bytes() == cost::object(5, 14, 0, false) + cost::object(31, 300, 4, true));
  CHECK(f.run(op::remove, "short").code == status::ok);  // a tombstone stays
  CHECK(f.space.bytes() == cost::object(31, 300, 4, true) + cost::tombstone(5));
  f.clock->advance_ms(5000);
  CHECK(f.space.expire_due(100) == 1);
  CHECK(f.space.bytes() == cost::tombstone(5));
  f.clock->advance_ms(60'000);
  f.put("other", "v");  // a write collects the tombstones past their retention
  CHECK(f.space.bytes() == cost::object(5, 1, 0, false));
  f.space.drop(ovo::slot_of("other"));
  CHECK(f.space.bytes() == 0);
}

TEST_CASE("growth is what a write would add, replacement included") {
  fixture f;
  namespace cost = ovo::memory_cost;
  ovo::command put;
  put.kind = op::put;
  put.key = "k";
  put.data = std::string(100, 'x');
  CHECK(f.space.growth(put) == static_cast<int64_t>(cost::object(1, 100, 0, false)));
  f.space.execute(put);
  CHECK(f.space.growth(put) == 0);
  put.data = "short";
  CHECK(f.space.growth(put) < 0);
  CHECK(f.space.growth(ovo::command{}) == 0);  // reads and deletes are never refused
}

TEST_CASE("the eviction hand evicts cold objects before hot ones and leaves no tombstone") {
  fixture f;
  for (int i = 0; i < 100; ++i) f.put("key" + std::to_string(i), "value", 0, "c");
  std::set<std::string> hot;
  for (int i = 0; i < 100; i += 10) hot.insert("key" + std::to_string(i));
  for (const auto& key : hot) CHECK(f.value_of(key) == "value");
  const auto before = f.space.bytes();
  const auto one = ovo::memory_cost::object(5, 5, 1, false);
  auto gone = f.space.evict(50 * one, [](int) { return true; });
  CHECK(gone.size() >= 50);
  CHECK(gone.size() <= 51);
  std::size_t freed = 0;
  for (const auto& e : gone) {
    CHECK(hot.count(e.key) == 0);
    CHECK(e.version.stamped());
    freed += e.bytes;
  }
  CHECK(f.space.bytes() == before - freed);
  CHECK(f.space.tombstone_count() == 0);
  for (const auto& key : hot) CHECK(f.value_of(key) == "value");
  auto again = f.space.snapshot(*hot.begin());
  CHECK(again.record.collection == "c");  // the visited bit is not part of the collection
}

TEST_CASE("the eviction hand skips slots it may not evict from and stops when none is left") {
  fixture f;
  f.put("mine", "v");
  f.put("theirs", "v");
  const int mine = ovo::slot_of("mine");
  REQUIRE(mine != ovo::slot_of("theirs"));
  auto gone = f.space.evict(1 << 20, [mine](int slot) { return slot == mine; });
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].key == "mine");
  CHECK(f.value_of("theirs") == "v");
  CHECK(f.space.evict(1, [mine](int slot) { return slot == mine; }).empty());
}

TEST_CASE("an owner's eviction removes a holder's copy without a tombstone") {
  fixture f;
  ovo::replica_write copy;
  copy.record = {"k", "v", "", 0};
  copy.version = {0, 10};
  REQUIRE(f.space.apply(copy));
  ovo::replica_write evicted;
  evicted.erase = true;
  evicted.evicted = true;
  evicted.record.key = "k";
  evicted.version = {0, 11};
  CHECK(f.space.apply(evicted));
  CHECK(f.value_of("k") == "<101>");
  CHECK(f.space.tombstone_count() == 0);
  CHECK(f.space.bytes() == 0);
}
