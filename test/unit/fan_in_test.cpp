// fan_in: "ask N, answer when all replied", written once for every actor that gathers replies.

#include "actors/fan_in.hpp"

#include <doctest/doctest.h>

TEST_CASE("fan_in runs done once, after the last report, with the values in index order") {
  int calls = 0;
  std::vector<int> seen;
  auto gathered = ovo::fan_in<int>::start(3, [&](ovo::fan_in_result<int>& all) {
    ++calls;
    seen = all.values;
    CHECK(all.all_ok());
  });
  gathered->value(2, 30);
  gathered->value(0, 10);
  CHECK(calls == 0);
  gathered->value(1, 20);
  CHECK(calls == 1);
  CHECK(seen == std::vector<int>{10, 20, 30});
}

TEST_CASE("fan_in counts failures and keeps the first reason, and with none to wait for is done") {
  ovo::fan_in_result<int> result;
  auto gathered = ovo::fan_in<int>::start(3, [&](ovo::fan_in_result<int>& all) { result = all; });
  gathered->failure(1, "timeout");
  gathered->value(0, 1);
  gathered->failure(2, "down");
  CHECK_FALSE(result.all_ok());
  CHECK(result.failures == 2);
  CHECK(result.first_failure == "timeout");
  bool done = false;
  ovo::fan_in<int>::start(0, [&](ovo::fan_in_result<int>&) { done = true; });
  CHECK(done);
}
