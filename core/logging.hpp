#pragma once
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace ovo {

/// Sets the node name shown in every log line and the level ("trace" … "off").
void setup_logging(const std::string& node_name, const std::string& level);

/// The named logger of one component ("shard", "rest", …), sharing the node's sink and pattern.
std::shared_ptr<spdlog::logger> component_log(const std::string& component);

}  // namespace ovo
