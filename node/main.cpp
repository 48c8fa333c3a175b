// The OVO node: load the configuration, start the actors and the REST API, serve until
// SIGINT/SIGTERM, then drain and stop in order (REST first, so no reply targets a dead actor).

#include <csignal>
#include <iostream>
#include <thread>

#include "command_line.hpp"
#include "http_server.hpp"
#include "interfaces.hpp"
#include "local_node.hpp"
#include "logging.hpp"
#include "server_config.hpp"

namespace {

/// Blocks the stop signals in this thread and every thread started after it, so sigwait in
/// main is the only place they arrive.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

unsigned actor_threads(const ovo::node_settings& settings) {
  if (settings.actor_threads != 0) return settings.actor_threads;
  return std::max(1u, std::thread::hardware_concurrency() / 2);
}

/// The live topology as `<conf>.temp` holds it: this node is always listed.
ovo::server_config live_topology(ovo::server_config config) {
  bool listed = false;
  for (const auto& node : config.topology) listed = listed || node.name == config.self.name;
  if (!listed) config.topology.insert(config.topology.begin(), config.self);
  return config;
}

int run_node(const ovo::server_config& config, const std::string& config_path) {
  auto log = ovo::component_log("node");
  if (config.name_was_generated) log->info("no Name configured; this node is {}", config.self.name);
  if (auto error = ovo::write_file_atomically(config_path + ".temp",
                                              ovo::render_config(live_topology(config))))
    log->warn("cannot write the live topology file: {}; a restart from it will not work", *error);

  const auto stop_signals = block_stop_signals();
  caf::actor_system_config caf_config;
  caf_config.add_message_types<caf::id_block::ovo>();
  // CAF defaults to at least 4 polling workers; on small machines they steal CPU from the
  // REST threads. Half the cores by default: measured best on 2 cores (README "Performance").
  caf_config.set("scheduler.max-threads", static_cast<size_t>(actor_threads(config.settings)));
  caf::actor_system system{caf_config};
  ovo::local_node node(system, config, ovo::steady_clock_source());
  ovo::http_server server(node, config);
  try {
    server.start();
  } catch (const std::exception& e) {
    log->error("cannot serve REST on {}:{}: {}; is the port free?", config.self.host,
               config.self.port, e.what());
    node.stop();
    return 1;
  }
  log->info("node {} ready with {} shards", config.self.name, config.settings.shards);
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log->info("received {}; draining requests and stopping", strsignal(signal_number));
  server.stop(ovo::defaults::drain_timeout);
  node.stop();
  log->info("node {} stopped", config.self.name);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = ovo::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.error.empty()) {
    std::cerr << "ovo: " << args.error << "\n" << ovo::usage_text;
    return 2;
  }
  if (args.help) {
    std::cout << ovo::usage_text;
    return 0;
  }
  if (args.version) {
    std::cout << "ovo " << OVO_VERSION << "\n";
    return 0;
  }
  auto loaded = ovo::load_config(args.config_path);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::cerr << "ovo: " << error << "\n";
    std::cerr << "ovo: not started: fix the configuration above\n";
    return 2;
  }
  ovo::setup_logging(loaded.config->self.name, loaded.config->settings.log_level);
  return run_node(*loaded.config, args.config_path);
}
