#include "rest/dashboard_json.hpp"

#include "core/slot_hash.hpp"
#include "core/status.hpp"

#include <nlohmann/json.hpp>

#include <numeric>

namespace ovo {
namespace {

using nlohmann::json;

json figures_of(const node_status& status) {
  return {
      {"UptimeMs", status.uptime_ms},
      {"Objects", status.objects},
      {"Counters", status.counters},
      {"RssBytes", status.rss_bytes},
      {"StoredBytes", status.stored_bytes},
      {"MaxMemoryBytes", status.max_memory_bytes},
      {"Evictions", status.evictions},
      // The page turns successive totals into ops/s.
      {"Requests", std::accumulate(status.requests.begin(), status.requests.end(), uint64_t{0})},
      {"LaggingWrites", status.lagging_writes},
      {"OutOfSync", status.out_of_sync},
      {"ArrivingSlots", status.arriving_slots},
      {"Rebalancing", status.rebalancing},
      {"PassSlots", status.pass_slots},
      {"PassDone", status.pass_done},
  };
}

json node_of(const node_figures& member) {
  const auto& node = member.node;
  return {
      {"Name", node.name},
      {"State", state_name(state_of(member))},
      {"Host", node.host},
      {"Port", node.port},
      {"Slots", node.hash_range.size()},
      {"Twins", node.twins},
      {"Figures", member.answered ? figures_of(member.status) : json(nullptr)},
  };
}

json slots_of(const cluster_figures& figures) {
  std::vector<bool> arriving(slot_count, false);
  for (const auto& member : figures.nodes)
    if (member.answered)
      for (auto slot : member.status.arriving_slots)
        if (slot >= 0 && static_cast<std::size_t>(slot) < slot_count)
          arriving[static_cast<std::size_t>(slot)] = true;
  json slots = json::array();
  for (std::size_t slot = 0; slot < figures.slots.size(); ++slot) {
    const auto& placed = figures.slots[slot];
    slots.push_back({
        {"Slot", slot},
        {"Owner", placed.owner.empty() ? json(nullptr) : json(placed.owner)},
        {"Replicas", placed.replicas},
        {"Arriving", slot < arriving.size() && arriving[slot]},
    });
  }
  return slots;
}

json cap_of(const cluster_figures& figures) {
  for (const auto& member : figures.nodes)
    if (member.answered && member.node.name == figures.answered_by)
      return member.status.max_memory_bytes > 0 ? json(member.status.max_memory_bytes)
                                                : json(nullptr);
  return nullptr;
}

}  // namespace

std::string encode_dashboard(const cluster_figures& figures) {
  json nodes = json::array();
  for (const auto& member : figures.nodes) nodes.push_back(node_of(member));
  json data = {
      {"AnsweredBy", figures.answered_by},
      // The answering node's cap (each node's own is in its Figures); null: no cap.
      {"MaxMemoryBytes", cap_of(figures)},
      {"Nodes", std::move(nodes)},
      {"Slots", slots_of(figures)},
  };
  json envelope = {{"Status", "done"},
                   {"Code", std::string(status_table(status::ok).code)},
                   {"Data", std::move(data)}};
  return envelope.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ovo
