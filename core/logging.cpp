#include "core/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace ovo {
namespace {

std::string pattern_for(const std::string& node_name) {
  return "%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [" + node_name + "] %n: %v";
}

}  // namespace

void setup_logging(const std::string& node_name, const std::string& level) {
  spdlog::set_pattern(pattern_for(node_name));
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::warn);
}

std::shared_ptr<spdlog::logger> component_log(const std::string& component) {
  if (auto existing = spdlog::get(component)) return existing;
  try {
    // Created loggers take the global pattern and level set by setup_logging.
    return spdlog::stderr_color_mt(component);
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get(component);  // another thread registered it first
  }
}

}  // namespace ovo
