#include "core/slot_layout.hpp"

#include "core/slot_hash.hpp"

#include <doctest/doctest.h>

TEST_CASE("balanced layout gives contiguous blocks, the first nodes one extra") {
  const auto three = ovo::balanced_layout(3);
  REQUIRE(three.size() == 3);
  CHECK(three[0].size() == 43);
  CHECK(three[1].size() == 43);
  CHECK(three[2].size() == 42);
  CHECK(three[0].front() == 0);
  CHECK(three[1].front() == 43);
  CHECK(three[2].back() == 127);
}

TEST_CASE("balanced layout covers every slot exactly once") {
  for (std::size_t n = 1; n <= 10; ++n) {
    std::vector<int> seen(ovo::slot_count, 0);
    for (const auto& slots : ovo::balanced_layout(n))
      for (int s : slots) ++seen[static_cast<std::size_t>(s)];
    for (int count : seen) CHECK(count == 1);
  }
  CHECK(ovo::balanced_layout(0).empty());
}

TEST_CASE("every shard holds whole slots and all shards are used") {
  std::vector<int> per_shard(8, 0);
  for (int s = 0; s < ovo::slot_count; ++s) ++per_shard[ovo::shard_of_slot(s, 8)];
  for (int count : per_shard) CHECK(count == 16);
}
