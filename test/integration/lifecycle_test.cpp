// Process lifecycle: command line, configuration errors, the .temp file, signals.

#include "test/integration/api_session.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <future>
#include <thread>

using namespace ovo::test;
using namespace std::chrono_literals;

TEST_CASE("--help and --version answer and exit 0, unknown flags exit 2") {
  auto help = run_ovo({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.output.find("-conf=PATH") != std::string::npos);
  auto version = run_ovo({"--version"});
  CHECK(version.exit_code == 0);
  CHECK(version.output.find("ovo ") == 0);
  auto unknown = run_ovo({"--frobnicate"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("not expected: --frobnicate") != std::string::npos);
}

TEST_CASE("a bad configuration names file and field, and the node does not start") {
  const auto dir = make_temp_dir();
  const auto path = dir + "/bad.json";
  write_file(path,
             R"({"ServerNode":{"Node":{"Name":"x","Port":99999}},"Settings":{"Shards":"many"}})");
  auto result = run_ovo({"--conf", path});
  CHECK(result.exit_code == 2);
  CHECK(result.output.find(path + ": ServerNode.Node.Port: must be from 1 to 65535") !=
        std::string::npos);
  CHECK(result.output.find(path + ": Settings.Shards: must be an integer") != std::string::npos);
  auto missing = run_ovo({"-conf=" + dir + "/absent.json"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("cannot open") != std::string::npos);
  write_file(path, "{not json");
  CHECK(run_ovo({"-conf=" + path}).exit_code == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a port already in use is a clear error with exit code 1") {
  api_session first;
  const auto dir = make_temp_dir();
  const auto path = dir + "/clash.json";
  write_file(path, R"({"ServerNode":{"Node":{"Name":"clash","Host":"127.0.0.1","Port":)" +
                       std::to_string(first.node.port()) + "}}}");
  auto result = run_ovo({"-conf=" + path});
  CHECK(result.exit_code == 1);
  CHECK(result.output.find("cannot serve REST") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("the node writes <conf>.temp in the original format, listing itself") {
  api_session api("tempwriter", R"({"Shards":3})");
  const auto temp = nlohmann::json::parse(read_file(api.node.config_path() + ".temp"));
  CHECK(temp["ServerNode"]["Node"]["Name"] == "tempwriter");
  CHECK(temp["ServerNode"]["Node"]["Port"] == api.node.port());
  REQUIRE(temp["Topology"]["Nodes"].size() == 1);
  CHECK(temp["Topology"]["Nodes"][0]["Node"]["Name"] == "tempwriter");
  CHECK(temp["Settings"]["Shards"] == 3);
}

TEST_CASE("an empty Name gets a generated star name, shown by the cluster API") {
  api_session api("", "{}");
  auto name = api.call("GET", "/ovo/cluster/me").envelope()["Data"]["Name"].get<std::string>();
  CHECK(name.size() > 3);
  CHECK(name.find('-') != std::string::npos);
  CHECK(api.node.log().find("this node is " + name) != std::string::npos);
}

TEST_CASE("an empty Host binds every interface (reached here over loopback)") {
  api_session api("everywhere", "{}", "");
  CHECK(api.put_object("k", "v").status == 200);
  CHECK(api.value_of("k") == "v");
  CHECK(api.node.log().find("REST API on *:") != std::string::npos);
}

TEST_CASE("SIGTERM and SIGINT stop the node with exit code 0 within 2 seconds") {
  for (int signal : {SIGTERM, SIGINT}) {
    CAPTURE(signal);
    api_session api;
    api.put_object("k", "v");
    const auto started = std::chrono::steady_clock::now();
    auto code = api.node.stop(signal, 2s);
    CHECK(code == std::optional<int>(0));
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(api.node.log().find("stopped") != std::string::npos);
  }
}

TEST_CASE("SIGTERM while requests are flowing answers them, then exits 0") {
  api_session api;
  std::atomic<int> answered{0};
  auto load = std::async(std::launch::async, [&] {
    http_client client;
    for (int i = 0; i < 20'000; ++i) {  // bounded; ends when the node stops answering
      auto response = client.request("PUT", api.node.url("/ovo/keystorage"),
                                     R"({"Key":"k)" + std::to_string(i) + R"(","Data":"AA=="})");
      if (response.status != 200 && response.status != 503) break;
      ++answered;
    }
  });
  std::this_thread::sleep_for(300ms);
  auto code = api.node.stop(SIGTERM, 2s);
  load.get();
  CHECK(code == std::optional<int>(0));
  CHECK(answered > 0);
  // The drain logs a warning when it had to close with requests still unanswered.
  CHECK(api.node.log().find("still unanswered") == std::string::npos);
}
