#pragma once
#include <string>

namespace ovo {

/// A node name for configs that leave Name empty: a star's name and a random number,
/// e.g. "vega-4821".
std::string generate_star_name();

}  // namespace ovo
