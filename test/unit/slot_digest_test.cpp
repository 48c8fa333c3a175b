// Anti-entropy's pure part (docs/cluster.md, "Anti-entropy"): slot digests and the key-by-key
// comparison of two copies' summaries.

#include "core/slot_digest.hpp"

#include "core/counter_space.hpp"
#include "core/object_space.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace {

using ovo::key_version;
using ovo::op;
using ovo::status;

constexpr int64_t retention_ms = 60'000;
constexpr int64_t start_ms = 1'700'000'000'000;

ovo::command make(op kind, std::string key, std::string data = {}) {
  ovo::command cmd;
  cmd.kind = kind;
  cmd.key = std::move(key);
  cmd.data = std::move(data);
  return cmd;
}

struct holder {
  explicit holder(uint16_t tag = 1) : versions(std::make_shared<ovo::version_clock>(clock, tag)) {}
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>(start_ms);
  std::shared_ptr<ovo::version_clock> versions;
  ovo::object_space objects{clock, versions, retention_ms};

  void put(const std::string& key, const std::string& value) {
    REQUIRE(objects.execute(make(op::put, key, value)).code == status::ok);
  }
  std::vector<key_version> summary(int slot) {
    std::vector<key_version> out;
    objects.summarize(slot, out);
    return out;
  }
};

std::vector<std::string> keys_of(const std::vector<key_version>& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.push_back(e.key);
  std::sort(out.begin(), out.end());
  return out;
}

const uint64_t settled_all = ~uint64_t{0};

/// `count` keys whose slot is `slot`.
std::vector<std::string> keys_in(int slot, std::size_t count) {
  std::vector<std::string> out;
  for (int i = 0; out.size() < count; ++i) {
    auto key = "key-" + std::to_string(i);
    if (ovo::slot_of(key) == slot) out.push_back(std::move(key));
  }
  return out;
}

/// Copies `key`'s state from `from` to `to`, as a replica write does.
void copy(holder& from, holder& to, const std::string& key) {
  to.objects.apply(from.objects.snapshot(key));
}

}  // namespace

TEST_CASE("a slot digest depends on the keys and versions held, not on the order they came in") {
  holder owner, replica;
  const int slot = 7;
  const auto keys = keys_in(slot, 50);
  for (const auto& key : keys) owner.put(key, "v-" + key);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) copy(owner, replica, *it);
  CHECK(owner.objects.digest(slot) == replica.objects.digest(slot));
  CHECK(owner.objects.digest(slot) != 0);
  CHECK(owner.objects.digest(slot + 1) == 0);  // an empty slot
  // A newer version of one key, on one copy only, changes its digest.
  owner.put(keys[3], "newer");
  CHECK(owner.objects.digest(slot) != replica.objects.digest(slot));
  copy(owner, replica, keys[3]);
  CHECK(owner.objects.digest(slot) == replica.objects.digest(slot));
}

TEST_CASE("a digest share differs between the namespaces, clock parts and epochs of one key") {
  CHECK(ovo::digest_share("k", {0, 42}, false) != ovo::digest_share("k", {0, 42}, true));
  CHECK(ovo::digest_share("k", {0, 42}, false) != ovo::digest_share("k", {0, 43}, false));
  CHECK(ovo::digest_share("k", {1, 42}, false) != ovo::digest_share("k", {2, 42}, false));
}

TEST_CASE("comparing summaries names the newer side of each differing key") {
  holder owner(1), replica(2);
  const int slot = 9;
  const auto keys = keys_in(slot, 5);
  for (const auto& key : {keys[0], keys[1], keys[2], keys[3]}) {
    owner.put(key, "v");
    copy(owner, replica, key);
  }
  owner.clock->advance_ms(1);
  replica.clock->advance_ms(1);
  owner.put(keys[0], "newer on the owner");                                      // a missed write
  REQUIRE(owner.objects.execute(make(op::remove, keys[2])).code == status::ok);  // a missed delete
  replica.put(keys[1], "newer on the replica");
  replica.put(keys[4], "only on the replica");
  auto diff = ovo::compare_summaries(owner.summary(slot), replica.summary(slot), settled_all);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(keys_of(diff.newer_here) == sorted({keys[0], keys[2]}));
  CHECK(keys_of(diff.newer_there) == sorted({keys[1], keys[4]}));  // keys[3] is the same
  // keys[2] is newer here as a delete: the replica gets the tombstone.
  for (const auto& e : diff.newer_here)
    if (e.key == keys[2]) CHECK(e.erased);
}

TEST_CASE("a tombstone on one copy and nothing on the other is no difference") {
  holder owner, replica;
  const auto key = keys_in(3, 1).front();
  owner.put(key, "v");
  REQUIRE(owner.objects.execute(make(op::remove, key)).code == status::ok);
  auto diff = ovo::compare_summaries(owner.summary(3), replica.summary(3), settled_all);
  CHECK(diff.newer_here.empty());
  CHECK(diff.newer_there.empty());
}

TEST_CASE("a difference whose newer version is not settled yet is left for the next round") {
  holder owner, replica;
  const auto key = keys_in(5, 1).front();
  owner.put(key, "v");
  const auto settled = ovo::version_clock::latest_at(start_ms - 1);
  auto diff = ovo::compare_summaries(owner.summary(5), replica.summary(5), settled);
  CHECK(diff.newer_here.empty());
  diff = ovo::compare_summaries(owner.summary(5), replica.summary(5),
                                ovo::version_clock::latest_at(start_ms));
  CHECK(diff.newer_here.size() == 1);
}

TEST_CASE("the deletes of a slot with a copy behind are kept past their retention") {
  holder owner;
  const auto keys = keys_in(11, 2);
  owner.put(keys[0], "v");
  owner.put(keys[1], "v");
  owner.objects.keep_deletes(11, true);
  REQUIRE(owner.objects.execute(make(op::remove, keys[0])).code == status::ok);
  REQUIRE(owner.objects.execute(make(op::remove, keys[1])).code == status::ok);
  owner.clock->advance_ms(retention_ms * 2);
  owner.put(keys_in(12, 1).front(), "v");  // any write sweeps
  CHECK(owner.objects.tombstone_count() == 2);
  owner.objects.keep_deletes(11, false);
  owner.clock->advance_ms(retention_ms);
  owner.put(keys_in(12, 1).front(), "v");
  CHECK(owner.objects.tombstone_count() == 0);
}
