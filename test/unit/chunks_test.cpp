// Slots move in bounded chunks: chunk_ends splits a slot's entries by count and by bytes.

#include "core/chunks.hpp"

#include <doctest/doctest.h>

namespace {

std::vector<ovo::replica_write> entries(std::size_t count, std::size_t value_bytes) {
  std::vector<ovo::replica_write> out(count);
  for (auto& e : out) e.record.value.assign(value_bytes, 'v');
  return out;
}

}  // namespace

TEST_CASE("chunks hold at most the entry limit, the last one the rest") {
  CHECK(ovo::chunk_ends(entries(10, 1), 4, 1 << 20) == std::vector<std::size_t>{4, 8, 10});
  CHECK(ovo::chunk_ends(entries(8, 1), 4, 1 << 20) == std::vector<std::size_t>{4, 8});
}

TEST_CASE("chunks stay under the byte limit, and a larger entry travels alone") {
  // 100-byte values (148 bytes with the fixed part): three fit in 500 bytes.
  CHECK(ovo::chunk_ends(entries(7, 100), 4096, 500) == std::vector<std::size_t>{3, 6, 7});
  auto mixed = entries(3, 10);
  mixed[1].record.value.assign(10'000, 'x');
  CHECK(ovo::chunk_ends(mixed, 4096, 1000) == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("no entries make one empty chunk, so the receiver learns the slot is complete") {
  CHECK(ovo::chunk_ends({}, 4096, 1 << 20) == std::vector<std::size_t>{0});
}
