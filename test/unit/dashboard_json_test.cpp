// GET /ovo/dashboard's encoding (rest/dashboard_json.hpp) and the dashboard's routes.

#include "rest/dashboard_json.hpp"

#include "rest/routes.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace ovo;

namespace {

node_figures member(const std::string& name, bool answered) {
  node_figures m;
  m.node.name = name;
  m.answered = answered;
  return m;
}

}  // namespace

TEST_CASE(
    "the dashboard's figures encode as a done envelope: silent members with Figures null, "
    "request totals summed, slots arriving on any member marked") {
  cluster_figures figures;
  figures.answered_by = "a";
  auto a = member("a", true);
  a.node.hash_range = {0, 1};
  a.status.requests = {3, 4, 5};
  a.status.arriving_slots = {1};
  figures.nodes = {a, member("b", false)};
  figures.slots.resize(2);
  figures.slots[0] = {"a", {"b"}};
  figures.slots[1] = {"", {}};
  const auto json = nlohmann::json::parse(encode_dashboard(figures));
  CHECK(json["Status"] == "done");
  CHECK(json["Code"] == "0");
  const auto& data = json["Data"];
  CHECK(data["AnsweredBy"] == "a");
  CHECK(data["MaxMemoryBytes"].is_null());
  CHECK(data["Nodes"][0]["State"] == "up");
  CHECK(data["Nodes"][0]["Slots"] == 2);
  CHECK(data["Nodes"][0]["Figures"]["Requests"] == 12);
  CHECK(data["Nodes"][1]["State"] == "down");
  CHECK(data["Nodes"][1]["Figures"].is_null());
  CHECK(data["Slots"][0] ==
        nlohmann::json::parse(R"({"Slot":0,"Owner":"a","Replicas":["b"],"Arriving":false})"));
  CHECK(data["Slots"][1]["Owner"].is_null());
  CHECK(data["Slots"][1]["Arriving"] == true);
}

TEST_CASE(
    "GET /ui and GET /ovo/dashboard route to the dashboard, other methods to a 405 "
    "allowing GET") {
  CHECK(match_route(http_method::get, "/ui").target == endpoint::dashboard_page);
  CHECK(match_route(http_method::get, "/ovo/dashboard").target == endpoint::dashboard_figures);
  const auto posted = match_route(http_method::post, "/ovo/dashboard");
  CHECK_FALSE(posted.target);
  CHECK(posted.allowed == "GET");
  CHECK(match_route(http_method::del, "/ui").allowed == "GET");
}
