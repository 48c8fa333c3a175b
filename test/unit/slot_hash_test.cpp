#include "core/slot_hash.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace {

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return bytes;
}

}  // namespace

TEST_CASE("slot hash reproduces every vector of the Go client") {
  std::ifstream file(OVO_TEST_DATA_DIR "/hash_vectors.json");
  REQUIRE(file.good());
  const auto vectors = nlohmann::json::parse(file);
  REQUIRE(vectors.size() > 20);
  for (const auto& v : vectors) {
    const auto key_hex = v.at("key_hex").get<std::string>();
    CAPTURE(key_hex);
    CHECK(ovo::hash_slot(from_hex(key_hex), v.at("slots").get<int>()) == v.at("hash").get<int>());
  }
}

TEST_CASE("slot_of always lands in 0..127") {
  for (int i = 0; i < 10000; ++i) {
    const int slot = ovo::slot_of("key-" + std::to_string(i));
    CHECK((slot >= 0 && slot < ovo::slot_count));
  }
}
