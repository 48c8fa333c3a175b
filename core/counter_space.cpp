#include "core/counter_space.hpp"

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
                             deadline_listener on_deadline)
    : clock_(std::move(clock)), on_deadline_(std::move(on_deadline)) {}

reply counter_space::execute(const command& cmd) {
  auto& table = tables_[slot_of(cmd.key)];
  const auto now = clock_->now_ms();
  auto it = table.find(cmd.key);
  if (it != table.end() && is_expired(it->second.deadline, now)) {
    table.erase(it);
    it = table.end();
  }
  switch (cmd.kind) {
    case op::counter_get:
      if (it == table.end()) return failure(status::not_found, "counter not found");
      return counter_reply(cmd.key, it->second.value);
    case op::counter_remove:
      if (it != table.end()) table.erase(it);
      return done();
    case op::counter_set:
    case op::counter_add: {
      const int64_t current = it == table.end() ? 0 : it->second.value;
      int64_t next = cmd.value;
      if (cmd.kind == op::counter_add && __builtin_add_overflow(current, cmd.value, &next))
        return failure(status::bad_request, "counter would overflow int64");
      if (it == table.end()) it = table.emplace(cmd.key, counter_entry{}).first;
      it->second.value = next;
      // A set always takes the request's TTL; an add only changes the deadline when given one.
      if (cmd.kind == op::counter_set || cmd.ttl_seconds > 0) {
        it->second.deadline = deadline_after(now, cmd.ttl_seconds);
        if (it->second.deadline != no_deadline && on_deadline_)
          on_deadline_(cmd.key, it->second.deadline);
      }
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
  }
  return write;
}

void counter_space::apply(const replica_write& write) {
  auto& table = tables_[slot_of(write.record.key)];
  if (write.erase) {
    table.erase(write.record.key);
    return;
  }
  const auto deadline = deadline_from_remaining(write.record.remaining_ms, clock_->now_ms());
  table[write.record.key] = counter_entry{write.counter_value, deadline};
  if (deadline != no_deadline && on_deadline_) on_deadline_(write.record.key, deadline);
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
    out.push_back(std::move(write));
  }
  return out;
}

std::size_t counter_space::expire(const std::vector<std::string>& keys) {
  return drop_expired(tables_, keys, clock_->now_ms(),
                      [](const auto& entry) { return entry.second.deadline; });
}

}  // namespace ovo
