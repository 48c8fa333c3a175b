#include "config/setting_options.hpp"

#include "config/server_config.hpp"

#include <doctest/doctest.h>

#include <set>

using nlohmann::json;

namespace {

const ovo::setting_option& option_named(const std::string& flag) {
  for (const auto& option : ovo::setting_options())
    if (option.flag == flag) return option;
  FAIL("no option --" << flag);
  throw 0;
}

}  // namespace

TEST_CASE("flag and variable names come from the file's field names, acronyms kept whole") {
  CHECK(ovo::kebab_case("MaxKeyBytes") == "max-key-bytes");
  CHECK(ovo::kebab_case("APIHost") == "api-host");
  CHECK(ovo::kebab_case("ClusterCAFile") == "cluster-ca-file");
  CHECK(ovo::upper_snake_case("DeadNodeRemovalSeconds") == "DEAD_NODE_REMOVAL_SECONDS");
  CHECK(option_named("api-port").env == "OVO_API_PORT");
  CHECK(option_named("topology-nodes").field() == "Topology.Nodes");
  CHECK(option_named("max-body-bytes").field() == "Settings.MaxBodyBytes");
}

TEST_CASE("every setting the configuration file holds has a flag and a variable") {
  const auto rendered = json::parse(ovo::render_config(ovo::server_config{}));
  std::set<std::string> fields;
  for (const auto& option : ovo::setting_options()) fields.insert(option.field());
  for (const auto& item : rendered["Settings"].items())
    CHECK_MESSAGE(fields.count("Settings." + item.key()), item.key());
  for (const auto& item : rendered["ServerNode"]["Node"].items())
    CHECK_MESSAGE(fields.count("ServerNode.Node." + item.key()), item.key());
  CHECK(fields.count("Topology.Nodes"));
  CHECK(fields.count("ServerNode.Twins"));
  std::set<std::string> flags, variables;
  for (const auto& option : ovo::setting_options()) {
    CHECK(flags.insert(option.flag).second);
    CHECK(variables.insert(option.env).second);
  }
}

TEST_CASE("a flag's text becomes the JSON value its kind says, objects created on the way") {
  json root = json::object();
  CHECK_FALSE(ovo::apply_setting(root, option_named("port"), "6060"));
  CHECK_FALSE(ovo::apply_setting(root, option_named("leave-on-shutdown"), "yes"));
  CHECK_FALSE(ovo::apply_setting(root, option_named("twins"), " alcor, mizar ,"));
  CHECK_FALSE(ovo::apply_setting(root, option_named("log-level"), "debug"));
  CHECK_FALSE(ovo::apply_setting(
      root, option_named("topology-nodes"),
      R"([{"Node":{"Name":"b","Host":"127.0.0.1","Port":1,"APIHost":"127.0.0.1","APIPort":2}}])"));
  CHECK(root["ServerNode"]["Node"]["Port"] == 6060);
  CHECK(root["Settings"]["LeaveOnShutdown"] == true);
  CHECK(root["ServerNode"]["Twins"] == json::array({"alcor", "mizar"}));
  CHECK(root["Settings"]["LogLevel"] == "debug");
  CHECK(root["Topology"]["Nodes"][0]["Node"]["Name"] == "b");
}

TEST_CASE("a flag's text that does not fit its kind is refused, saying what was expected") {
  json root = json::object();
  CHECK(*ovo::apply_setting(root, option_named("port"), "50x") ==
        "must be an integer, got \"50x\"");
  CHECK(*ovo::apply_setting(root, option_named("witness"), "maybe") ==
        "must be true or false, got \"maybe\"");
  CHECK(ovo::apply_setting(root, option_named("topology-nodes"), "[{")->find("must be JSON") == 0);
  CHECK(root.empty());
}
