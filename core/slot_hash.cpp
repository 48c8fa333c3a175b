#include "core/slot_hash.hpp"

#include "core/utf8.hpp"

namespace ovo {

int hash_slot(std::string_view key, int slots) {
  // Go computes in int32 with wrapping; unsigned arithmetic gives the same bits without UB.
  uint32_t h1 = 5381, h2 = 5381;
  std::size_t index = 0;
  for (std::size_t pos = 0; pos < key.size(); ++index) {
    // An ASCII byte is its own rune: no call to the decoder (this runs several times per
    // request; most keys are ASCII).
    const auto byte = static_cast<unsigned char>(key[pos]);
    uint32_t rune = byte;
    if (byte < 0x80) {
      ++pos;
    } else {
      const auto decoded = decode_rune(key, pos);
      pos += decoded.width;
      rune = static_cast<uint32_t>(decoded.rune);
    }
    uint32_t& half = (index % 2 == 0) ? h1 : h2;
    half = (half * 33u) ^ rune;
  }
  auto hash = static_cast<int32_t>(h1 + h2 * 1566083941u);
  if (hash < 0) hash = static_cast<int32_t>(0u - static_cast<uint32_t>(hash));
  return hash % slots;  // truncated remainder, as in Go (INT32_MIN stays negative there too)
}

}  // namespace ovo
