#include "config/star_name.hpp"

#include <array>
#include <random>

namespace ovo {

std::string generate_star_name() {
  static constexpr std::array<const char*, 16> stars = {
      "sirius", "canopus", "arcturus", "vega",  "capella", "rigel", "procyon", "altair",
      "deneb",  "antares", "pollux",   "spica", "mizar",   "alcor", "polaris", "regulus"};
  std::random_device entropy;
  std::mt19937 rng(entropy());
  std::uniform_int_distribution<std::size_t> pick_star(0, stars.size() - 1);
  std::uniform_int_distribution<int> pick_number(1000, 9999);
  return std::string(stars[pick_star(rng)]) + "-" + std::to_string(pick_number(rng));
}

}  // namespace ovo
