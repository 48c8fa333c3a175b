#include "core/migration_plan.hpp"

#include <algorithm>

namespace ovo {
namespace {

std::vector<holder_id> members(const slot_holders& holders) {
  std::vector<holder_id> out{holders.owner};
  out.insert(out.end(), holders.replicas.begin(), holders.replicas.end());
  return out;
}

bool contains(const std::vector<holder_id>& ids, const holder_id& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

holder_map holders_of(const cluster_view& view) {
  holder_map out;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    out[slot].owner = view.holder_of(view.owners()[slot]);
    for (auto index : view.replicas()[slot]) out[slot].replicas.push_back(view.holder_of(index));
  }
  return out;
}

std::vector<slot_push> plan_pushes(const holder_map& last, const holder_map& now,
                                   const holder_id& me,
                                   const std::array<bool, slot_count>& has_data) {
  std::vector<slot_push> plan;
  for (std::size_t slot = 0; slot < slot_count; ++slot) {
    if (!has_data[slot]) continue;
    const auto before = members(last[slot]);
    const auto after = members(now[slot]);
    const bool holds_now = contains(after, me);
    const bool responsible = last[slot].owner == me || now[slot].owner == me;
    // Only the responsible node trusts that the holders of the last pass have the data; data
    // found on any other non-holder goes to every holder.
    if (!responsible && holds_now) continue;
    slot_push push{static_cast<int>(slot), {}, !holds_now, responsible};
    for (const auto& id : after)
      if (id != me && !(responsible && contains(before, id))) push.targets.push_back(id);
    if (!push.targets.empty() || push.drop_after) plan.push_back(std::move(push));
  }
  return plan;
}

}  // namespace ovo
