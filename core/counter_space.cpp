#include "core/counter_space.hpp"

#include "core/memory_cost.hpp"
#include "core/ttl.hpp"

namespace ovo {
namespace {

reply counter_reply(std::string_view key, int64_t value) {
  reply r;
  r.kind = payload::counter;
  r.key = key;
  r.number = value;
  return r;
}

}  // namespace

counter_space::counter_space(std::shared_ptr<const clock_source> clock,
                             std::shared_ptr<version_clock> versions,
                             int64_t tombstone_retention_ms)
    : clock_(std::move(clock)),
      versions_(std::move(versions)),
      tombstones_(tombstone_retention_ms) {}

reply counter_space::execute(const command& cmd) {
  auto& table = tables_[slot_of(cmd.key)];
  const auto now = clock_->now_ms();
  tombstones_.collect(now);
  auto it = table.find(cmd.key);
  if (it != table.end() && is_expired(it->second.deadline, now)) {
    erase(table, it);
    it = table.end();
  }
  switch (cmd.kind) {
    case op::counter_get:
      if (it == table.end()) return failure(status::not_found, "counter not found");
      return counter_reply(cmd.key, it->second.value);
    case op::counter_remove:
      if (it != table.end()) erase(table, it);
      tombstones_.put(cmd.key, versions_->next(), now);
      return done();
    case op::counter_set:
    case op::counter_add: {
      const int64_t current = it == table.end() ? 0 : it->second.value;
      int64_t next = cmd.value;
      if (cmd.kind == op::counter_add && __builtin_add_overflow(current, cmd.value, &next))
        return failure(status::bad_request, "counter would overflow int64");
      if (it == table.end()) {
        it = table.emplace(cmd.key, counter_entry{}).first;
        bytes_ += memory_cost::counter(cmd.key.size());
        tombstones_.erase(cmd.key);
      }
      it->second.value = next;
      it->second.version = versions_->next();
      // A set always takes the request's TTL; an add only changes the deadline when given one.
      if (cmd.kind == op::counter_set || cmd.ttl_seconds > 0)
        set_deadline(cmd.key, it->second, deadline_after(now, cmd.ttl_seconds));
      return counter_reply(cmd.key, next);
    }
    default:
      return failure(status::bad_request, "not a counter command");
  }
}

replica_write counter_space::snapshot(std::string_view key) {
  replica_write write;
  write.counter = true;
  write.record.key = key;
  auto& table = tables_[slot_of(key)];
  const auto now = clock_->now_ms();
  // Debian's abseil has its own string_view type for heterogeneous lookup.
  auto it = table.find(absl::string_view(key.data(), key.size()));
  write.erase = it == table.end() || is_expired(it->second.deadline, now);
  if (!write.erase) {
    write.counter_value = it->second.value;
    write.record.remaining_ms = remaining_ms(it->second.deadline, now);
    write.version = it->second.version;
  } else {
    write.version = tombstones_.version_of(key);
  }
  return write;
}

bool counter_space::apply(const replica_write& write, bool replace) {
  const auto& key = write.record.key;
  auto& table = tables_[slot_of(key)];
  const auto now = clock_->now_ms();
  tombstones_.collect(now);
  auto it = table.find(key);
  const version_t here = it != table.end() ? it->second.version : tombstones_.version_of(key);
  // Equal versions are the same write arriving twice; an unstamped one (never written) installs
  // nothing.
  if (!write.version.stamped() || (!replace && write.version <= here)) return false;
  versions_->observe(write.version);
  if (write.erase) {
    if (it != table.end()) erase(table, it);
    tombstones_.put(key, write.version, now);
    return true;
  }
  if (it == table.end()) {
    bytes_ += memory_cost::counter(key.size());
    it = table.emplace(key, counter_entry{}).first;
  }
  it->second.value = write.counter_value;
  it->second.version = write.version;
  set_deadline(key, it->second, deadline_from_remaining(write.record.remaining_ms, now));
  tombstones_.erase(key);
  return true;
}

std::vector<replica_write> counter_space::dump(int slot) {
  const auto now = clock_->now_ms();
  std::vector<replica_write> out;
  out.reserve(tables_[slot].size());
  for (const auto& [key, entry] : tables_[slot]) {
    if (is_expired(entry.deadline, now)) continue;
    replica_write write;
    write.counter = true;
    write.record.key = key;
    write.record.remaining_ms = remaining_ms(entry.deadline, now);
    write.counter_value = entry.value;
    write.version = entry.version;
    out.push_back(std::move(write));
  }
  tombstones_.dump(slot, true, out);
  return out;
}

uint64_t counter_space::digest(int slot) {
  const auto now = clock_->now_ms();
  uint64_t digest = 0;
  for (const auto& [key, entry] : tables_[slot]) {
    if (is_expired(entry.deadline, now)) continue;
    digest ^= digest_share(key, entry.version, true);
  }
  return digest;
}

void counter_space::summarize(int slot, std::vector<key_version>& out) {
  const auto now = clock_->now_ms();
  for (const auto& [key, entry] : tables_[slot])
    if (!is_expired(entry.deadline, now)) out.push_back({key, entry.version, true, false});
  tombstones_.summarize(slot, true, out);
}

void counter_space::set_deadline(const std::string& key, counter_entry& entry, int64_t deadline) {
  // The queue holds the earliest deadline a counter had: a later one is queued when that entry
  // comes up (expire_due), so a counter incremented with a TTL again and again keeps one entry.
  const bool queued = entry.deadline != no_deadline;
  if (deadline != no_deadline && (!queued || deadline < entry.deadline))
    deadlines_.push({deadline, key});
  entry.deadline = deadline;
}

std::size_t counter_space::expire_due(std::size_t limit) {
  const auto now = clock_->now_ms();
  tombstones_.collect(now);  // an idle shard forgets its deletes too (see the header)
  std::size_t dropped = 0;
  for (auto& item : deadlines_.pop_due(now, limit)) {
    auto& table = tables_[slot_of(item.key)];
    auto it = table.find(item.key);
    if (it == table.end() || it->second.deadline == no_deadline) continue;  // gone or no TTL now
    if (is_expired(it->second.deadline, now)) {
      erase(table, it);
      ++dropped;
    } else if (it->second.deadline != item.deadline) {
      deadlines_.push({it->second.deadline, std::move(item.key)});  // rewritten with a later one
    }
  }
  return dropped;
}

void counter_space::erase(counter_map& table, counter_map::iterator at) {
  bytes_ -= memory_cost::counter(at->first.size());
  table.erase(at);
}

std::size_t counter_space::drop(int slot) {
  tombstones_.drop(slot);
  for (const auto& item : tables_[slot]) bytes_ -= memory_cost::counter(item.first.size());
  return tables_.clear(slot);
}

void counter_space::restart_epochs() {
  tombstones_.restart_epochs();
  for (int slot = 0; slot < slot_count; ++slot)
    for (auto& item : tables_[slot]) item.second.version.epoch = 0;
}

std::size_t counter_space::drop_unconfirmed(
    int slot, const std::function<bool(std::string_view)>& confirmed) {
  return tables_.erase_where(
      slot, [&](const counter_map::value_type& entry) { return !confirmed(entry.first); },
      [this](counter_map& table, counter_map::iterator at) { erase(table, at); });
}

int64_t counter_space::growth(const command& cmd) const {
  if (cmd.kind != op::counter_set && cmd.kind != op::counter_add) return 0;
  const auto& table = tables_[slot_of(cmd.key)];
  return table.find(cmd.key) == table.end()
             ? static_cast<int64_t>(memory_cost::counter(cmd.key.size()))
             : 0;
}

}  // namespace ovo
