#include "rest/metrics_text.hpp"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <limits>

namespace ovo {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(std::string name, std::string help, MetricType type) {
  return {std::move(name), std::move(help), type, {}};
}

ClientMetric counter(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  return metric;
}

ClientMetric gauge(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  return metric;
}

void add_requests(std::vector<MetricFamily>& out, const request_metrics& requests) {
  auto answers = family("ovo_http_requests_total",
                        "REST requests answered, by operation and by the answer's HTTP status "
                        "and OVO Code (operation \"other\": answered before becoming one)",
                        MetricType::Counter);
  auto latency =
      family("ovo_http_request_duration_seconds",
             "From a request's arrival to its answer, by operation", MetricType::Histogram);
  for (std::size_t operation = 0; operation <= request_metrics::no_operation; ++operation) {
    const std::string name = request_metrics::name_of(operation);
    for (std::size_t code = 0; code < status_count; ++code) {
      const auto n = requests.answers(operation, static_cast<status>(code));
      if (n == 0) continue;
      const auto row = status_table(static_cast<status>(code));
      answers.metric.push_back(
          counter(static_cast<double>(n), {{"operation", name},
                                           {"status", std::to_string(row.http)},
                                           {"code", std::string(row.code)}}));
    }
    ClientMetric histogram;
    histogram.label = {{"operation", name}};
    uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= latency_bounds_seconds.size(); ++i) {
      cumulative += requests.in_bucket(operation, i);
      const double bound = i < latency_bounds_seconds.size()
                               ? latency_bounds_seconds[i]
                               : std::numeric_limits<double>::infinity();
      histogram.histogram.bucket.push_back({cumulative, bound});
    }
    if (cumulative == 0) continue;
    histogram.histogram.sample_count = cumulative;
    histogram.histogram.sample_sum = requests.latency_sum_seconds(operation);
    latency.metric.push_back(std::move(histogram));
  }
  out.push_back(std::move(answers));
  out.push_back(std::move(latency));
}

void add_one(std::vector<MetricFamily>& out, std::string name, std::string help, MetricType type,
             double value) {
  auto f = family(std::move(name), std::move(help), type);
  f.metric.push_back(type == MetricType::Counter ? counter(value) : gauge(value));
  out.push_back(std::move(f));
}

void add_node(std::vector<MetricFamily>& out, const node_status& s) {
  const auto c = MetricType::Counter;
  const auto g = MetricType::Gauge;
  add_one(out, "ovo_uptime_seconds", "Since the node started", g,
          static_cast<double>(s.uptime_ms) / 1000.0);
  add_one(out, "ovo_objects", "Objects stored here, owned and replica copies", g,
          static_cast<double>(s.objects));
  add_one(out, "ovo_counters", "Counters stored here, owned and replica copies", g,
          static_cast<double>(s.counters));
  add_one(out, "ovo_slots_served", "Slots this node owns in its view of the layout", g, s.slots);
  add_one(out, "ovo_slots_arriving", "Slots held here whose data has not arrived yet", g,
          s.arriving);
  add_one(out, "ovo_leaving", "1 while the node hands its slots over before exiting", g,
          s.leaving ? 1 : 0);
  add_one(out, "ovo_expired_keys_total", "Objects and counters removed because their TTL passed", c,
          static_cast<double>(s.expired_keys));
  add_one(out, "ovo_stored_bytes",
          "Accounted bytes the shards hold: keys, values, per-key overhead, deletes, counters", g,
          static_cast<double>(s.stored_bytes));
  add_one(out, "ovo_max_memory_bytes", "Settings.MaxMemoryBytes (0: no cap)", g,
          static_cast<double>(s.max_memory_bytes));
  add_one(out, "ovo_evictions_total", "Objects evicted to keep under MaxMemoryBytes", c,
          static_cast<double>(s.evictions));
  add_one(out, "ovo_evicted_bytes_total", "Accounted bytes of the objects evicted", c,
          static_cast<double>(s.evicted_bytes));
  add_one(out, "ovo_cache_hits_total", "Object GETs answered here as owner: found", c,
          static_cast<double>(s.cache_hits));
  add_one(out, "ovo_cache_misses_total", "Object GETs answered here as owner: not found", c,
          static_cast<double>(s.cache_misses));
  add_one(out, "ovo_forwarded_requests_total", "Requests sent on to the node owning their slot", c,
          static_cast<double>(s.forwarded));
  add_one(out, "ovo_lagging_replica_writes_total",
          "Replica writes a replica holder did not confirm within ReplicaTimeoutMs", c,
          static_cast<double>(s.lagging_writes));
  add_one(out, "ovo_replica_holders_out_of_sync",
          "(slot, replica holder) pairs of this node's slots outside the in-sync set now", g,
          static_cast<double>(s.out_of_sync));
  add_one(out, "ovo_rebalance_passes_total", "Rebalancing passes finished on this node", c,
          static_cast<double>(s.rebalance_passes));
  add_one(out, "ovo_slot_moves_total", "Slots handed to other nodes by rebalancing passes", c,
          static_cast<double>(s.slots_moved));
  add_one(out, "ovo_slot_move_keys_total", "Objects and counters those passes sent", c,
          static_cast<double>(s.slot_entries_sent));
  add_one(out, "ovo_slot_move_seconds_total", "Time rebalancing passes took", c,
          static_cast<double>(s.slot_move_ms) / 1000.0);
  add_one(out, "ovo_slot_push_bytes_total",
          "Bytes of the entries slot pushes sent: passes, catch-ups of replica holders, pulls", c,
          static_cast<double>(s.slot_bytes_sent));
  add_one(out, "ovo_layout_epoch",
          "The newest layout epoch this node installed (agreed by a majority)", g,
          static_cast<double>(s.layout_epoch));
  add_one(out, "ovo_layout_agreement_pending",
          "1 while this node's view wants a layout the members have not agreed on yet", g,
          s.layout_pending ? 1.0 : 0.0);
  auto links = family("ovo_peer_link_up",
                      "1 when this node's link reaches the member, 0 when it does not", g);
  for (const auto& peer : s.peers_up) links.metric.push_back(gauge(1, {{"peer", peer}}));
  for (const auto& peer : s.peers_down) links.metric.push_back(gauge(0, {{"peer", peer}}));
  out.push_back(std::move(links));
}

void add_process(std::vector<MetricFamily>& out, const process_stats& p) {
  add_one(out, "process_cpu_seconds_total", "User and system CPU time spent", MetricType::Counter,
          p.cpu_seconds);
  add_one(out, "process_resident_memory_bytes", "Resident memory size", MetricType::Gauge,
          static_cast<double>(p.resident_bytes));
  add_one(out, "process_virtual_memory_bytes", "Virtual memory size", MetricType::Gauge,
          static_cast<double>(p.virtual_bytes));
  add_one(out, "process_open_fds", "Open file descriptors", MetricType::Gauge,
          static_cast<double>(p.open_fds));
  add_one(out, "process_max_fds", "Most file descriptors the process may open", MetricType::Gauge,
          static_cast<double>(p.max_fds));
  add_one(out, "process_start_time_seconds", "Start time since the Unix epoch", MetricType::Gauge,
          p.start_time_seconds);
}

}  // namespace

std::string metrics_text(const request_metrics& requests, const std::optional<node_status>& status,
                         const process_stats& process) {
  std::vector<MetricFamily> families;
  add_one(families, "ovo_node_status_available",
          "1 when the node's actors answered this scrape in time (else the ovo_ figures of "
          "objects, slots and peers are missing)",
          MetricType::Gauge, status ? 1 : 0);
  add_requests(families, requests);
  if (status) add_node(families, *status);
  add_process(families, process);
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace ovo
