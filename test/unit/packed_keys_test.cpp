#include "core/packed_keys.hpp"

#include "test/unit/key_strings.hpp"

#include <doctest/doctest.h>

TEST_CASE("packed keys append, truncate and read back each key, empty ones included") {
  ovo::packed_keys keys;
  keys.push_back("alpha");
  keys.push_back("");
  ovo::packed_keys more;
  more.push_back("beta");
  more.push_back("gamma");
  keys.append(more);
  CHECK(key_strings(keys) == std::vector<std::string>{"alpha", "", "beta", "gamma"});
  CHECK(keys.back() == "gamma");
  keys.truncate(2);
  CHECK(key_strings(keys) == std::vector<std::string>{"alpha", ""});
  CHECK(keys.bytes == "alpha");
  keys.truncate(5);  // more than it holds: unchanged
  CHECK(keys.size() == 2);
  keys.truncate(0);
  CHECK(keys.empty());
  CHECK(keys.bytes.empty());
}

TEST_CASE("packed keys whose ends do not fit their bytes never read past the buffer") {
  ovo::packed_keys bad;
  bad.bytes = "abcdef";
  bad.ends = {4, 2, 100, 3};  // one goes back, one past the end
  CHECK(bad[0] == "abcd");
  CHECK(bad[1].empty());
  CHECK(bad[2] == "cdef");  // from where the key before ends, cut at the buffer
  CHECK(bad[3].empty());
  bad.truncate(3);
  CHECK(bad.bytes == "abcdef");
}
