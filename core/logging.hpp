#pragma once
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace ovo {

/// Sets the node name shown in every log line, the level ("trace" … "off") and the format:
/// text lines, or one JSON object a line (Settings.LogFormat "json").
void setup_logging(const std::string& node_name, const std::string& level, bool json_lines = false);

/// The named logger of one component ("shard", "rest", …), sharing the node's sink and pattern.
std::shared_ptr<spdlog::logger> component_log(const std::string& component);

}  // namespace ovo
