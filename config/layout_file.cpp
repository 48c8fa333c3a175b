#include "config/layout_file.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ovo {
namespace {

using json = nlohmann::json;

json layout_json(const agreed_layout& layout) {
  return {{"Epoch", layout.epoch},          {"Members", layout.members},
          {"MemberIds", layout.member_ids}, {"Owners", layout.owners},
          {"Replicas", layout.replicas},    {"Down", layout.down},
          {"Lagging", layout.lagging},      {"Arriving", layout.arriving}};
}

agreed_layout layout_from(const json& j) {
  agreed_layout layout;
  layout.epoch = j.at("Epoch").get<uint64_t>();
  layout.members = j.at("Members").get<std::vector<std::string>>();
  // Files written before member identities named none: any identity of each name votes.
  layout.member_ids = j.value("MemberIds", std::vector<uint64_t>{});
  layout.owners = j.at("Owners").get<std::vector<std::string>>();
  layout.replicas = j.at("Replicas").get<std::vector<std::vector<std::string>>>();
  layout.down = j.at("Down").get<std::vector<std::string>>();
  // Files written before lagging holders were agreed name none.
  layout.lagging = j.value("Lagging", std::vector<std::vector<std::string>>{});
  // ... and those written before arriving holders were agreed, none arriving.
  layout.arriving = j.value("Arriving", std::vector<std::vector<std::string>>{});
  return layout;
}

json ballot_json(const ballot& b) { return {{"Round", b.round}, {"Proposer", b.proposer}}; }

ballot ballot_from(const json& j) {
  return {j.at("Round").get<uint64_t>(), j.at("Proposer").get<std::string>()};
}

std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

/// Flushes the file or directory at `path` to the disk.
std::optional<std::string> sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return os_error("cannot open", path);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return os_error("cannot flush", path);
  return std::nullopt;
}

}  // namespace

std::string layout_path_for(std::string config_path) {
  const std::string temp = ".temp";
  while (config_path.size() > temp.size() &&
         config_path.compare(config_path.size() - temp.size(), temp.size(), temp) == 0)
    config_path.resize(config_path.size() - temp.size());
  return config_path + ".layout";
}

std::string render_layout_state(const acceptor_state& state) {
  json root = {{"Identity", state.identity},
               {"Installed", layout_json(state.installed)},
               {"Promised", nullptr},
               {"Accepted", nullptr}};
  if (state.promised) root["Promised"] = ballot_json(*state.promised);
  if (state.accepted)
    root["Accepted"] = {{"Ballot", ballot_json(state.accepted->first)},
                        {"Layout", layout_json(state.accepted->second)}};
  return root.dump() + "\n";
}

std::variant<acceptor_state, std::string> parse_layout_state(const std::string& text) {
  try {
    const auto root = json::parse(text);
    acceptor_state state;
    // 0 in a file written before identities: the node draws one and saves it.
    state.identity = root.value("Identity", uint64_t{0});
    state.installed = layout_from(root.at("Installed"));
    if (!root.at("Promised").is_null()) state.promised = ballot_from(root.at("Promised"));
    if (const auto& accepted = root.at("Accepted"); !accepted.is_null())
      state.accepted =
          std::make_pair(ballot_from(accepted.at("Ballot")), layout_from(accepted.at("Layout")));
    return state;
  } catch (const json::exception& e) {
    return std::string("not a saved layout vote: ") + e.what();
  }
}

std::optional<std::string> save_layout_state(const std::string& path, const acceptor_state& state) {
  const auto temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return os_error("cannot create", temporary);
    out << render_layout_state(state);
    out.flush();
    if (!out) return os_error("cannot write", temporary);
  }
  if (auto error = sync_path(temporary, O_RDONLY)) return error;
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    return os_error("cannot rename", temporary);
  const auto slash = path.find_last_of('/');
  return sync_path(slash == std::string::npos ? "." : path.substr(0, slash + 1),
                   O_RDONLY | O_DIRECTORY);
}

std::variant<std::monostate, acceptor_state, std::string> load_layout_state(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return std::monostate{};
    return os_error("cannot read", path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = parse_layout_state(text.str());
  if (auto* error = std::get_if<std::string>(&parsed)) return path + ": " + *error;
  return std::get<acceptor_state>(std::move(parsed));
}

}  // namespace ovo
