#include "core/slot_digest.hpp"

#include <absl/container/flat_hash_map.h>
#include <xxhash.h>

#include <algorithm>
#include <utility>

namespace ovo {

uint64_t digest_share(std::string_view key, version_t version, bool counter) {
  // The version seeds the key's hash (the epoch spread over the bits by a golden-ratio
  // multiply); the counter namespace flips it.
  const uint64_t seed = version.clock ^ (version.epoch * 0x9e37'79b9'7f4a'7c15ull);
  return XXH3_64bits_withSeed(key.data(), key.size(), counter ? ~seed : seed);
}

slot_differences compare_summaries(const std::vector<key_version>& here,
                                   const std::vector<key_version>& there, uint64_t settled) {
  // Index the other copy by (namespace, key); what remains unmatched is there only.
  absl::flat_hash_map<std::pair<bool, absl::string_view>, const key_version*> others;
  others.reserve(there.size());
  for (const auto& entry : there)
    others.emplace(std::make_pair(entry.counter, absl::string_view(entry.key)), &entry);
  slot_differences out;
  auto compare = [&](const key_version* mine, const key_version* theirs) {
    const bool live_here = mine && !mine->erased;
    const bool live_there = theirs && !theirs->erased;
    if (!live_here && !live_there) return;
    const version_t version_here = mine ? mine->version : version_t{};
    const version_t version_there = theirs ? theirs->version : version_t{};
    if (version_here == version_there) return;
    // Either write recent: the newer one by epoch may carry the older clock part.
    if (std::max(version_here.clock, version_there.clock) > settled) return;
    if (version_here > version_there)
      out.newer_here.push_back(*mine);
    else
      out.newer_there.push_back(*theirs);
  };
  for (const auto& entry : here) {
    auto it = others.find(std::make_pair(entry.counter, absl::string_view(entry.key)));
    const key_version* theirs = nullptr;
    if (it != others.end()) {
      theirs = it->second;
      others.erase(it);
    }
    compare(&entry, theirs);
  }
  for (const auto& [name, theirs] : others) compare(nullptr, theirs);
  return out;
}

}  // namespace ovo
