#include "core/object_space.hpp"

#include "core/memory_cost.hpp"
#include "core/scan_cursor.hpp"
#include "core/ttl.hpp"

#include <algorithm>

namespace ovo {
namespace {

/// How many entries ahead a listing's walk asks for the objects' blocks (walk_prefetching).
constexpr std::size_t key_prefetch_distance = 8;

/// Visits the objects of `table` from `it` until `visit` returns false (that object is not
/// taken: the walk stops before it) and gives where it stopped. Reading a key is a cache miss
/// (its block); asking for the blocks a few entries ahead overlaps the misses instead of
/// waiting for each in turn.
template <class Table, class Visit>
typename Table::const_iterator walk_prefetching(const Table& table,
                                                typename Table::const_iterator it, Visit visit) {
  auto ahead = it;
  for (std::size_t i = 0; i < key_prefetch_distance && ahead != table.end(); ++i, ++ahead)
    ahead->prefetch();
  for (; it != table.end(); ++it) {
    if (ahead != table.end()) (ahead++)->prefetch();
    if (!visit(*it)) break;
  }
  return it;
}

reply object_reply(std::string_view key, std::string_view value) {
  reply r;
  r.kind = payload::object;
  r.key = key;
  r.data = value;
  return r;
}

reply not_found_reply() { return failure(status::not_found, "key not found"); }

std::size_t cost_of(const stored_object& obj) {
  return memory_cost::object(obj.key().size(), obj.value().size(), obj.collection().size(),
                             obj.has_deadline());
}

}  // namespace

object_space::object_space(std::shared_ptr<const clock_source> clock,
                           std::shared_ptr<version_clock> versions, int64_t tombstone_retention_ms)
    : clock_(std::move(clock)),
      versions_(std::move(versions)),
      tombstones_(tombstone_retention_ms) {}

const stored_object* object_space::find_live(object_set& table, std::string_view key) {
  auto it = table.find(key);
  if (it == table.end()) return nullptr;
  if (is_expired(deadline_of(*it), clock_->now_ms())) {
    erase(table, it);
    return nullptr;
  }
  return &*it;
}

void object_space::insert(object_set& table, stored_object object, int64_t deadline) {
  bytes_ += cost_of(object);
  ++inserts_[static_cast<std::size_t>(&table - &tables_[0])];
  if (object.has_deadline()) expiring_.add(object.view(), deadline);
  table.insert(std::move(object));
}

void object_space::erase(object_set& table, object_set::iterator at) {
  bytes_ -= cost_of(*at);
  if (at->has_deadline()) expiring_.remove(at->view());
  table.erase(at);
}

void object_space::erase(object_set& table, std::string_view key) {
  auto it = table.find(key);
  if (it != table.end()) erase(table, it);
}

void object_space::store(object_set& table, std::string_view key, std::string_view value,
                         std::string_view collection, int64_t deadline, version_t version) {
  auto replacement =
      stored_object::create(key, value, collection, deadline != no_deadline, version);
  // Set elements are immutable: replacing means erase, then insert.
  erase(table, key);
  insert(table, std::move(replacement), deadline);
  tombstones_.erase(key);
}

void object_space::remove(object_set& table, std::string_view key) {
  erase(table, key);
  tombstones_.put(key, versions_->next(), clock_->now_ms());
}

version_t object_space::version_here(const object_set& table, std::string_view key) const {
  auto it = table.find(key);
  return it != table.end() ? it->version() : tombstones_.version_of(key);
}

reply object_space::execute(const command& cmd) {
  auto& table = tables_[slot_of(cmd.key)];
  tombstones_.collect(clock_->now_ms());
  switch (cmd.kind) {
    case op::put:
      store(table, cmd.key, cmd.data, cmd.collection,
            deadline_after(clock_->now_ms(), cmd.ttl_seconds), versions_->next());
      return done();
    case op::get: {
      const auto* obj = find_live(table, cmd.key);
      if (!obj) return not_found_reply();
      obj->set_visited(true);
      return object_reply(obj->key(), obj->value());
    }
    case op::remove:
      remove(table, cmd.key);
      return done();
    case op::get_and_remove: {
      const auto* obj = find_live(table, cmd.key);
      if (!obj) return not_found_reply();
      auto answer = object_reply(obj->key(), obj->value());
      remove(table, cmd.key);
      return answer;
    }
    case op::update_value_if_equal: {
      const auto* obj = find_live(table, cmd.key);
      if (!obj || obj->value() != cmd.data)
        return failure(status::value_mismatch, obj ? "stored value differs" : "key not found");
      const auto deadline = deadline_of(*obj);
      auto updated = stored_object::create(obj->key(), cmd.new_data, obj->collection(),
                                           obj->has_deadline(), versions_->next());
      erase(table, cmd.key);
      insert(table, std::move(updated), deadline);
      return done();
    }
    case op::delete_value_if_equal: {
      const auto* obj = find_live(table, cmd.key);
      if (!obj) return done();
      if (obj->value() != cmd.data) return failure(status::value_mismatch, "stored value differs");
      remove(table, cmd.key);
      return done();
    }
    default:
      return failure(status::bad_request, "not an object command");
  }
}

std::variant<reply, object_record> object_space::take_for_move(const command& cmd) {
  auto& table = tables_[slot_of(cmd.key)];
  const auto* obj = find_live(table, cmd.key);
  const bool check_value = cmd.kind == op::update_key_value_if_equal;
  if (!obj)
    return check_value ? failure(status::key_value_mismatch, "key not found")
                       : failure(status::update_key_failed, "key not found");
  if (check_value && obj->value() != cmd.data)
    return failure(status::key_value_mismatch, "stored value differs");
  object_record record{cmd.new_key, std::string(check_value ? cmd.new_data : obj->value()),
                       std::string(obj->collection()),
                       remaining_ms(deadline_of(*obj), clock_->now_ms())};
  remove(table, cmd.key);
  return record;
}

void object_space::adopt(const object_record& record) {
  store(tables_[slot_of(record.key)], record.key, record.value, record.collection,
        deadline_from_remaining(record.remaining_ms, clock_->now_ms()), versions_->next());
}

void object_space::restore(const object_record& record, const std::string& original_key) {
  auto& table = tables_[slot_of(original_key)];
  if (find_live(table, original_key)) return;
  store(table, original_key, record.value, record.collection,
        deadline_from_remaining(record.remaining_ms, clock_->now_ms()), versions_->next());
}

replica_write object_space::snapshot(std::string_view key) {
  replica_write write;
  write.record.key = key;
  auto& table = tables_[slot_of(key)];
  const auto* obj = find_live(table, key);
  write.erase = obj == nullptr;
  if (obj) {
    write.record.value = obj->value();
    write.record.collection = obj->collection();
    write.record.remaining_ms = remaining_ms(deadline_of(*obj), clock_->now_ms());
    write.version = obj->version();
  } else {
    write.version = tombstones_.version_of(key);
  }
  return write;
}

bool object_space::apply(const replica_write& write, bool replace) {
  const auto& key = write.record.key;
  auto& table = tables_[slot_of(key)];
  const auto now = clock_->now_ms();
  tombstones_.collect(now);
  // Equal versions are the same write arriving twice; an unstamped one (never written) installs
  // nothing.
  if (!write.version.stamped() || (!replace && write.version <= version_here(table, key)))
    return false;
  versions_->observe(write.version);
  if (!write.erase) {
    store(table, key, write.record.value, write.record.collection,
          deadline_from_remaining(write.record.remaining_ms, now), write.version);
  } else {
    erase(table, key);
    // The owner evicted its copy: no tombstone here either (docs/memory.md, "Copies").
    if (!write.evicted) tombstones_.put(key, write.version, now);
  }
  return true;
}

std::vector<replica_write> object_space::dump(int slot) {
  const auto now = clock_->now_ms();
  std::vector<replica_write> out;
  out.reserve(tables_[slot].size());
  for (const auto& obj : tables_[slot]) {
    if (is_expired(deadline_of(obj), now)) continue;
    replica_write write;
    write.record =
        object_record{std::string(obj.key()), std::string(obj.value()),
                      std::string(obj.collection()), remaining_ms(deadline_of(obj), now)};
    write.version = obj.version();
    out.push_back(std::move(write));
  }
  tombstones_.dump(slot, false, out);
  return out;
}

uint64_t object_space::digest(int slot) {
  const auto now = clock_->now_ms();
  uint64_t digest = 0;
  for (const auto& obj : tables_[slot]) {
    if (is_expired(deadline_of(obj), now)) continue;
    digest ^= digest_share(obj.key(), obj.version(), false);
  }
  return digest;
}

void object_space::summarize(int slot, std::vector<key_version>& out) {
  const auto now = clock_->now_ms();
  for (const auto& obj : tables_[slot])
    if (!is_expired(deadline_of(obj), now))
      out.push_back({std::string(obj.key()), obj.version(), false, false});
  tombstones_.summarize(slot, false, out);
}

std::size_t object_space::expire_due(std::size_t limit) {
  const auto now = clock_->now_ms();
  tombstones_.collect(now);  // an idle shard forgets its deletes too (see the header)
  std::size_t dropped = 0;
  for (; dropped < limit && !expiring_.empty(); ++dropped) {
    const auto due = expiring_.earliest();
    if (!is_expired(expiring_.earliest_deadline(), now)) break;
    erase(tables_[slot_of(due.key())], due.key());
  }
  return dropped;
}

std::size_t object_space::drop(int slot) {
  tombstones_.drop(slot);
  for (const auto& obj : tables_[slot]) {
    bytes_ -= cost_of(obj);
    if (obj.has_deadline()) expiring_.remove(obj.view());
  }
  ++inserts_[static_cast<std::size_t>(slot)];  // a later table is new memory
  return tables_.clear(slot);
}

void object_space::restart_epochs() {
  tombstones_.restart_epochs();
  for (int slot = 0; slot < slot_count; ++slot)
    for (const auto& obj : tables_[slot]) obj.view().set_epoch(0);
}

std::size_t object_space::drop_unconfirmed(int slot,
                                           const std::function<bool(std::string_view)>& confirmed) {
  return tables_.erase_where(
      slot, [&](const stored_object& obj) { return !confirmed(obj.key()); },
      [this](object_set& table, object_set::iterator at) { erase(table, at); });
}

int64_t object_space::growth(const command& cmd) const {
  const auto& table = tables_[slot_of(cmd.key)];
  const auto it = table.find(cmd.key);
  const bool exists = it != table.end();
  std::size_t added = 0;
  switch (cmd.kind) {
    case op::put:
      added = memory_cost::object(cmd.key.size(), cmd.data.size(), cmd.collection.size(),
                                  cmd.ttl_seconds > 0);
      break;
    case op::update_value_if_equal:
      if (!exists) return 0;  // refused anyway
      added = memory_cost::object(cmd.key.size(), cmd.new_data.size(), it->collection().size(),
                                  it->has_deadline());
      break;
    default:
      return 0;
  }
  return static_cast<int64_t>(added) - static_cast<int64_t>(exists ? cost_of(*it) : 0);
}

std::vector<object_space::eviction> object_space::evict(std::size_t bytes,
                                                        const std::function<bool(int)>& evictable) {
  std::vector<eviction> out;
  std::size_t freed = 0;
  // Two turns of the hand over every slot find an unvisited object if there is one: the first
  // clears the bits it passes.
  for (int visits = 0; visits < 2 * slot_count + 1 && freed < bytes; ++visits) {
    auto& table = tables_[hand_slot_];
    if (!table.empty() && evictable(hand_slot_)) {
      auto it = hand_key_.empty() ? table.begin() : table.find(hand_key_);
      if (it == table.end()) it = table.begin();
      while (it != table.end() && freed < bytes) {
        if (it->visited()) {
          it->set_visited(false);
          ++it;
          continue;
        }
        eviction gone{std::string(it->key()), cost_of(*it), versions_->next()};
        freed += gone.bytes;
        out.push_back(std::move(gone));
        erase(table, it++);
      }
      if (it != table.end()) {
        hand_key_ = std::string(it->key());
        return out;
      }
    }
    hand_slot_ = (hand_slot_ + 1) % slot_count;
    hand_key_.clear();
  }
  return out;
}

object_space::scan_page object_space::scan(int slot, const std::string& after, std::size_t count,
                                           const std::string& pattern) {
  const auto now = clock_->now_ms();
  const auto& table = tables_[slot];
  if (after.empty() || !scan_keys_.fresh_for(slot, now, after)) {
    std::vector<std::string_view> live;
    live.reserve(table.size());
    walk_prefetching(table, table.begin(), [&](const stored_object& obj) {
      if (!is_expired(deadline_of(obj), now)) live.push_back(obj.key());
      return true;
    });
    scan_keys_.take(slot, now, std::move(live));
  }
  auto next = scan_keys_.first_after(after);
  scan_page page;
  for (; next < scan_keys_.size() && page.keys.size() < count; ++next) {
    const auto key = scan_keys_.at(next);
    const auto here = table.find(key);
    if (here == table.end() || is_expired(deadline_of(*here), now)) continue;  // gone since
    if (!pattern.empty() && !matches_glob(pattern, std::string(key))) continue;
    page.keys.push_back(key);
  }
  page.more = next < scan_keys_.size();
  return page;
}

object_space::key_slice object_space::keys(int slot, const key_walk& from,
                                           std::size_t limit) const {
  const auto now = clock_->now_ms();
  const auto& table = tables_[slot];
  key_slice slice;
  slice.whole = from.after != 0 && from.inserts != inserts_[slot];
  if (slice.whole) limit = table.size();
  slice.next.inserts = inserts_[slot];
  // A table iterates its storage in address order; skipping to the position reads only the
  // control bytes, never the objects.
  const auto position = [](const stored_object& obj) { return reinterpret_cast<uintptr_t>(&obj); };
  auto it = table.begin();
  if (!slice.whole)
    while (it != table.end() && position(*it) <= from.after) ++it;
  slice.keys.ends.reserve(std::min(limit, table.size()));
  it = walk_prefetching(table, it, [&](const stored_object& obj) {
    if (slice.keys.size() >= limit) return false;
    if (!is_expired(deadline_of(obj), now)) {
      slice.keys.push_back(obj.key());
      slice.next.after = position(obj);
    }
    return true;
  });
  if (slice.next.after == 0) slice.next.after = from.after;
  slice.done = it == table.end();
  return slice;
}

}  // namespace ovo
