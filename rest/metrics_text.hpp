#pragma once
// GET /metrics: the node's figures in Prometheus text format 0.0.4 (docs/protocol.md
// "Metrics" lists every family), serialized by prometheus-cpp.

#include "core/admin_types.hpp"
#include "core/process_stats.hpp"
#include "rest/request_metrics.hpp"

#include <optional>
#include <string>

namespace ovo {

/// The exposition. `status` is empty when the node's actors did not answer in time: then only
/// the REST and process families are there, and ovo_node_status_available is 0.
std::string metrics_text(const request_metrics& requests, const std::optional<node_status>& status,
                         const process_stats& process);

/// The Content-Type of that text.
inline constexpr const char* metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace ovo
