#include "node/command_line.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace {

/// A fake environment: only these variables are set.
ovo::environment_lookup environment(std::map<std::string, std::string> variables) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(variables));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

/// A configuration file in a fresh folder; removed with the object.
struct config_file {
  std::string dir =
      (std::filesystem::temp_directory_path() / ("ovo-cli-" + std::to_string(::getpid()))).string();
  std::string path = dir + "/serverconf.json";
  explicit config_file(const std::string& text) {
    std::filesystem::create_directories(dir);
    std::ofstream(path) << text;
  }
  ~config_file() { std::filesystem::remove_all(dir); }
};

ovo::config_outcome load(const ovo::command_line& line) {
  return ovo::load_config(line.config_path, line.overrides, !line.config_path_given);
}

const char* file_text = R"({"ServerNode":{"Node":{"Name":"file","Port":5050}},
  "Settings":{"Shards":4,"ExpirySweepMs":500,"LogLevel":"warn"}})";

}  // namespace

TEST_CASE("a setting comes from the flag, else the variable, else the file, else the default") {
  config_file file(file_text);
  const auto line = ovo::parse_command_line(
      {"-conf=" + file.path, "--shards", "6", "--log-level=debug"},
      environment({{"OVO_SHARDS", "7"}, {"OVO_EXPIRY_SWEEP_MS", "250"}, {"OVO_PORT", "6060"}}));
  REQUIRE(line.error.empty());
  const auto out = load(line);
  REQUIRE(out.errors.empty());
  const auto& c = *out.config;
  CHECK(c.settings.shards == 6);                                    // flag over variable over file
  CHECK(c.settings.log_level == "debug");                           // flag over file
  CHECK(c.settings.expiry_sweep_ms == 250);                         // variable over file
  CHECK(c.self.port == 6060);                                       // variable over file
  CHECK(c.self.name == "file");                                     // file
  CHECK(c.settings.max_key_bytes == ovo::defaults::max_key_bytes);  // default
}

TEST_CASE("the original -conf=PATH form, --conf PATH and OVO_CONF all name the file") {
  CHECK(ovo::parse_command_line({"-conf=/a.json"}, environment({})).config_path == "/a.json");
  CHECK(ovo::parse_command_line({"-conf", "/b.json"}, environment({})).config_path == "/b.json");
  CHECK(ovo::parse_command_line({"--conf", "/c.json"}, environment({})).config_path == "/c.json");
  const auto from_env = ovo::parse_command_line({}, environment({{"OVO_CONF", "/d.json"}}));
  CHECK(from_env.config_path == "/d.json");
  CHECK(from_env.config_path_given);
  const auto flag_wins =
      ovo::parse_command_line({"--conf=/e.json"}, environment({{"OVO_CONF", "/d.json"}}));
  CHECK(flag_wins.config_path == "/e.json");
  CHECK_FALSE(ovo::parse_command_line({}, environment({})).config_path_given);
}

TEST_CASE("without -conf an absent default file is an empty one, a named absent file an error") {
  auto line = ovo::parse_command_line({"--port", "7070", "--name", "solo"}, environment({}));
  line.config_path = "/nonexistent/serverconf.json";  // as if the default were absent
  auto out = load(line);
  REQUIRE(out.errors.empty());
  CHECK(out.config->self.port == 7070);
  CHECK(out.config->self.name == "solo");
  line.config_path_given = true;
  out = load(line);
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0] == "/nonexistent/serverconf.json: cannot open the configuration file");
}

TEST_CASE("a boolean flag alone means true and takes =false") {
  config_file file(file_text);
  auto out = load(ovo::parse_command_line({"-conf=" + file.path, "--leave-on-shutdown"},
                                          environment({{"OVO_WITNESS", "off"}})));
  REQUIRE(out.errors.empty());
  CHECK(out.config->settings.leave_on_shutdown);
  CHECK_FALSE(out.config->settings.witness);
  out = load(ovo::parse_command_line({"-conf=" + file.path, "--leave-on-shutdown=false"},
                                     environment({})));
  REQUIRE(out.errors.empty());
  CHECK_FALSE(out.config->settings.leave_on_shutdown);
}

TEST_CASE("a bad value names the flag or variable it came from, not the file") {
  config_file file(file_text);
  const auto out = load(
      ovo::parse_command_line({"-conf=" + file.path, "--shards", "500"},
                              environment({{"OVO_API_PORT", "many"}, {"OVO_LOG_FORMAT", "xml"}})));
  REQUIRE(out.errors.size() == 1);  // conversion errors stop before validation
  CHECK(out.errors[0] == "OVO_API_PORT: must be an integer, got \"many\"");
  const auto checked = load(ovo::parse_command_line({"-conf=" + file.path, "--shards", "500"},
                                                    environment({{"OVO_LOG_FORMAT", "xml"}})));
  REQUIRE(checked.errors.size() == 2);
  CHECK(checked.errors[0] == "--shards (Settings.Shards): must be from 1 to 128, got 500");
  CHECK(checked.errors[1] == "OVO_LOG_FORMAT (Settings.LogFormat): must be text or json");
}

TEST_CASE("unknown flags, --help, --version and --print-config are understood") {
  CHECK(ovo::parse_command_line({"--frobnicate"}, environment({})).error.find("--frobnicate") !=
        std::string::npos);
  CHECK(ovo::parse_command_line({"--help"}, environment({})).help);
  CHECK(ovo::parse_command_line({"-help"}, environment({})).help);
  CHECK(ovo::parse_command_line({"--version"}, environment({})).version);
  CHECK(ovo::parse_command_line({"--print-config"}, environment({})).print_config);
  const auto usage = ovo::usage_text();
  CHECK(usage.find("--max-value-bytes") != std::string::npos);
  CHECK(usage.find("OVO_MAX_VALUE_BYTES") != std::string::npos);
  CHECK(usage.find("-conf=PATH") != std::string::npos);
}
