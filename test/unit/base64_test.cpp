#include "core/base64.hpp"

#include <doctest/doctest.h>

namespace {
std::string encode(std::string_view bytes) {
  std::string out;
  ovo::append_base64(out, bytes);
  return out;
}
}  // namespace

TEST_CASE("base64 encodes with padding like Go's StdEncoding") {
  CHECK(encode("") == "");
  CHECK(encode("f") == "Zg==");
  CHECK(encode("fo") == "Zm8=");
  CHECK(encode("foo") == "Zm9v");
  CHECK(encode("foobar") == "Zm9vYmFy");
  CHECK(encode(std::string("\0\xff\xfe", 3)) == "AP/+");
}

TEST_CASE("base64 round-trips every byte value") {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t len = 0; len < all.size(); len += 37) {
    const auto part = all.substr(0, len);
    CHECK(ovo::decode_base64(encode(part)) == part);
  }
}

TEST_CASE("base64 decoding refuses what Go refuses") {
  CHECK_FALSE(ovo::decode_base64("Zg"));           // missing padding
  CHECK_FALSE(ovo::decode_base64("Zg="));          // bad length
  CHECK_FALSE(ovo::decode_base64("Z==="));         // too much padding
  CHECK_FALSE(ovo::decode_base64("Zm9v!A=="));     // outside the alphabet
  CHECK_FALSE(ovo::decode_base64("Zg==Zg=="));     // padding in the middle
  CHECK_FALSE(ovo::decode_base64("Zm9_"));         // URL alphabet
  CHECK_FALSE(ovo::decode_base64("Zm9=YmFy"));     // padding in a block before the last
  CHECK_FALSE(ovo::decode_base64("Zm\x80vYmFy"));  // a byte above 127 in an early block
  CHECK_FALSE(ovo::decode_base64("Zm9vYm\xffy"));  // ... and in the last one
}

TEST_CASE("base64 decoding skips line breaks like Go") {
  CHECK(ovo::decode_base64("Zm9v\r\nYmFy") == std::string("foobar"));
  CHECK(ovo::decode_base64("Zm9vYmFy\n") == std::string("foobar"));
  CHECK(ovo::decode_base64("Zm9v\rYmFy") == std::string("foobar"));
}
