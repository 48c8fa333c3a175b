#include "core/tombstones.hpp"

#include "core/memory_cost.hpp"

namespace ovo {

version_t tombstones::version_of(std::string_view key) const {
  const auto& slot = tables_[slot_of(key)];
  if (slot.empty()) return {};  // the usual case: no delete in this slot lately
  // Debian's abseil has its own string_view type for heterogeneous lookup.
  auto it = slot.find(absl::string_view(key.data(), key.size()));
  return it == slot.end() ? version_t{} : it->second.version;
}

void tombstones::erase(std::string_view key) {
  auto& slot = tables_[slot_of(key)];
  // Debian's abseil has its own string_view type for heterogeneous lookup.
  if (!slot.empty() && slot.erase(absl::string_view(key.data(), key.size())) > 0)
    bytes_ -= memory_cost::tombstone(key.size());
}

void tombstones::put(std::string_view key, version_t version, int64_t now_ms) {
  if (tables_[slot_of(key)]
          .insert_or_assign(std::string(key), entry{version, now_ms + retention_ms_})
          .second)
    bytes_ += memory_cost::tombstone(key.size());
}

void tombstones::drop(int slot) {
  for (const auto& item : tables_[slot]) bytes_ -= memory_cost::tombstone(item.first.size());
  tables_.clear(slot);
}

void tombstones::restart_epochs() {
  for (int slot = 0; slot < slot_count; ++slot)
    for (auto& item : tables_[slot]) item.second.version.epoch = 0;
}

void tombstones::dump(int slot, bool counters, std::vector<replica_write>& out) const {
  for (const auto& [key, e] : tables_[slot]) {
    replica_write write;
    write.counter = counters;
    write.erase = true;
    write.record.key = key;
    write.version = e.version;
    out.push_back(std::move(write));
  }
}

void tombstones::summarize(int slot, bool counters, std::vector<key_version>& out) const {
  for (const auto& [key, e] : tables_[slot]) out.push_back({key, e.version, counters, true});
}

void tombstones::collect(int64_t now_ms) {
  if (now_ms < next_sweep_ms_) return;
  next_sweep_ms_ = now_ms + retention_ms_ / 10;
  for (int slot = 0; slot < slot_count; ++slot)
    if (!kept_[static_cast<std::size_t>(slot)])
      absl::erase_if(tables_[slot], [this, now_ms](const auto& item) {
        if (item.second.until_ms > now_ms) return false;
        bytes_ -= memory_cost::tombstone(item.first.size());
        return true;
      });
}

}  // namespace ovo
