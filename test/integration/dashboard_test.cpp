// The dashboard (docs/protocol.md, "Dashboard"): GET /ovo/dashboard gathers every node's figures
// over the peer links; GET /ui is a static page that polls it, checked in headless Chromium
// (Debian's `chromium`, run with --no-sandbox because CI runs as root).

#include "test/integration/http_client.hpp"
#include "test/integration/test_cluster.hpp"

#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>
#include <set>

using namespace ovo::test;
using namespace std::chrono_literals;

namespace {

bool chromium_installed() { return run_program("chromium", {"--version"}).exit_code == 0; }

/// Loads `url` in headless Chromium and gives the page's DOM once its script ran for
/// `budget_ms` of virtual time (time stands still while a fetch is on its way).
std::string dump_dom(const std::string& profile, const std::string& url, int budget_ms = 2500) {
  return run_program("chromium",
                     {"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                      "--user-data-dir=" + profile,
                      "--virtual-time-budget=" + std::to_string(budget_ms), "--dump-dom", url},
                     "", 30s)
      .output;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

}  // namespace

TEST_CASE(
    "GET /ovo/dashboard on one node of a 3-node cluster lists the 3 nodes up with their "
    "figures and 128 slots each owned by one of them, and GET /ui answers a text/html page") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(c.ready({0, 1, 2}));
  const auto answer = c.call(0, "GET", "/ovo/dashboard");
  REQUIRE(answer.status == 200);
  const auto data = answer.envelope()["Data"];
  CHECK(data["AnsweredBy"] == "node0");
  CHECK(data["MaxMemoryBytes"].is_null());
  REQUIRE(data["Nodes"].size() == 3);
  std::set<std::string> names;
  for (const auto& node : data["Nodes"]) {
    names.insert(node["Name"].get<std::string>());
    CHECK(node["State"] == "up");
    CHECK(node["Figures"].is_object());
    CHECK(node["Figures"]["RssBytes"].get<uint64_t>() > 0);
  }
  CHECK(names == std::set<std::string>{"node0", "node1", "node2"});
  REQUIRE(data["Slots"].size() == 128);
  for (const auto& slot : data["Slots"]) CHECK(names.count(slot["Owner"].get<std::string>()) == 1);

  const auto page = c.call(1, "GET", "/ui");
  CHECK(page.status == 200);
  CHECK(page.header("Content-Type") == "text/html; charset=utf-8");
  CHECK(page.body.find("/ovo/dashboard") != std::string::npos);
}

TEST_CASE(
    "GET /ovo/dashboard answers within 2 s with a frozen (SIGSTOP) node shown down and its "
    "Figures null, the other nodes up") {
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  c.nodes[2]->signal(SIGSTOP);
  const auto asked = std::chrono::steady_clock::now();
  const auto answer = c.call(0, "GET", "/ovo/dashboard");
  const auto took = std::chrono::steady_clock::now() - asked;
  c.nodes[2]->signal(SIGCONT);
  REQUIRE(answer.status == 200);
  CHECK(took < 2s);  // one dashboard_peer_timeout (1 s) for the silent node, not more
  for (const auto& node : answer.envelope()["Data"]["Nodes"]) {
    const bool frozen = node["Name"] == "node2";
    CHECK(node["State"] == (frozen ? "down" : "up"));
    CHECK(node["Figures"].is_null() == frozen);
  }
}

TEST_CASE(
    "with a TokenFile GET /ui needs no token, GET /ovo/dashboard answers 401 without one, and "
    "the page opened as /ui#token=TOKEN in Chromium shows the node and its 128 slots") {
  REQUIRE_MESSAGE(chromium_installed(), "chromium is not installed: run tools/install_deps.sh");
  const auto dir = make_temp_dir();
  write_file(dir + "/tokens", "reader-41 read\n");
  node_options options;
  options.settings_json = R"({"TokenFile":")" + dir + R"(/tokens"})";
  node_process node(options);
  http_client anonymous;
  CHECK(anonymous.get(node.url("/ui")).status == 200);
  CHECK(anonymous.get(node.url("/ovo/dashboard")).status == 401);
  http_client reader;
  reader.bearer_token = "reader-41";
  CHECK(reader.get(node.url("/ovo/dashboard")).status == 200);

  const auto dom = dump_dom(dir + "/profile", node.url("/ui#token=reader-41"));
  CHECK(dom.find("id=\"node-count\">1<") != std::string::npos);
  CHECK(dom.find("id=\"slot-count\">128<") != std::string::npos);
  CHECK(dom.find("HTTP 401") == std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE(
    "GET /ui in headless Chromium shows 3 nodes and 128 slots, marks a node killed with "
    "SIGKILL down within 5 s, and saves a screenshot") {
  REQUIRE_MESSAGE(chromium_installed(),
                  "chromium is not installed: tools/install_deps.sh installs it (Debian "
                  "package chromium); this test needs a real browser");
  const auto dir = make_temp_dir();
  test_cluster c(3);
  REQUIRE(c.converged({0, 1, 2}, 3));
  REQUIRE(c.ready({0, 1, 2}));
  const auto url = c.nodes[0]->url("/ui");

  const auto dom = dump_dom(dir + "/profile", url);
  CHECK(occurrences(dom, "class=\"node\" data-node=") == 3);
  CHECK(dom.find("id=\"node-count\">3<") != std::string::npos);
  CHECK(occurrences(dom, "data-slot=") == 128);
  CHECK(dom.find("id=\"slot-count\">128<") != std::string::npos);
  CHECK(occurrences(dom, "data-state=\"up\">") == 3);

  c.nodes[2]->stop(SIGKILL, 2s);
  REQUIRE_FALSE(c.nodes[2]->running());
  const auto killed = std::chrono::steady_clock::now();
  // A fresh page load that starts within 5 s of the kill shows node2 down.
  const std::string down = "data-node=\"node2\" data-state=\"down\"";
  std::string seen;
  while (seen.find(down) == std::string::npos && std::chrono::steady_clock::now() - killed < 5s)
    seen = dump_dom(dir + "/profile", url);
  CHECK_MESSAGE(seen.find(down) != std::string::npos, "node2 not shown down; the page:\n" << seen);
  CHECK(occurrences(seen, "data-state=\"up\">") == 2);

  const auto png = dir + "/dashboard.png";
  run_program("chromium",
              {"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--user-data-dir=" + dir + "/profile", "--virtual-time-budget=2500",
               "--window-size=1280,900", "--screenshot=" + png, url},
              "", 30s);
  REQUIRE(std::filesystem::exists(png));
  CHECK(std::filesystem::file_size(png) > 0);
  std::filesystem::remove_all(dir + "/profile");  // the screenshot stays for a human to look at
  MESSAGE("dashboard screenshot: " << png);
}
