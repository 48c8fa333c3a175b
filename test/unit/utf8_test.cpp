#include "core/utf8.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("valid UTF-8 is accepted") {
  CHECK(ovo::is_valid_utf8(""));
  CHECK(ovo::is_valid_utf8("plain ascii"));
  CHECK(
      ovo::is_valid_utf8("\xc3\x9c"
                         "ber"));                         // Ü
  CHECK(ovo::is_valid_utf8("\xe6\x97\xa5\xe6\x9c\xac"));  // 日本
  CHECK(ovo::is_valid_utf8("\xf0\x9f\x98\x80"));          // 😀
  CHECK(ovo::is_valid_utf8("\xef\xbf\xbd"));              // U+FFFD itself
}

TEST_CASE("invalid UTF-8 is refused") {
  CHECK_FALSE(ovo::is_valid_utf8("\xff"));
  CHECK_FALSE(ovo::is_valid_utf8("a\x80z"));            // lone continuation
  CHECK_FALSE(ovo::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(ovo::is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  CHECK_FALSE(ovo::is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(ovo::is_valid_utf8("\xe6\x97"));          // truncated
}

TEST_CASE("long text is checked whole, in 32- and 8-byte steps where it is ASCII") {
  CHECK(ovo::is_valid_utf8("0123456789abcdef0123456789abcdef"));
  CHECK(
      ovo::is_valid_utf8("1234567\xc3\x9c"
                         "12345678"));                            // Ü across an 8-byte boundary
  CHECK(ovo::is_valid_utf8("0123456789abcdef\xf0\x9f\x98\x80"));  // 😀 after two ASCII chunks
  CHECK_FALSE(ovo::is_valid_utf8("12345678\xff"));                // after one ASCII chunk
  CHECK_FALSE(
      ovo::is_valid_utf8("1234567\xe6\x97"
                         "12345678"));                             // truncated, then ASCII
  CHECK_FALSE(ovo::is_valid_utf8("0123456789abcdef0123456\x80"));  // in the last, short chunk
  const std::string ascii_32(32, 'a');
  CHECK(ovo::is_valid_utf8(ascii_32 + ascii_32));
  CHECK(ovo::is_valid_utf8(ascii_32.substr(1) + "\xc3\x9c" + ascii_32));    // across 32 bytes
  CHECK_FALSE(ovo::is_valid_utf8(ascii_32 + "\xff"));                       // after a 32-byte run
  CHECK_FALSE(ovo::is_valid_utf8(ascii_32 + "12345678\xe6\x97"));           // then an 8-byte one
  CHECK_FALSE(ovo::is_valid_utf8(ascii_32.substr(3) + "\x80" + ascii_32));  // inside a 32-byte run
}

TEST_CASE("an invalid byte decodes as U+FFFD of width 1, as Go's range does") {
  const auto r = ovo::decode_rune("\xe6\x97z", 0);
  CHECK(r.rune == ovo::replacement_char);
  CHECK(r.width == 1);
  CHECK_FALSE(r.valid);
  const auto ok = ovo::decode_rune("\xe6\x97\xa5", 0);
  CHECK(ok.rune == 0x65E5);
  CHECK(ok.width == 3);
}
