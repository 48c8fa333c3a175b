// Actors through a real actor_system: commands go in through local_node exactly as the REST
// layer sends them, answers come back through a sink.

#include "actors/interfaces.hpp"
#include "actors/local_node.hpp"
#include "config/defaults.hpp"
#include "core/slot_hash.hpp"
#include "core/slot_layout.hpp"
#include "test/unit/key_strings.hpp"
#include "test/unit/node_actor_config.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <future>
#include <set>
#include <thread>

namespace {

using namespace std::chrono_literals;
using ovo::op;
using ovo::status;

/// A sink a test can wait on.
class future_sink final : public ovo::reply_sink {
 public:
  void deliver(ovo::reply answer) override { promise_.set_value(std::move(answer)); }
  std::future<ovo::reply> future() { return promise_.get_future(); }

 private:
  std::promise<ovo::reply> promise_;
};

struct node_fixture {
  /// `tweak` changes the settings before the node starts.
  explicit node_fixture(const std::function<void(ovo::node_settings&)>& tweak = {})
      : config([&] {
          ovo::server_config c;
          c.self.name = "test";
          c.self.host = "127.0.0.1";
          c.self.port = 1;
          c.settings.shards = 4;
          c.settings.expiry_sweep_ms = 10;
          if (tweak) tweak(c.settings);
          return c;
        }()) {}

  caf::actor_system system{ovo::test::node_actor_config()};
  std::shared_ptr<ovo::manual_clock> clock = std::make_shared<ovo::manual_clock>();
  ovo::server_config config;
  ovo::local_node node{system, config, clock};

  ~node_fixture() { node.stop(); }

  ovo::reply ask(ovo::command cmd) {
    auto sink = std::make_shared<future_sink>();
    auto answer = sink->future();
    node.route(std::move(cmd), sink);
    REQUIRE(answer.wait_for(5s) == std::future_status::ready);
    return answer.get();
  }
  ovo::reply ask(op kind, std::string key, std::string data = {}, int64_t ttl = 0) {
    ovo::command cmd;
    cmd.kind = kind;
    cmd.key = std::move(key);
    cmd.data = std::move(data);
    cmd.ttl_seconds = ttl;
    return ask(std::move(cmd));
  }
  ovo::reply move(std::string from, std::string to) {
    ovo::command cmd;
    cmd.kind = op::update_key;
    cmd.key = std::move(from);
    cmd.new_key = std::move(to);
    return ask(std::move(cmd));
  }
  int64_t count() { return ask(op::count_keys, "").number; }
};

/// A key whose shard (of `shards`) is `shard`, distinct per `n`.
std::string key_in_shard(std::size_t shard, std::size_t shards, int n) {
  for (int i = 0;; ++i) {
    auto key = "k" + std::to_string(n) + "-" + std::to_string(i);
    if (ovo::shard_of_slot(ovo::slot_of(key), shards) == shard) return key;
  }
}

/// Polls `condition` every 10 ms for up to 5 s.
template <class Condition>
bool eventually(Condition condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

}  // namespace

TEST_CASE("objects written through the node are read back from their shard") {
  node_fixture f;
  for (int i = 0; i < 100; ++i)
    CHECK(f.ask(op::put, "key" + std::to_string(i), "value" + std::to_string(i)).code ==
          status::ok);
  for (int i = 0; i < 100; ++i)
    CHECK(f.ask(op::get, "key" + std::to_string(i)).data == "value" + std::to_string(i));
  CHECK(f.count() == 100);
  CHECK(f.ask(op::list_keys, "").keys.size() == 100);
}

TEST_CASE("a listing holds every key once, shard after shard and slot after slot, across slices") {
  node_fixture f;
  // Slot 5 holds more keys than two slices; every slot holds a few.
  std::set<std::string> stored;
  for (int i = 0; stored.size() < 2 * ovo::defaults::listing_slice_keys + 500; ++i)
    if (auto key = "s" + std::to_string(i); ovo::slot_of(key) == 5) stored.insert(key);
  for (int i = 0; i < 1000; ++i) stored.insert("k" + std::to_string(i));
  for (const auto& key : stored) REQUIRE(f.ask(op::put, key, "v").code == status::ok);

  const auto listed = key_strings(f.ask(op::list_keys, "").keys);
  CHECK(listed.size() == stored.size());
  CHECK(std::set<std::string>(listed.begin(), listed.end()) == stored);
  const auto place = [](const std::string& key) {
    return std::make_pair(ovo::shard_of_slot(ovo::slot_of(key), 4), ovo::slot_of(key));
  };
  CHECK(std::is_sorted(listed.begin(), listed.end(),
                       [&](const auto& a, const auto& b) { return place(a) < place(b); }));
}

TEST_CASE("updatekey across shards moves the object exactly once") {
  node_fixture f;
  const auto from = key_in_shard(0, 4, 1), to = key_in_shard(3, 4, 2);
  f.ask(op::put, from, "payload", 100);
  CHECK(f.move(from, to).code == status::ok);
  CHECK(f.ask(op::get, from).code == status::not_found);
  CHECK(f.ask(op::get, to).data == "payload");
  CHECK(f.count() == 1);
  CHECK(f.move(from, to).code == status::update_key_failed);
}

TEST_CASE("concurrent cross-shard moves neither lose nor duplicate objects") {
  node_fixture f;
  constexpr int objects = 200;
  std::vector<std::string> sources, targets;
  for (int i = 0; i < objects; ++i) {
    sources.push_back(key_in_shard(static_cast<std::size_t>(i) % 4, 4, i));
    targets.push_back(key_in_shard((static_cast<std::size_t>(i) + 1) % 4, 4, i + objects));
    f.ask(op::put, sources.back(), "v" + std::to_string(i));
  }
  std::vector<std::future<ovo::reply>> answers;
  for (int i = 0; i < objects; ++i) {
    auto sink = std::make_shared<future_sink>();
    answers.push_back(sink->future());
    ovo::command cmd;
    cmd.kind = op::update_key;
    cmd.key = sources[static_cast<std::size_t>(i)];
    cmd.new_key = targets[static_cast<std::size_t>(i)];
    f.node.route(std::move(cmd), sink);
  }
  for (auto& answer : answers) {
    REQUIRE(answer.wait_for(5s) == std::future_status::ready);
    CHECK(answer.get().code == status::ok);
  }
  CHECK(f.count() == objects);
  for (int i = 0; i < objects; ++i)
    CHECK(f.ask(op::get, targets[static_cast<std::size_t>(i)]).data == "v" + std::to_string(i));
}

TEST_CASE("shards drop due keys on their own timer without any read") {
  node_fixture f;
  for (int i = 0; i < 50; ++i) f.ask(op::put, "ttl" + std::to_string(i), "v", 1);
  for (int i = 0; i < 50; ++i) f.ask(op::put, "keep" + std::to_string(i), "v");
  f.clock->advance_ms(999);
  std::this_thread::sleep_for(50ms);  // several sweeps: nothing is due yet
  CHECK(f.count() == 100);
  f.clock->advance_ms(1);
  CHECK(eventually([&] { return f.count() == 50; }));
}

TEST_CASE("a key rewritten with a later TTL or none outlives the sweep of its first deadline") {
  node_fixture f;
  for (const char* key : {"later", "none", "witness"}) f.ask(op::put, key, "v", 1);
  f.ask(op::put, "later", "v2", 10);
  f.ask(op::put, "none", "v2");
  f.clock->advance_ms(1000);
  CHECK(eventually([&] { return f.count() == 2; }));  // the witness was swept
  CHECK(f.ask(op::get, "later").data == "v2");
  CHECK(f.ask(op::get, "none").data == "v2");
  f.clock->advance_ms(9000);
  CHECK(eventually([&] { return f.count() == 1; }));
  CHECK(f.ask(op::get, "none").data == "v2");
}

TEST_CASE("an expiry wave larger than a shard's batch is dropped over several turns") {
  node_fixture f;
  const int keys = static_cast<int>(ovo::defaults::expiry_batch) * 5 / 2;
  for (int i = 0; i < keys; ++i) f.ask(op::put, key_in_shard(0, 4, i), "v", 1);
  f.ask(op::put, "hot", "v");
  f.clock->advance_ms(1000);
  CHECK(eventually([&] { return f.count() == 1; }));
  CHECK(f.ask(op::get, "hot").data == "v");
}

TEST_CASE("counter increments from 4 threads at once are atomic: every total answered once") {
  node_fixture f;
  constexpr int threads = 4, per_thread = 250;
  std::vector<std::vector<std::future<ovo::reply>>> answers(threads);
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t)
    senders.emplace_back([&f, &mine = answers[static_cast<std::size_t>(t)]] {
      for (int i = 0; i < per_thread; ++i) {
        auto sink = std::make_shared<future_sink>();
        mine.push_back(sink->future());
        ovo::command cmd;
        cmd.kind = op::counter_add;
        cmd.key = "hits";
        cmd.value = 1;
        f.node.route(std::move(cmd), sink);
      }
    });
  for (auto& sender : senders) sender.join();
  std::set<int64_t> totals;
  for (auto& mine : answers)
    for (auto& answer : mine) {
      REQUIRE(answer.wait_for(5s) == std::future_status::ready);
      totals.insert(answer.get().number);
    }
  CHECK(totals.size() == threads * per_thread);  // no two increments saw the same total
  CHECK(*totals.begin() == 1);
  CHECK(*totals.rbegin() == threads * per_thread);
  CHECK(f.ask(op::counter_get, "hits").number == threads * per_thread);
  CHECK(f.count() == 0);  // counters are not objects
}

TEST_CASE("counters live in the shard of their slot, apart from objects, and expire there") {
  node_fixture f;
  constexpr int counters = 200;
  for (int i = 0; i < counters; ++i) {
    ovo::command cmd;
    cmd.kind = op::counter_set;
    cmd.key = "c" + std::to_string(i);
    cmd.value = i;
    cmd.ttl_seconds = i % 2;  // every other one expires after a second
    REQUIRE(f.ask(std::move(cmd)).code == status::ok);
  }
  REQUIRE(f.ask(op::put, "c0", "an object of the same name").code == status::ok);
  caf::scoped_actor self{f.system};
  auto sizes_of = [&](std::size_t index) {
    std::pair<std::vector<uint32_t>, std::vector<uint32_t>> out;
    self->request(f.node.shards()[index], 5s, ovo::sizes_atom_v)
        .receive(
            [&](std::vector<uint32_t>& objects, std::vector<uint32_t>& counts, uint64_t, uint32_t,
                uint64_t) {
              out = {objects, counts};
            },
            [](caf::error& e) { FAIL(to_string(e)); });
    return out;
  };
  auto check_placement = [&](uint32_t expected_counters) {
    uint32_t total = 0;
    for (std::size_t index = 0; index < 4; ++index) {
      const auto counts = sizes_of(index).second;
      for (std::size_t slot = 0; slot < counts.size(); ++slot) {
        if (ovo::shard_of_slot(static_cast<int>(slot), 4) != index) CHECK(counts[slot] == 0);
        total += counts[slot];
      }
    }
    CHECK(total == expected_counters);
  };
  check_placement(counters);
  f.clock->advance_ms(1000);
  CHECK(eventually([&] {
    uint32_t left = 0;
    for (std::size_t index = 0; index < 4; ++index)
      for (auto n : sizes_of(index).second) left += n;
    return left == counters / 2;
  }));
  check_placement(counters / 2);
  CHECK(f.ask(op::counter_get, "c0").number == 0);  // no TTL: kept
  CHECK(f.ask(op::get, "c0").data == "an object of the same name");
  CHECK(f.ask(op::counter_get, "c1").code == status::not_found);
}

TEST_CASE("a shard answers actor requests too, as remote nodes will use it") {
  node_fixture f;
  caf::scoped_actor self{f.system};
  ovo::command put;
  put.kind = op::put;
  put.key = "direct";
  put.data = "v";
  const auto& owner = f.node.shards()[ovo::shard_of_slot(ovo::slot_of("direct"), 4)];
  ovo::reply answer;
  self->request(owner, 5s, ovo::exec_atom_v, put)
      .receive([&](ovo::reply& r) { answer = r; }, [](caf::error& e) { FAIL(to_string(e)); });
  CHECK(answer.code == status::ok);
  CHECK(f.ask(op::get, "direct").data == "v");
}

TEST_CASE("the cluster view of a lone node owns all 128 slots") {
  node_fixture f;
  auto view = f.ask(op::cluster_view, "");
  REQUIRE(view.nodes.size() == 1);
  CHECK(view.nodes[0].name == "test");
  CHECK(view.nodes[0].hash_range.size() == 128);
  CHECK(f.ask(op::cluster_me, "").kind == ovo::payload::node);
}

TEST_CASE("noeviction refuses a write past the cap with 507 and changes nothing") {
  node_fixture f([](ovo::node_settings& s) {
    s.max_memory_bytes = 4 * 64 * 1024;  // 64 KiB a shard
    s.eviction = ovo::eviction_policy::noeviction;
  });
  const std::string value(1000, 'v');
  int stored = 0;
  ovo::reply refused;
  for (; stored < 1000; ++stored) {
    refused = f.ask(op::put, "key" + std::to_string(stored), value);
    if (refused.code != status::ok) break;
  }
  REQUIRE(refused.code == status::insufficient_storage);
  CHECK(ovo::status_table(refused.code).http == 507);
  CHECK(ovo::status_table(refused.code).code == "15");
  CHECK(stored > 100);  // about 240 fit in 256 KiB
  const auto refused_key = "key" + std::to_string(stored);
  CHECK(f.ask(op::get, refused_key).code == status::not_found);  // nothing half-written
  CHECK(f.count() == stored);
  CHECK(f.ask(op::get, "key0").data == value);  // reads and deletes still work
  CHECK(f.ask(op::remove, "key0").code == status::ok);
  CHECK(f.ask(op::remove, refused_key).code == status::ok);
  CHECK(f.count() == stored - 1);
}

TEST_CASE("with the clock policy writes past the cap evict cold objects and keep the hot one") {
  node_fixture f([](ovo::node_settings& s) { s.max_memory_bytes = 4 * 64 * 1024; });
  const std::string value(1000, 'v');
  const auto hot = key_in_shard(0, 4, 0);
  REQUIRE(f.ask(op::put, hot, value).code == status::ok);
  for (int i = 0; i < 2000; ++i) {
    REQUIRE(f.ask(op::put, key_in_shard(0, 4, i + 1), value).code == status::ok);
    REQUIRE(f.ask(op::get, hot).code == status::ok);
  }
  CHECK(f.count() < 300);  // one shard's 64 KiB holds about 60 of them
}

TEST_CASE("a value larger than a shard's share of the cap is refused without evicting anything") {
  node_fixture f([](ovo::node_settings& s) { s.max_memory_bytes = 4 * 64 * 1024; });
  for (int i = 0; i < 10; ++i)
    REQUIRE(f.ask(op::put, key_in_shard(1, 4, i), "small").code == status::ok);
  CHECK(f.ask(op::put, key_in_shard(1, 4, 99), std::string(100 * 1024, 'v')).code ==
        status::insufficient_storage);
  CHECK(f.count() == 10);
}
