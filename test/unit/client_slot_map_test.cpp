#include "core/slot_hash.hpp"
#include "ovo/client.hpp"

#include <doctest/doctest.h>

namespace {

ovo::client::node make_node(std::string name, uint16_t port, std::vector<int> slots,
                            std::vector<std::string> twins = {}, bool active = true) {
  ovo::client::node n;
  n.name = std::move(name);
  n.host = "127.0.0.1";
  n.port = port;
  n.active = active;
  n.slots = std::move(slots);
  n.twins = std::move(twins);
  return n;
}

std::vector<int> range(int first, int last) {
  std::vector<int> out;
  for (int s = first; s <= last; ++s) out.push_back(s);
  return out;
}

}  // namespace

TEST_CASE("the client sends a key to its slot's owner first, then its twins, then any node") {
  ovo::client::slot_map map({make_node("a", 1, range(0, 63), {"c"}),
                             make_node("b", 2, range(64, 127)), make_node("c", 3, {}),
                             make_node("d", 4, {}, {}, false)});
  std::string key_of_a, key_of_b;
  for (int i = 0; key_of_a.empty() || key_of_b.empty(); ++i) {
    auto key = "k" + std::to_string(i);
    (ovo::slot_of(key) < 64 ? key_of_a : key_of_b) = key;
  }
  CHECK(map.owner_of(key_of_a)->name == "a");
  CHECK(map.candidates(key_of_a) ==
        std::vector<std::string>{"127.0.0.1:1", "127.0.0.1:3", "127.0.0.1:2"});  // d is down
  CHECK(map.candidates(key_of_b).front() == "127.0.0.1:2");
  ovo::client::slot_map empty({});
  CHECK(empty.owner_of("x") == nullptr);
  CHECK(empty.candidates("x").empty());
}
