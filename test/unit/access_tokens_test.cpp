#include "core/access_tokens.hpp"

#include <doctest/doctest.h>

TEST_CASE("a bearer header gives its token whatever the scheme's case, and anything else none") {
  CHECK(ovo::bearer_token("Bearer abc") == "abc");
  CHECK(ovo::bearer_token("bearer  abc ") == "abc");
  CHECK(ovo::bearer_token("BEARER abc") == "abc");
  CHECK(ovo::bearer_token("Basic abc").empty());
  CHECK(ovo::bearer_token("Bearer").empty());
  CHECK(ovo::bearer_token("Bearer ").empty());
  CHECK(ovo::bearer_token("").empty());
}

TEST_CASE("a token's scope is found only for the exact token") {
  ovo::access_tokens tokens;
  tokens.add("reader", ovo::token_scope::read);
  tokens.add("writer", ovo::token_scope::read_write);
  CHECK(tokens.scope_of("reader") == ovo::token_scope::read);
  CHECK(tokens.scope_of("writer") == ovo::token_scope::read_write);
  CHECK_FALSE(tokens.scope_of("write"));
  CHECK_FALSE(tokens.scope_of("writerr"));
  CHECK_FALSE(tokens.scope_of(""));
}
