// Prints COUNT keys named PREFIX<n> whose slot lies in [FIRST, LAST], one per line, so a benchmark
// can aim at keys a given node owns (or does not own).

#include "core/slot_hash.hpp"

#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: ovo_bench_slot_keys FIRST_SLOT LAST_SLOT COUNT PREFIX\n";
    return 2;
  }
  const int first = std::stoi(argv[1]), last = std::stoi(argv[2]), count = std::stoi(argv[3]);
  const std::string prefix = argv[4];
  for (long n = 0, found = 0; found < count; ++n) {
    const auto key = prefix + std::to_string(n);
    const int slot = ovo::slot_of(key);
    if (slot >= first && slot <= last) {
      std::cout << key << '\n';
      ++found;
    }
  }
  return 0;
}
