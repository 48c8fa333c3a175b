#include "core/scan_cursor.hpp"

#include "core/slot_hash.hpp"

#include <doctest/doctest.h>

TEST_CASE("a scan cursor names a slot and the last key returned, and 0 starts and ends a scan") {
  CHECK(ovo::parse_scan_cursor("0")->slot == 0);
  CHECK(ovo::parse_scan_cursor("0")->after.empty());
  CHECK(ovo::next_scan_cursor(5, "", false) == "6");
  CHECK(ovo::next_scan_cursor(127, "zz", false) == "0");
  const std::string binary("k\x00\xff/", 4);
  const auto cursor = ovo::next_scan_cursor(42, binary, true);
  CHECK(cursor == "42-6b00ff2f");
  const auto back = ovo::parse_scan_cursor(cursor);
  REQUIRE(back);
  CHECK(back->slot == 42);
  CHECK(back->after == binary);
}

TEST_CASE("a cursor no scan gave is refused") {
  for (const char* bad : {"", "-", "128", "-1", "5-", "5-a", "5-zz", "x", "5x", "1-6b-00"})
    CHECK_MESSAGE(!ovo::parse_scan_cursor(bad), bad);
}

TEST_CASE("each slot has an anchor key hashing to it, and globs match as Redis's MATCH") {
  for (int slot = 0; slot < ovo::slot_count; ++slot)
    CHECK(ovo::slot_of(ovo::slot_anchor_key(slot)) == slot);
  CHECK(ovo::matches_glob("", "anything"));
  CHECK(ovo::matches_glob("user:*", "user:42"));
  CHECK_FALSE(ovo::matches_glob("user:*", "order:1"));
  CHECK(ovo::matches_glob("k?y", "key"));
  CHECK(ovo::matches_glob("[ab]c", "bc"));
  CHECK(ovo::matches_glob("a\\*", "a*"));
  CHECK_FALSE(ovo::matches_glob("a\\*", "ab"));
}
