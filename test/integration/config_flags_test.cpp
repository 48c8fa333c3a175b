// Settings from flags and environment variables (README "Configuration"), checked against the
// real binary: every setting both ways, the precedence, --print-config and JSON log lines.

#include "config/defaults.hpp"
#include "config/setting_options.hpp"
#include "test/integration/node_process.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <map>
#include <sstream>

using namespace ovo::test;
using nlohmann::json;

namespace {

/// Two valid values per setting: one given as a variable, the other as a flag. Files must
/// exist, hence `dir`. A setting missing here fails the test: each new one gets its samples.
std::map<std::string, std::pair<std::string, std::string>> sample_values(const std::string& dir) {
  write_file(dir + "/admin-a", "admin-token-a\n");
  write_file(dir + "/admin-b", "admin-token-b\n");
  write_file(dir + "/tokens-a", "reader-aaaa read\n");
  write_file(dir + "/tokens-b", "writer-bbbb read-write\n");
  for (const auto* name : {"/cert", "/key", "/ca", "/rest-cert", "/rest-key"}) {
    write_file(dir + name + "-a", "a");
    write_file(dir + name + "-b", "b");
  }
  const auto peer = [](const std::string& name) {
    return R"([{"Node":{"Name":")" + name +
           R"(","Host":"127.0.0.1","Port":7001,"APIHost":"127.0.0.1","APIPort":7002}}])";
  };
  const auto files = [&](const std::string& name) {
    return std::make_pair(dir + "/" + name + "-a", dir + "/" + name + "-b");
  };
  return {
      {"name", {"from-env", "from-flag"}},
      {"host", {"127.0.0.2", "127.0.0.3"}},
      {"port", {"6100", "6200"}},
      {"api-host", {"127.0.0.4", "127.0.0.5"}},
      {"api-port", {"6101", "6201"}},
      {"twins", {"peer-a", "peer-b"}},
      {"stepbrothers", {"step-a", "step-b"}},
      {"topology-nodes", {peer("peer-a"), peer("peer-b")}},
      {"debug", {"true", "false"}},
      {"shards", {"3", "5"}},
      {"rest-threads", {"1", "2"}},
      {"actor-threads", {"1", "2"}},
      {"max-key-bytes", {"1000", "2000"}},
      {"max-value-bytes", {"3000", "4000"}},
      {"max-body-bytes", {"5000", "6000"}},
      {"expiry-sweep-ms", {"300", "400"}},
      {"max-memory-bytes", {"1073741824", "2147483648"}},
      {"eviction-policy", {"noeviction", "clock"}},
      {"log-level", {"warn", "error"}},
      {"log-format", {"json", "text"}},
      {"leave-on-shutdown", {"true", "false"}},
      {"replication", {"async", "off"}},
      {"min-copies", {"1", "3"}},
      {"replica-timeout-ms", {"700", "800"}},
      {"admin-token-file", files("admin")},
      {"token-file", files("tokens")},
      {"dead-node-removal-seconds", {"30", "40"}},
      {"verify-interval-seconds", {"50", "60"}},
      {"partition-policy", {"available", "majority"}},
      {"node-timeout-ms", {"900", "1100"}},
      {"reads-in-minority", {"true", "false"}},
      {"witness", {"true", "false"}},
      {"cluster-cert-file", files("cert")},
      {"cluster-key-file", files("key")},
      {"cluster-ca-file", files("ca")},
      {"allow-plaintext-cluster", {"true", "false"}},
      {"rest-cert-file", files("rest-cert")},
      {"rest-key-file", files("rest-key")},
  };
}

/// The value at `option`'s place in a printed configuration.
json printed_value(const json& config, const ovo::setting_option& option) {
  const json* at = &config;
  for (const auto& part : option.path) {
    if (!at->contains(part)) return nullptr;
    at = &(*at)[part];
  }
  return *at;
}

/// What the file would hold for `text` given to `option`.
json expected_value(const ovo::setting_option& option, const std::string& text) {
  json root = json::object();
  REQUIRE_FALSE(ovo::apply_setting(root, option, text));
  return printed_value(root, option);
}

/// build/ovo with `variables` in its environment (and no other OVO_*).
run_result run_ovo_with(const std::vector<std::string>& variables,
                        const std::vector<std::string>& args) {
  std::vector<std::string> command = {"-i"};
  command.insert(command.end(), variables.begin(), variables.end());
  command.push_back(OVO_BINARY);
  command.insert(command.end(), args.begin(), args.end());
  return run_program("/usr/bin/env", command);
}

}  // namespace

TEST_CASE(
    "every setting given as its OVO_ variable shows in --print-config, and its flag given too "
    "wins over the variable, which wins over the file") {
  const auto dir = make_temp_dir();
  const auto samples = sample_values(dir);
  // The file sets a few of them to a third value, which both must beat.
  const auto config = dir + "/serverconf.json";
  write_file(config, R"({"ServerNode":{"Node":{"Name":"from-file","Port":6300}},
                        "Settings":{"Shards":7,"LogLevel":"info"}})");
  std::vector<std::string> variables, flags = {"-conf=" + config, "--print-config"};
  for (const auto& option : ovo::setting_options()) {
    const auto sample = samples.find(option.flag);
    REQUIRE_MESSAGE(sample != samples.end(), "no sample values for --" << option.flag);
    variables.push_back(option.env + "=" + sample->second.first);
    flags.push_back("--" + option.flag + "=" + sample->second.second);
  }
  const auto from_env = run_ovo_with(variables, {"-conf=" + config, "--print-config"});
  REQUIRE_MESSAGE(from_env.exit_code == 0, from_env.output);
  const auto by_env = json::parse(from_env.output);
  const auto from_flags = run_ovo_with(variables, flags);
  REQUIRE_MESSAGE(from_flags.exit_code == 0, from_flags.output);
  const auto by_flags = json::parse(from_flags.output);
  for (const auto& option : ovo::setting_options()) {
    const auto& sample = samples.at(option.flag);
    CHECK_MESSAGE(printed_value(by_env, option) == expected_value(option, sample.first),
                  option.env);
    CHECK_MESSAGE(printed_value(by_flags, option) == expected_value(option, sample.second),
                  "--" << option.flag);
  }
  const auto file_only = run_ovo_with({}, {"-conf=" + config, "--print-config"});
  REQUIRE(file_only.exit_code == 0);
  const auto by_file = json::parse(file_only.output);
  CHECK(by_file["ServerNode"]["Node"]["Name"] == "from-file");
  CHECK(by_file["Settings"]["Shards"] == 7);
  CHECK(by_file["Settings"]["MaxKeyBytes"] == ovo::defaults::max_key_bytes);  // the default
  std::filesystem::remove_all(dir);
}

TEST_CASE("a bad OVO_ variable stops the node with exit 2 naming the variable") {
  const auto run = run_ovo_with({"OVO_PORT=80000", "OVO_CONF=/nonexistent/ovo.json"}, {});
  CHECK(run.exit_code == 2);
  CHECK(run.output.find("/nonexistent/ovo.json: cannot open the configuration file") !=
        std::string::npos);
  const auto range = run_ovo_with({"OVO_PORT=80000"}, {"--print-config"});
  CHECK(range.exit_code == 2);
  CHECK(range.output.find("OVO_PORT (ServerNode.Node.Port): must be from 1 to 65535") !=
        std::string::npos);
}

TEST_CASE("with LogFormat json every line the node logs is one JSON object with its fields") {
  node_options options;
  options.name = "json-logger";
  options.settings_json = R"({"LogFormat":"json"})";
  node_process node(options);
  CHECK(node.stop(SIGTERM, std::chrono::seconds(10)) == 0);
  std::istringstream lines(node.log());
  int parsed = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto entry = json::parse(line, nullptr, false);
    REQUIRE_MESSAGE(entry.is_object(), line);
    CHECK(entry["node"] == "json-logger");
    CHECK(entry["level"].is_string());
    CHECK(entry["component"].is_string());
    CHECK(entry["message"].is_string());
    CHECK(entry["time"].get<std::string>().back() == 'Z');
    ++parsed;
  }
  CHECK(parsed >= 3);  // started, serving, stopped at least
}
