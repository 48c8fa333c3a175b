#include "tools/ovoctl/commands.hpp"

#include "tools/ovoctl/output.hpp"

#include <unistd.h>

#include <algorithm>
#include <future>
#include <iostream>
#include <thread>

namespace ovo::cli {

const char* const commands_help =
    "commands:\n"
    "  ping                        is the node there (answers its name)\n"
    "  topology                    every node: state, slots, twins, keys\n"
    "  status [NODE]               one node: uptime, keys, counters, memory, lagging writes,\n"
    "                              replica holders out of sync, slots still arriving,\n"
    "                              stored bytes against the cap, evictions, hits and misses\n"
    "  stats                       requests served by every node, by operation\n"
    "  add-twin A B                make node B a twin of node A\n"
    "  remove-twin A B             stop B being a twin of A\n"
    "  join NODE --seed HOST:PORT  tell node NODE (name or HOST:APIPORT) to join a cluster\n"
    "  leave NODE                  hand NODE's slots to the others, then stop it\n"
    "  rebalance                   every node moves slot data to match the layout\n"
    "  verify [--repair]           every node compares its slots with their replica holders'\n"
    "                              copies (exit 1 on differences); --repair gives the older\n"
    "                              copies the newer states\n";

namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

/// Long operations may take this long whatever --timeout says.
constexpr auto long_operation = std::chrono::milliseconds(120'000);

void expect_words(const std::vector<std::string>& words, std::size_t count, const char* form) {
  if (words.size() != count) throw cli_error(usage, std::string("usage: ovoctl ") + form);
}

std::vector<node_info> topology_at(admin_client& client, const std::string& address) {
  return client.call<std::vector<node_info>>(client.connect(address), 0ms, topology_atom_v);
}

std::vector<node_info> topology_of(admin_client& client, const options& opts) {
  return topology_at(client, opts.node);
}

std::string api_address(const node_info& node) {
  return node.api_host + ":" + std::to_string(node.api_port);
}

/// The node called `name` in the topology (or the address itself when given as HOST:PORT).
std::string address_of(admin_client& client, const options& opts, const std::string& name) {
  if (name.find(':') != std::string::npos) return name;
  for (const auto& node : topology_of(client, opts))
    if (node.name == name) return api_address(node);
  throw cli_error(failed, "no node named \"" + name + "\" in the topology of " + opts.node);
}

node_status status_at(admin_client& client, const std::string& address) {
  return client.call<node_status>(client.connect(address), 0ms, status_atom_v);
}

/// "12 MiB of 64 MiB", or "12 MiB (no cap)".
std::string memory_against_cap(const node_status& s) {
  const auto mib = [](uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; };
  return mib(s.stored_bytes) +
         (s.max_memory_bytes > 0 ? " of " + mib(s.max_memory_bytes) : std::string(" (no cap)"));
}

json status_json(const node_status& s) {
  json requests = json::object();
  for (std::size_t i = 0; i < s.requests.size(); ++i)
    requests[op_name(static_cast<op>(i))] = s.requests[i];
  return {{"Name", s.name},
          {"UptimeMs", s.uptime_ms},
          {"Objects", s.objects},
          {"Counters", s.counters},
          {"RssBytes", s.rss_bytes},
          {"StoredBytes", s.stored_bytes},
          {"MaxMemoryBytes", s.max_memory_bytes},
          {"Evictions", s.evictions},
          {"EvictedBytes", s.evicted_bytes},
          {"CacheHits", s.cache_hits},
          {"CacheMisses", s.cache_misses},
          {"LaggingWrites", s.lagging_writes},
          {"OutOfSync", s.out_of_sync},
          {"Slots", s.slots},
          {"Arriving", s.arriving},
          {"Leaving", s.leaving},
          {"LayoutEpoch", s.layout_epoch},
          {"Requests", requests}};
}

void ping(admin_client& client, const options& opts, std::ostream& out) {
  const auto started = std::chrono::steady_clock::now();
  const auto name = client.call<std::string>(client.connect(opts.node), 0ms, ping_atom_v);
  const auto ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (opts.json)
    out << json{{"Name", name}, {"Address", opts.node}, {"Ms", ms}}.dump() << "\n";
  else
    out << "pong from " << name << " at " << opts.node << " in " << ms << " ms\n";
}

void topology(admin_client& client, const options& opts, std::ostream& out) {
  json nodes = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& node : topology_of(client, opts)) {
    auto entry = node_json(node);
    std::string objects = "-", counters = "-", out_of_sync = "-";
    if (node.active) {
      try {
        const auto s = status_at(client, api_address(node));
        entry["Objects"] = s.objects;
        entry["Counters"] = s.counters;
        entry["OutOfSync"] = s.out_of_sync;
        objects = std::to_string(s.objects);
        counters = std::to_string(s.counters);
        out_of_sync = std::to_string(s.out_of_sync);
      } catch (const cli_error&) {
        // Listed but not answering: shown without key counts.
      }
    }
    nodes.push_back(entry);
    const std::string state = !node.active   ? "INACTIVE"
                              : node.leaving ? "LEAVING"
                              : node.witness ? "WITNESS"
                                             : "ACTIVE";
    rows.push_back({node.name, state, std::to_string(node.hash_range.size()),
                    slot_ranges(node.hash_range), comma_list(node.twins), objects, counters,
                    out_of_sync, api_address(node)});
  }
  if (opts.json)
    out << json{{"Nodes", nodes}}.dump() << "\n";
  else
    print_table(
        out,
        {"NODE", "STATE", "SLOTS", "RANGES", "TWINS", "OBJECTS", "COUNTERS", "OUT OF SYNC", "API"},
        rows);
}

void status(admin_client& client, const options& opts, const std::vector<std::string>& words,
            std::ostream& out) {
  if (words.size() > 2) throw cli_error(usage, "usage: ovoctl status [NODE]");
  const auto s =
      status_at(client, words.size() == 2 ? address_of(client, opts, words[1]) : opts.node);
  if (opts.json) {
    out << status_json(s).dump() << "\n";
    return;
  }
  uint64_t requests = 0;
  for (auto n : s.requests) requests += n;
  print_table(out, {"FIELD", "VALUE"},
              {{"node", s.name},
               {"uptime", std::to_string(s.uptime_ms / 1000) + " s"},
               {"slots served", std::to_string(s.slots)},
               {"slots still arriving", std::to_string(s.arriving)},
               {"layout epoch", std::to_string(s.layout_epoch)},
               {"objects", std::to_string(s.objects)},
               {"counters", std::to_string(s.counters)},
               {"memory (RSS)", std::to_string(s.rss_bytes / (1024 * 1024)) + " MiB"},
               {"stored (accounted)", memory_against_cap(s)},
               {"evictions", std::to_string(s.evictions) + " (" +
                                 std::to_string(s.evicted_bytes / (1024 * 1024)) + " MiB)"},
               {"cache hits / misses",
                std::to_string(s.cache_hits) + " / " + std::to_string(s.cache_misses)},
               {"lagging replica writes", std::to_string(s.lagging_writes)},
               {"replica holders out of sync", std::to_string(s.out_of_sync)},
               {"requests", std::to_string(requests)},
               {"leaving", s.leaving ? "yes" : "no"}});
}

void stats(admin_client& client, const options& opts, std::ostream& out) {
  json nodes = json::array();
  std::vector<std::vector<std::string>> rows;
  for (const auto& node : topology_of(client, opts)) {
    if (!node.active) continue;
    const auto s = status_at(client, api_address(node));
    nodes.push_back(status_json(s));
    uint64_t reads = 0, writes = 0, counters = 0, other = 0;
    for (std::size_t i = 0; i < s.requests.size(); ++i) {
      const auto kind = static_cast<op>(i);
      auto& bucket = is_counter_op(kind)     ? counters
                     : is_node_wide_op(kind) ? other
                     : is_write_op(kind)     ? writes
                                             : reads;
      bucket += s.requests[i];
    }
    rows.push_back({s.name, std::to_string(reads), std::to_string(writes), std::to_string(counters),
                    std::to_string(other), std::to_string(reads + writes + counters + other)});
  }
  if (opts.json)
    out << json{{"Nodes", nodes}}.dump() << "\n";
  else
    print_table(out, {"NODE", "READS", "WRITES", "COUNTERS", "OTHER", "TOTAL"}, rows);
}

void change_twin(admin_client& client, const options& opts, const std::vector<std::string>& words,
                 bool add, std::ostream& out) {
  expect_words(words, 3, add ? "add-twin A B" : "remove-twin A B");
  client.call<bool>(client.connect(address_of(client, opts, words[1])), 0ms, twin_atom_v, words[2],
                    add);
  if (opts.json)
    out << json{{"Node", words[1]}, {"Twin", words[2]}, {"Added", add}}.dump() << "\n";
  else
    out << words[2] << (add ? " is now a twin of " : " is no longer a twin of ") << words[1]
        << "\n";
}

bool reaches(const std::vector<node_info>& view, const std::string& name) {
  return std::any_of(view.begin(), view.end(),
                     [&](const node_info& node) { return node.name == name && node.active; });
}

/// Whether `view` has `name` serving: reached, and holding slots unless it is a witness (under
/// the majority rule a node reached is given slots only by the next agreed layout).
bool serving_in(const std::vector<node_info>& view, const std::string& name) {
  return std::any_of(view.begin(), view.end(), [&](const node_info& node) {
    return node.name == name && node.active && (node.witness || !node.hash_range.empty());
  });
}

/// What keeps node `name` (at `address`) from serving in the cluster of `seed`: a node the seed
/// reaches that it does not reach, or that does not reach it or give it its slots yet. Empty
/// once there is none: then every node forwards to it and hands it slot data without an error.
std::string not_yet_joined(admin_client& client, const std::string& address,
                           const std::string& name, const std::string& seed) {
  auto not_serving = [&](const std::string& who, const std::vector<node_info>& view) {
    if (!reaches(view, name)) return who + " does not reach " + name + " yet";
    if (!serving_in(view, name))
      return who + " has not agreed a layout giving " + name + " its slots yet";
    return std::string{};
  };
  const auto seen_by_seed = topology_at(client, seed);
  if (auto why = not_serving(seed, seen_by_seed); !why.empty()) return why;
  const auto own_view = topology_at(client, address);
  if (auto why = not_serving(name, own_view); !why.empty()) return why;
  for (const auto& node : seen_by_seed) {
    if (node.name == name || !node.active) continue;
    if (!reaches(own_view, node.name)) return name + " does not reach " + node.name + " yet";
    if (auto why = not_serving(node.name, topology_at(client, api_address(node))); !why.empty())
      return why;
  }
  return {};
}

void join(admin_client& client, const options& opts, const std::vector<std::string>& words,
          std::ostream& out) {
  if (words.size() != 4 || words[2] != "--seed")
    throw cli_error(usage, "usage: ovoctl join NODE --seed HOST:PORT");
  const auto [seed_host, seed_port] = parse_address(words[3]);
  const auto address = address_of(client, opts, words[1]);
  auto admin = client.connect(address);
  const auto name = client.call<std::string>(admin, 0ms, ping_atom_v);
  client.call<bool>(admin, long_operation, caf::join_atom_v, seed_host, seed_port);
  // Done when it and every node the seed reaches reach each other (bounded by the timeout).
  std::string missing;
  const auto deadline = std::chrono::steady_clock::now() + client.timeout();
  do {
    try {
      missing = not_yet_joined(client, address, name, words[3]);
    } catch (const cli_error& err) {
      missing = err.what();  // a node not answering for a moment: ask again
    }
    if (missing.empty()) break;
    std::this_thread::sleep_for(100ms);
  } while (std::chrono::steady_clock::now() < deadline);
  if (!missing.empty())
    throw cli_error(failed, words[1] + " did not join the cluster of " + words[3] + ": " + missing);
  const auto known = topology_at(client, address).size();
  if (opts.json)
    out << json{{"Node", words[1]}, {"Seed", words[3]}, {"Nodes", known}}.dump() << "\n";
  else
    out << words[1] << " joined the cluster of " << words[3] << " (" << known << " nodes)\n";
}

/// One progress line: a terminal line rewritten in place, or a JSON line.
void progress(const options& opts, std::ostream& out, const json& event, const std::string& text) {
  if (opts.json)
    out << event.dump() << "\n" << std::flush;
  else if (::isatty(STDOUT_FILENO))
    out << "\r" << text << "   " << std::flush;
}

void leave(admin_client& client, const options& opts, const std::vector<std::string>& words,
           std::ostream& out) {
  expect_words(words, 2, "leave NODE");
  const auto address = address_of(client, opts, words[1]);
  auto admin = client.connect(address);
  auto done = std::async(std::launch::async, [&client, admin] {
    return client.call<bool>(admin, long_operation, leave_atom_v);
  });
  while (done.wait_for(500ms) != std::future_status::ready) {
    try {
      const auto s = client.call<node_status>(admin, 1000ms, status_atom_v);
      progress(opts, out,
               {{"Event", "progress"},
                {"Node", s.name},
                {"Objects", s.objects},
                {"Counters", s.counters}},
               "leaving " + s.name + ": " + std::to_string(s.objects) + " objects, " +
                   std::to_string(s.counters) + " counters still here");
    } catch (const cli_error&) {
      // Busy or already stopping: the leave's own answer decides.
    }
  }
  done.get();
  if (opts.json)
    out << json{{"Event", "done"}, {"Node", words[1]}, {"Left", true}}.dump() << "\n";
  else
    out << (::isatty(STDOUT_FILENO) ? "\n" : "") << words[1]
        << " handed every slot over and is stopping\n";
}

/// Slots still arriving on the nodes reached so far, by node name (those that answered in
/// time: a poll never waits on a node that cannot be reached).
std::map<std::string, uint32_t> arriving_slots(admin_client& client) {
  std::map<std::string, uint32_t> out;
  for (const auto& [address, admin] : client.connected()) {
    try {
      const auto s = client.call<node_status>(admin, 500ms, status_atom_v);
      out[s.name] = s.arriving;
    } catch (const cli_error&) {
      // Busy or frozen: the next poll asks again.
    }
  }
  return out;
}

/// Runs one node's pass, showing meanwhile the slots still arriving on every node reached.
pass_report pass_with_progress(admin_client& client, const options& opts, const node_info& node,
                               std::ostream& out) {
  auto admin = client.connect(api_address(node));
  auto done = std::async(std::launch::async, [&client, admin] {
    return client.call<pass_report>(admin, long_operation, rebalance_atom_v);
  });
  while (done.wait_for(500ms) != std::future_status::ready) {
    json by_node = json::object();
    uint32_t total = 0;
    for (const auto& [name, slots] : arriving_slots(client)) {
      by_node[name] = slots;
      total += slots;
    }
    progress(opts, out, {{"Event", "progress"}, {"Node", node.name}, {"Arriving", by_node}},
             node.name + "'s pass: " + std::to_string(total) + " slots still arriving");
  }
  if (!opts.json && ::isatty(STDOUT_FILENO)) out << "\n";
  return done.get();
}

void rebalance(admin_client& client, const options& opts, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  uint32_t failed_slots = 0;
  for (const auto& node : topology_of(client, opts)) {
    if (!node.active) continue;
    const auto report = pass_with_progress(client, opts, node, out);
    failed_slots += report.slots_failed;
    if (opts.json)
      out << json{{"Event", "node"},
                  {"Node", node.name},
                  {"SlotsMoved", report.slots_moved},
                  {"SlotsFailed", report.slots_failed},
                  {"Entries", report.entries_sent},
                  {"Ms", report.duration_ms}}
                 .dump()
          << "\n"
          << std::flush;
    rows.push_back({node.name, std::to_string(report.slots_moved),
                    std::to_string(report.slots_failed), std::to_string(report.entries_sent),
                    std::to_string(report.duration_ms)});
  }
  if (!opts.json) print_table(out, {"NODE", "SLOTS MOVED", "FAILED", "ENTRIES", "MS"}, rows);
  if (failed_slots > 0)
    throw cli_error(failed, std::to_string(failed_slots) + " slots could not be moved");
}

void verify(admin_client& client, const options& opts, const std::vector<std::string>& words,
            std::ostream& out) {
  const bool repair = words.size() == 2 && words[1] == "--repair";
  if (words.size() > 2 || (words.size() == 2 && !repair))
    throw cli_error(usage, "usage: ovoctl verify [--repair]");
  std::vector<std::vector<std::string>> rows;
  uint64_t unrepaired = 0, skipped = 0;
  for (const auto& node : topology_of(client, opts)) {
    if (!node.active || node.hash_range.empty()) continue;
    const auto started = std::chrono::steady_clock::now();
    const auto report = client.call<verify_report>(client.connect(api_address(node)),
                                                   long_operation, verify_atom_v, repair);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    unrepaired += report.keys_differing - report.keys_repaired;
    skipped += report.slots_skipped;
    if (opts.json)
      out << json{{"Event", "node"},
                  {"Node", node.name},
                  {"SlotsChecked", report.slots_checked},
                  {"SlotsSkipped", report.slots_skipped},
                  {"KeysDiffering", report.keys_differing},
                  {"KeysRepaired", report.keys_repaired},
                  {"Ms", ms}}
                 .dump()
          << "\n"
          << std::flush;
    rows.push_back({node.name, std::to_string(report.slots_checked),
                    std::to_string(report.slots_skipped), std::to_string(report.keys_differing),
                    std::to_string(report.keys_repaired), std::to_string(ms)});
  }
  if (!opts.json)
    print_table(out, {"NODE", "SLOTS CHECKED", "SKIPPED", "KEYS DIFFERING", "REPAIRED", "MS"},
                rows);
  if (unrepaired > 0)
    throw cli_error(failed, std::to_string(unrepaired) + " keys differ between copies" +
                                (repair ? " and could not be repaired" : "; run verify --repair"));
  if (skipped > 0)
    throw cli_error(failed, std::to_string(skipped) +
                                " slots could not be compared (a replica holder unreachable or "
                                "not holding the slot yet); the node logs say which");
}

}  // namespace

void run_command(admin_client& client, const options& opts, const std::vector<std::string>& words,
                 std::ostream& out) {
  if (words.empty()) throw cli_error(usage, "no command given");
  const auto& name = words[0];
  if (name == "ping") {
    expect_words(words, 1, "ping");
    ping(client, opts, out);
  } else if (name == "topology") {
    expect_words(words, 1, "topology");
    topology(client, opts, out);
  } else if (name == "status") {
    status(client, opts, words, out);
  } else if (name == "stats") {
    expect_words(words, 1, "stats");
    stats(client, opts, out);
  } else if (name == "add-twin" || name == "remove-twin") {
    change_twin(client, opts, words, name == "add-twin", out);
  } else if (name == "join") {
    join(client, opts, words, out);
  } else if (name == "leave") {
    leave(client, opts, words, out);
  } else if (name == "rebalance") {
    expect_words(words, 1, "rebalance");
    rebalance(client, opts, out);
  } else if (name == "verify") {
    verify(client, opts, words, out);
  } else {
    throw cli_error(usage, "unknown command \"" + name + "\"");
  }
}

}  // namespace ovo::cli
