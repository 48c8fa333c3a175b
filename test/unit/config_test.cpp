#include "config/layout_file.hpp"
#include "config/server_config.hpp"
#include "core/slot_hash.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

const char* original_format = R"({
  "ServerNode": {"Node": {"Name": "mizard", "Host": "127.0.0.1", "Port": 5050,
                          "APIHost": "127.0.0.1", "APIPort": 5052},
                 "Twins": ["alcor"], "Stepbrothers": []},
  "Topology": {"Nodes": [{"Node": {"Name": "alcor", "Host": "127.0.0.1", "Port": 5060,
                                   "APIHost": "127.0.0.1", "APIPort": 5062}}]},
  "Debug": false
})";

bool has_error(const ovo::config_outcome& out, const std::string& part) {
  for (const auto& e : out.errors)
    if (e.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the original serverconf.json loads unchanged with default settings") {
  auto out = ovo::parse_config(original_format, "serverconf.json");
  REQUIRE(out.errors.empty());
  const auto& c = *out.config;
  CHECK(c.self.name == "mizard");
  CHECK(c.self.port == 5050);
  CHECK(c.self.api_port == 5052);
  CHECK(c.twins == std::vector<std::string>{"alcor"});
  REQUIRE(c.topology.size() == 1);
  CHECK(c.topology[0].port == 5060);
  CHECK(c.settings.max_key_bytes == 64 * 1024);
  CHECK(c.settings.max_value_bytes == 16 * 1024 * 1024);
  CHECK(c.settings.log_level == "info");
}

TEST_CASE("Settings override the defaults") {
  auto out = ovo::parse_config(
      R"({"ServerNode":{"Node":{"Name":"n","Port":1}},
          "Settings":{"Shards":4,"RestThreads":3,"ActorThreads":5,"MaxKeyBytes":100,"MaxValueBytes":1000,
                      "MaxBodyBytes":5000,"ExpirySweepMs":50,"LogLevel":"warn",
                      "LeaveOnShutdown":true,"Replication":"async","DeadNodeRemovalSeconds":30,
                      "MinCopies":3,"ReplicaTimeoutMs":750}})",
      "c.json");
  REQUIRE(out.errors.empty());
  const auto& s = out.config->settings;
  CHECK(s.shards == 4);
  CHECK(s.rest_threads == 3);
  CHECK(s.actor_threads == 5);
  CHECK(s.max_key_bytes == 100);
  CHECK(s.max_value_bytes == 1000);
  CHECK(s.max_body_bytes == 5000);
  CHECK(s.expiry_sweep_ms == 50);
  CHECK(s.log_level == "warn");
  CHECK(s.leave_on_shutdown);
  CHECK(s.replication == ovo::replication_mode::async);
  CHECK(s.dead_node_removal_seconds == 30);
  CHECK(s.min_copies == 3);
  CHECK(s.replica_timeout_ms == 750);
}

TEST_CASE("an empty Name gets a generated star name") {
  auto out = ovo::parse_config(R"({"ServerNode":{"Node":{"Name":"","Port":5050}}})", "c.json");
  REQUIRE(out.errors.empty());
  CHECK_FALSE(out.config->self.name.empty());
  CHECK(out.config->name_was_generated);
  CHECK(out.config->self.name.find('-') != std::string::npos);
}

TEST_CASE("Debug turns on debug logging unless LogLevel says otherwise") {
  auto out =
      ovo::parse_config(R"({"ServerNode":{"Node":{"Name":"n","Port":1}},"Debug":true})", "c");
  CHECK(out.config->settings.log_level == "debug");
}

TEST_CASE("every problem is reported with file and field") {
  auto out = ovo::parse_config(
      R"({"ServerNode":{"Node":{"Name":"a","Host":7,"Port":70000,"APIPort":"x"},"Twins":"b"},
          "Topology":{"Nodes":[{"Node":{"Name":"b","Port":1}},{"Node":{"Name":"b","Port":2}}]},
          "Settings":{"Shards":0,"Colour":"red","LogLevel":"loud","Replication":"twice",
                      "LeaveOnShutdown":"yes","MinCopies":0,"ReplicaTimeoutMs":-1}})",
      "bad.json");
  CHECK_FALSE(out.config);
  CHECK(has_error(out, "bad.json: ServerNode.Node.Host: must be a string"));
  CHECK(has_error(out, "bad.json: ServerNode.Node.Port: must be from 1 to 65535"));
  CHECK(has_error(out, "bad.json: ServerNode.Node.APIPort: must be an integer"));
  CHECK(has_error(out, "bad.json: ServerNode.Twins: must be a list"));
  CHECK(has_error(out, "bad.json: Topology.Nodes[1].Node.Name: duplicate node name \"b\""));
  CHECK(has_error(out, "bad.json: Settings.Shards: must be from 1 to 128"));
  CHECK(has_error(out, "bad.json: Settings.Colour: unknown setting"));
  CHECK(has_error(out, "bad.json: Settings.LogLevel: must be one of"));
  CHECK(has_error(out, "bad.json: Settings.Replication: must be one of sync, async, off"));
  CHECK(has_error(out, "bad.json: Settings.LeaveOnShutdown: must be true or false"));
  CHECK(has_error(out, "bad.json: Settings.MinCopies: must be from 1 to 16"));
  CHECK(has_error(out, "bad.json: Settings.ReplicaTimeoutMs: must be from 10 to 600000"));
  CHECK(out.errors.size() == 12);
}

TEST_CASE("broken JSON, a missing node and a missing file are errors") {
  CHECK(has_error(ovo::parse_config("{\"ServerNode\":", "x.json"), "x.json: not valid JSON"));
  CHECK(has_error(ovo::parse_config("[]", "x.json"), "must be a JSON object"));
  CHECK(has_error(ovo::parse_config("{}", "x.json"), "ServerNode.Node: is required"));
  CHECK(has_error(ovo::parse_config(R"({"ServerNode":{"Node":{"Name":"a"}}})", "x.json"),
                  "ServerNode.Node.Port: is required"));
  CHECK(has_error(ovo::load_config("/nonexistent/serverconf.json"),
                  "/nonexistent/serverconf.json: cannot open"));
}

TEST_CASE("a topology entry with this node's name must have its address") {
  auto out = ovo::parse_config(
      R"({"ServerNode":{"Node":{"Name":"a","Host":"127.0.0.1","Port":1}},
          "Topology":{"Nodes":[{"Node":{"Name":"a","Host":"127.0.0.1","Port":2}}]}})",
      "c");
  CHECK(has_error(out, "is this node's name but has another address"));
}

TEST_CASE("rendered config loads back to the same values, written atomically") {
  auto original = *ovo::parse_config(original_format, "c").config;
  original.topology[0].joined_at_ms = 1'700'000'000'123;
  const std::string path = "/tmp/ovo-config-test-" + std::to_string(::getpid()) + ".json";
  REQUIRE_FALSE(ovo::write_file_atomically(path, ovo::render_config(original)));
  auto again = ovo::load_config(path);
  std::remove(path.c_str());
  REQUIRE(again.errors.empty());
  CHECK(again.config->self.name == original.self.name);
  CHECK(again.config->self.api_port == original.self.api_port);
  CHECK(again.config->twins == original.twins);
  CHECK(again.config->topology.size() == original.topology.size());
  CHECK(again.config->topology[0].joined_at_ms == original.topology[0].joined_at_ms);
  CHECK(again.config->settings.max_body_bytes == original.settings.max_body_bytes);
  CHECK(ovo::write_file_atomically("/nonexistent-dir/x.json", "{}").has_value());
}

TEST_CASE(
    "a cluster port beyond loopback needs all three TLS files or AllowPlaintextCluster, and "
    "loopback may stay plaintext") {
  auto config = [](const std::string& api_host, const std::string& settings) {
    return ovo::parse_config(R"({"ServerNode":{"Node":{"Name":"n","Port":1,"APIHost":")" +
                                 api_host + R"(","APIPort":2}},"Settings":)" + settings + "}",
                             "c.json");
  };
  CHECK(config("127.0.0.1", "{}").config);
  auto beyond = config("10.0.0.5", "{}");
  CHECK(has_error(beyond,
                  "c.json: ServerNode.Node.APIHost: \"10.0.0.5\" is not a loopback "
                  "address, so the cluster port needs mutual TLS"));
  CHECK(config("10.0.0.5", R"({"AllowPlaintextCluster":true})").config);
  const std::string readable = OVO_TEST_DATA_DIR "/hash_vectors.json";
  auto tls = config("10.0.0.5", R"({"ClusterCertFile":")" + readable + R"(","ClusterKeyFile":")" +
                                    readable + R"(","ClusterCAFile":")" + readable + R"("})");
  REQUIRE(tls.config);
  CHECK(tls.config->settings.cluster_tls());
  auto partial = config("127.0.0.1", R"({"ClusterCertFile":")" + readable + R"("})");
  CHECK(has_error(partial,
                  "c.json: Settings.ClusterKeyFile: missing: mutual TLS needs "
                  "ClusterCertFile, ClusterKeyFile and ClusterCAFile"));
  CHECK(has_error(partial, "c.json: Settings.ClusterCAFile: missing"));
  auto unreadable = config("127.0.0.1", R"({"ClusterCertFile":"/nonexistent/c.pem",)"
                                        R"("ClusterKeyFile":"/nonexistent/c.key",)"
                                        R"("ClusterCAFile":"/nonexistent/ca.pem"})");
  CHECK(has_error(unreadable, "c.json: Settings.ClusterCertFile: cannot read /nonexistent/c.pem"));
}

TEST_CASE("HTTPS on the REST port needs both RestCertFile and RestKeyFile, each readable") {
  auto config = [](const std::string& settings) {
    return ovo::parse_config(
        R"({"ServerNode":{"Node":{"Name":"n","Port":1,"APIHost":"127.0.0.1","APIPort":2}},)"
        R"("Settings":)" +
            settings + "}",
        "c.json");
  };
  const std::string readable = OVO_TEST_DATA_DIR "/hash_vectors.json";
  auto plain = config("{}");
  REQUIRE(plain.config);
  CHECK_FALSE(plain.config->settings.rest_tls());
  auto https =
      config(R"({"RestCertFile":")" + readable + R"(","RestKeyFile":")" + readable + R"("})");
  REQUIRE(https.config);
  CHECK(https.config->settings.rest_tls());
  CHECK(has_error(config(R"({"RestCertFile":")" + readable + R"("})"),
                  "c.json: Settings.RestKeyFile: missing: HTTPS needs RestCertFile and "
                  "RestKeyFile"));
  CHECK(has_error(
      config(R"({"RestCertFile":"/nonexistent/r.pem","RestKeyFile":")" + readable + R"("})"),
      "c.json: Settings.RestCertFile: cannot read /nonexistent/r.pem"));
}

TEST_CASE("a TokenFile holds one token and scope a line, and a bad line is reported by number") {
  const auto dir = std::filesystem::temp_directory_path() / "ovo-token-test";
  std::filesystem::create_directories(dir);
  const auto good = (dir / "good").string(), bad = (dir / "bad").string();
  std::ofstream(good) << "# comment\nr1 read\n\nw1 read-write\n";
  std::ofstream(bad) << "r1 read\nw1 admin\n";
  auto config = [](const std::string& file) {
    return ovo::parse_config(
        R"({"ServerNode":{"Node":{"Name":"n","Port":1}},"Settings":{"TokenFile":")" + file +
            R"("}})",
        "c.json");
  };
  auto loaded = config(good);
  REQUIRE(loaded.config);
  const auto& tokens = loaded.config->settings.rest_tokens;
  CHECK(tokens.size() == 2);
  CHECK(tokens.scope_of("r1") == ovo::token_scope::read);
  CHECK(tokens.scope_of("w1") == ovo::token_scope::read_write);
  CHECK_FALSE(tokens.scope_of("w2"));
  CHECK(has_error(config(bad), "c.json: Settings.TokenFile: " + bad +
                                   " line 2: the scope must be read or read-write, not \"admin\""));
  CHECK(has_error(config((dir / "missing").string()), "Settings.TokenFile: cannot read"));
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "MaxMemoryBytes and EvictionPolicy load, default to no cap and clock, and bad values "
    "name the field") {
  auto plain = ovo::parse_config(original_format, "c.json");
  REQUIRE(plain.errors.empty());
  CHECK(plain.config->settings.max_memory_bytes == 0);
  CHECK(plain.config->settings.eviction == ovo::eviction_policy::clock);
  auto capped = ovo::parse_config(
      R"({"ServerNode":{"Node":{"Name":"n","Port":1}},
          "Settings":{"MaxMemoryBytes":1073741824,"EvictionPolicy":"noeviction"}})",
      "c.json");
  REQUIRE(capped.errors.empty());
  CHECK(capped.config->settings.max_memory_bytes == 1073741824);
  CHECK(capped.config->settings.eviction == ovo::eviction_policy::noeviction);
  auto bad = ovo::parse_config(
      R"({"ServerNode":{"Node":{"Name":"n","Port":1}},
          "Settings":{"MaxMemoryBytes":-1,"EvictionPolicy":"allkeys-lru"}})",
      "c.json");
  CHECK(has_error(bad, "c.json: Settings.MaxMemoryBytes:"));
  CHECK(has_error(bad, "c.json: Settings.EvictionPolicy: must be one of clock, noeviction"));
}

TEST_CASE("the layout vote file is named after the configuration, without its .temp suffixes") {
  CHECK(ovo::layout_path_for("/etc/ovo/serverconf.json") == "/etc/ovo/serverconf.json.layout");
  CHECK(ovo::layout_path_for("/etc/ovo/serverconf.json.temp") == "/etc/ovo/serverconf.json.layout");
  CHECK(ovo::layout_path_for("n1.json.temp.temp") == "n1.json.layout");
  CHECK(ovo::layout_path_for(".temp") == ".temp.layout");  // nothing left to strip to
}

TEST_CASE(
    "a saved layout vote reads back as it was with its member identities, lagging and arriving "
    "holders, a file from before identities reads with none, and a damaged one says why") {
  ovo::acceptor_state state;
  state.identity = 0xfedc'ba98'7654'3210u;  // above 2^63: kept exactly
  state.installed.epoch = 7;
  state.installed.members = {"a", "b"};
  state.installed.member_ids = {state.identity, 42};
  state.installed.owners.assign(ovo::slot_count, "a");
  state.installed.replicas.assign(ovo::slot_count, {"b"});
  state.installed.down = {"c"};
  state.installed.lagging.resize(ovo::slot_count);
  state.installed.lagging[5] = {"b"};
  state.installed.arriving.resize(ovo::slot_count);
  state.installed.arriving[6] = {"a", "b"};
  state.promised = ovo::ballot{3, "b"};
  auto accepted = state.installed;
  accepted.epoch = 8;
  state.accepted = std::make_pair(ovo::ballot{3, "b"}, accepted);
  auto parsed = ovo::parse_layout_state(ovo::render_layout_state(state));
  REQUIRE(std::holds_alternative<ovo::acceptor_state>(parsed));
  const auto& back = std::get<ovo::acceptor_state>(parsed);
  CHECK(back.identity == state.identity);
  CHECK(back.installed == state.installed);
  CHECK(back.promised == state.promised);
  REQUIRE(back.accepted);
  CHECK(back.accepted->first == ovo::ballot{3, "b"});
  CHECK(back.accepted->second == accepted);
  auto older = ovo::parse_layout_state(
      R"({"Installed":{"Epoch":2,"Members":["a"],"Owners":[],"Replicas":[],"Down":[]},)"
      R"("Promised":null,"Accepted":null})");
  REQUIRE(std::holds_alternative<ovo::acceptor_state>(older));
  CHECK(std::get<ovo::acceptor_state>(older).identity == 0);  // the node draws one
  CHECK(std::get<ovo::acceptor_state>(older).installed.member_ids.empty());
  CHECK(std::get<ovo::acceptor_state>(older).installed.lagging.empty());  // nothing lags
  CHECK(std::get<ovo::acceptor_state>(older).installed.arriving.empty());
  auto damaged = ovo::parse_layout_state("{\"Installed\":{}}");
  REQUIRE(std::holds_alternative<std::string>(damaged));
  CHECK(std::get<std::string>(damaged).find("not a saved layout vote") == 0);
}
