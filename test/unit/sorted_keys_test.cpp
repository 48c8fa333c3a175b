#include "core/sorted_keys.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

/// `n` distinct keys in a shuffled order, and the same keys sorted.
struct shuffled_keys {
  std::vector<std::string> owned;
  std::vector<std::string> sorted;
  explicit shuffled_keys(int n) {
    for (int i = 0; i < n; ++i) owned.push_back("key:" + std::to_string(i * 7919 % 100'003));
    sorted = owned;
    std::sort(sorted.begin(), sorted.end());
    std::shuffle(owned.begin(), owned.end(), std::mt19937(42));
  }
  std::vector<std::string_view> views() const { return {owned.begin(), owned.end()}; }
};

/// Every key after `after`, read in order from `copy`, starting at first_after.
std::vector<std::string> read_after(ovo::sorted_keys& copy, const std::string& after) {
  std::vector<std::string> out;
  for (auto i = copy.first_after(after); i < copy.size(); ++i) out.emplace_back(copy.at(i));
  return out;
}

}  // namespace

TEST_CASE("a copy of 10,000 shuffled keys reads back in byte order in pages of 700, each once") {
  const shuffled_keys keys(10'000);
  ovo::sorted_keys copy;
  copy.take(3, 0, keys.views());
  std::vector<std::string> read;
  std::string after;
  while (true) {
    auto i = copy.first_after(after);
    for (int n = 0; n < 700 && i < copy.size(); ++n, ++i) read.emplace_back(copy.at(i));
    if (i == copy.size()) break;
    after = read.back();
    CHECK(copy.fresh_for(3, 0, after));
  }
  CHECK(read == keys.sorted);
}

TEST_CASE(
    "a copy taken for a key mid-slot drops the keys up to it, and is no longer fresh for an "
    "earlier key") {
  const shuffled_keys keys(5'000);
  ovo::sorted_keys copy;
  copy.take(7, 1'000, keys.views());
  const auto& middle = keys.sorted[2'500];
  CHECK(copy.first_after(middle) == 0);
  CHECK(copy.size() == 2'499);  // the 2,501 keys up to the middle one are dropped
  CHECK(read_after(copy, middle) ==
        std::vector<std::string>(keys.sorted.begin() + 2'501, keys.sorted.end()));
  CHECK(copy.fresh_for(7, 1'000, middle));
  CHECK(copy.fresh_for(7, 1'000, keys.sorted[4'000]));
  CHECK_FALSE(copy.fresh_for(7, 1'000, keys.sorted[2'499]));
  CHECK_FALSE(copy.fresh_for(8, 1'000, middle));
  CHECK_FALSE(copy.fresh_for(7, 1'000 + ovo::sorted_keys::max_age_ms + 1, middle));
}

TEST_CASE("an earlier key within the ordered part of a copy still finds every key after it") {
  const shuffled_keys keys(3'000);
  ovo::sorted_keys copy;
  copy.take(0, 0, keys.views());
  CHECK(copy.at(copy.first_after("")) == keys.sorted.front());  // orders a first batch
  const auto& early = keys.sorted[10];
  CHECK(copy.fresh_for(0, 0, early));
  CHECK(read_after(copy, early) ==
        std::vector<std::string>(keys.sorted.begin() + 11, keys.sorted.end()));
  CHECK(read_after(copy, keys.sorted.back()).empty());
}

TEST_CASE(
    "a key past the ordered part of a copy drops the unordered keys up to it and reads on in "
    "order") {
  const shuffled_keys keys(5'000);
  ovo::sorted_keys copy;
  copy.take(0, 0, keys.views());
  CHECK(copy.at(0) == keys.sorted.front());  // orders a first batch of 1,024
  const auto& past = keys.sorted[2'000];
  const auto first = copy.first_after(past);
  CHECK(first == ovo::sorted_keys::min_ordering_batch);  // the ordered batch stays
  CHECK(copy.size() == first + 2'999);
  CHECK(read_after(copy, past) ==
        std::vector<std::string>(keys.sorted.begin() + 2'001, keys.sorted.end()));
  CHECK_FALSE(copy.fresh_for(0, 0, keys.sorted[1'500]));
  CHECK(copy.at(0) == keys.sorted.front());
}
