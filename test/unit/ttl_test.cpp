#include "core/ttl.hpp"

#include <doctest/doctest.h>

#include <limits>

TEST_CASE("a TTL of zero or less means no deadline") {
  CHECK(ovo::deadline_after(5000, 0) == ovo::no_deadline);
  CHECK(ovo::deadline_after(5000, -3) == ovo::no_deadline);
  CHECK_FALSE(ovo::is_expired(ovo::no_deadline, std::numeric_limits<int64_t>::max()));
}

TEST_CASE("a deadline is TTL seconds after now and expires exactly then") {
  const auto deadline = ovo::deadline_after(5000, 2);
  CHECK(deadline == 7000);
  CHECK_FALSE(ovo::is_expired(deadline, 6999));
  CHECK(ovo::is_expired(deadline, 7000));
}

TEST_CASE("a huge TTL saturates instead of overflowing") {
  constexpr auto max = std::numeric_limits<int64_t>::max();
  CHECK(ovo::deadline_after(5000, max) == max);
  CHECK_FALSE(ovo::is_expired(ovo::deadline_after(5000, max), 1'000'000'000'000));
}

TEST_CASE("remaining time travels between clocks") {
  CHECK(ovo::remaining_ms(ovo::no_deadline, 100) == 0);
  CHECK(ovo::remaining_ms(1500, 1000) == 500);
  CHECK(ovo::remaining_ms(900, 1000) == 1);  // already due: still a deadline
  CHECK(ovo::deadline_from_remaining(500, 20'000) == 20'500);
  CHECK(ovo::deadline_from_remaining(0, 20'000) == ovo::no_deadline);
}
