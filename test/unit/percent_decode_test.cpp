#include "rest/percent_decode.hpp"

#include <doctest/doctest.h>

TEST_CASE("percent escapes decode, everything else is kept") {
  CHECK(ovo::percent_decode("plain") == std::string("plain"));
  CHECK(ovo::percent_decode("a%2Fb") == std::string("a/b"));
  CHECK(ovo::percent_decode("a%2fb") == std::string("a/b"));
  CHECK(ovo::percent_decode("sp%20ace+plus") == std::string("sp ace+plus"));
  CHECK(ovo::percent_decode("%E6%97%A5") == std::string("\xe6\x97\xa5"));
  CHECK(ovo::percent_decode("") == std::string(""));
}

TEST_CASE("malformed escapes are refused") {
  CHECK_FALSE(ovo::percent_decode("%"));
  CHECK_FALSE(ovo::percent_decode("abc%4"));
  CHECK_FALSE(ovo::percent_decode("%zz"));
  CHECK_FALSE(ovo::percent_decode("%4g"));
}
