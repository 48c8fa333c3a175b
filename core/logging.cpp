#include "core/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdio>

namespace ovo {
namespace {

/// JSON string contents: quotes, backslashes and control characters escaped.
void append_json_escaped(std::string_view text, spdlog::memory_buf_t& dest) {
  for (char c : text) {
    switch (c) {
      case '"':
        dest.append(std::string_view("\\\""));
        break;
      case '\\':
        dest.append(std::string_view("\\\\"));
        break;
      case '\n':
        dest.append(std::string_view("\\n"));
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          dest.append(std::string_view(escaped));
        } else {
          dest.push_back(c);
        }
    }
  }
}

/// `%*` in the JSON pattern: the message as JSON string contents.
class escaped_message final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<escaped_message>();
  }
};

/// The node name inside a pattern: '%' would start a flag.
std::string pattern_literal(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

std::unique_ptr<spdlog::formatter> text_formatter(const std::string& node_name) {
  return std::make_unique<spdlog::pattern_formatter>("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [" +
                                                     pattern_literal(node_name) + "] %n: %v");
}

/// One JSON object a line (Settings.LogFormat "json"), UTC time, for log collectors.
std::unique_ptr<spdlog::formatter> json_formatter(const std::string& node_name) {
  spdlog::memory_buf_t name;
  append_json_escaped(node_name, name);
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<escaped_message>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","node":")" +
      pattern_literal(std::string(name.data(), name.size())) +
      R"(","component":"%n","message":"%*"})");
  return formatter;
}

}  // namespace

void setup_logging(const std::string& node_name, const std::string& level, bool json_lines) {
  spdlog::set_formatter(json_lines ? json_formatter(node_name) : text_formatter(node_name));
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::warn);
}

std::shared_ptr<spdlog::logger> component_log(const std::string& component) {
  if (auto existing = spdlog::get(component)) return existing;
  try {
    // Created loggers take the global formatter and level set by setup_logging.
    return spdlog::stderr_color_mt(component);
  } catch (const spdlog::spdlog_ex&) {
    return spdlog::get(component);  // another thread registered it first
  }
}

}  // namespace ovo
