// The OVO node: load the configuration, start the actors and the REST API, serve until
// SIGINT/SIGTERM, then drain and stop in order (REST first, so no reply targets a dead actor).

#include "actors/interfaces.hpp"
#include "actors/local_node.hpp"
#include "actors/tls_transport.hpp"
#include "config/layout_file.hpp"
#include "config/server_config.hpp"
#include "core/logging.hpp"
#include "core/secrets.hpp"
#include "core/tls_hello.hpp"
#include "node/cluster_listener.hpp"
#include "node/command_line.hpp"
#include "rest/http_server.hpp"

#include <caf/io/middleman.hpp>
#include <caf/io/network/multiplexer.hpp>

#include <systemd/sd-daemon.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

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

/// The configuration with the live topology, as `<conf>.temp` holds it.
ovo::server_config live_topology(ovo::server_config config,
                                 const std::vector<ovo::node_info>& nodes) {
  config.twins = nodes.front().twins;  // this node first: its twins may change live (ovoctl)
  config.topology.clear();
  for (const auto& node : nodes)
    config.topology.push_back(
        {node.name, node.host, node.port, node.api_host, node.api_port, node.joined_at_ms});
  return config;
}

/// Writes `<conf>.temp`, so a restart from it rejoins the same cluster.
void write_topology_file(const ovo::server_config& config, const std::string& config_path,
                         const std::vector<ovo::node_info>& nodes) {
  const auto path = config_path + ".temp";
  if (auto error =
          ovo::write_file_atomically(path, ovo::render_config(live_topology(config, nodes))))
    ovo::component_log("node")->warn("cannot write {}: {}; a restart from it will not rejoin", path,
                                     *error);
}

/// Opens the cluster port (APIPort) for the other nodes and ovoctl, speaking TLS when `tls` is
/// given; nullptr when no port is configured. Throws std::runtime_error when it cannot listen.
std::unique_ptr<ovo::cluster_listener> open_cluster_port(caf::actor_system& system,
                                                         const ovo::local_node& node,
                                                         const ovo::server_config& config,
                                                         const ovo::tls_transport* tls) {
  const auto& self = config.self;
  auto log = ovo::component_log("node");
  if (self.api_port == 0) {
    log->info("no APIPort configured: serving alone");
    return nullptr;
  }
  ovo::socket_adopter adopt = [&system](int fd) {
    return system.middleman().backend().new_scribe(fd);
  };
  if (tls) adopt = [tls](int fd) { return tls->adopt(fd); };
  auto listener = std::make_unique<ovo::cluster_listener>(
      system, caf::actor_cast<caf::strong_actor_ptr>(node.endpoint()),
      system.message_types(node.endpoint()), self.api_host, self.api_port,
      tls ? ovo::check_tls_client_hello : ovo::check_client_handshake, std::move(adopt));
  const auto where = self.api_host.empty() ? std::string("*") : self.api_host;
  log->info("cluster API on {}:{} ({})", where, listener->port(), tls ? "mutual TLS" : "plaintext");
  if (!tls && !ovo::is_loopback_host(self.api_host))
    log->warn(
        "the cluster port speaks plaintext (Settings.AllowPlaintextCluster): whoever reaches "
        "{}:{} and completes CAF's handshake is trusted as a peer; use it on a trusted network "
        "only (docs/security.md)",
        where, listener->port());
  return listener;
}

/// The cluster port's TLS identity, or nullptr when the settings name none. Throws
/// std::runtime_error naming the file that could not be used.
std::unique_ptr<ovo::tls_transport> cluster_tls(caf::actor_system& system,
                                                const ovo::node_settings& settings) {
  if (!settings.cluster_tls()) return nullptr;
  return std::make_unique<ovo::tls_transport>(
      system, ovo::tls_files{settings.cluster_cert_file, settings.cluster_key_file,
                             settings.cluster_ca_file});
}

/// Graceful leave: waits (bounded) until every slot is handed to the other nodes. REST keeps
/// serving meanwhile; requests are forwarded to the slots' new owners.
void leave_cluster(caf::actor_system& system, const ovo::local_node& node) {
  auto log = ovo::component_log("node");
  caf::scoped_actor self{system};
  self->request(node.cluster(), ovo::defaults::leave_timeout, ovo::leave_atom_v)
      .receive([&](bool) { log->info("left the cluster: every slot handed over"); },
               [&](caf::error& err) {
                 log->error("leaving the cluster did not finish: {}; stopping anyway",
                            system.render(err));
               });
}

/// The node's vote in the layout register, kept in `<conf>.layout` (docs/cluster.md, "Layout
/// epochs"); nothing when the file cannot be read, which stops the node: starting without the
/// vote it gave would let it vote twice in one epoch.
std::optional<ovo::layout_vote_store> layout_votes(const std::string& config_path) {
  const auto path = ovo::layout_path_for(config_path);
  auto loaded = ovo::load_layout_state(path);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    ovo::component_log("node")->error(
        "{}; not starting. If the file is lost for good, delete it: the node then comes back "
        "as a new member, and votes once the cluster's layout names it again",
        *error);
    return std::nullopt;
  }
  ovo::layout_vote_store store;
  if (auto* saved = std::get_if<ovo::acceptor_state>(&loaded)) {
    ovo::component_log("node")->info("layout vote of the last run read from {} (epoch {})", path,
                                     saved->installed.epoch);
    store.saved = std::move(*saved);
  }
  store.save = [path](const ovo::acceptor_state& state) {
    if (auto error = ovo::save_layout_state(path, state)) {
      ovo::component_log("node")->error("{}", *error);
      return false;
    }
    return true;
  };
  return store;
}

int run_node(const ovo::server_config& config, const std::string& config_path) {
  auto log = ovo::component_log("node");
  if (config.name_was_generated) log->info("no Name configured; this node is {}", config.self.name);
  const auto stop_signals = block_stop_signals();
  // A client that closes its socket mid-answer must cost that connection, not the process:
  // Pistache's TLS writes use write(2), which raises SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  caf::actor_system_config caf_config;
  ovo::add_ovo_message_types(caf_config);
  caf_config.load<caf::io::middleman>();
  // Off by default in CAF 0.17: without them a frozen peer is never noticed.
  caf_config.set("middleman.heartbeat-interval", caf::timespan{ovo::defaults::heartbeat_interval});
  caf_config.set("middleman.connection-timeout", caf::timespan{ovo::defaults::connection_timeout});
  // CAF defaults to at least 4 polling workers; on small machines they steal CPU from the
  // REST threads. Half the cores by default: measured best on 2 cores (README "Performance").
  caf_config.set("scheduler.max-threads", static_cast<size_t>(actor_threads(config.settings)));
  // REST requests run their actors on the REST thread (inline_execution.hpp), so workers are
  // often idle; CAF's default has an idle worker wake every 50 us to poll (~5k wake-ups/s, a
  // tenth of a core here, which cost inline execution its GET gain). Without that phase it
  // waits on its condition variable, which every message from another thread signals.
  caf_config.set("work-stealing.moderate-poll-attempts", size_t{0});
  caf::actor_system system{caf_config};
  std::unique_ptr<ovo::tls_transport> tls;
  try {
    tls = cluster_tls(system, config.settings);
  } catch (const std::exception& e) {
    log->error("cannot set up mutual TLS for the cluster port: {}", e.what());
    return 2;
  }
  auto votes = layout_votes(config_path);
  if (!votes) return 2;
  ovo::local_node node(
      system, config, ovo::steady_clock_source(),
      [config, config_path](const std::vector<ovo::node_info>& nodes) {
        write_topology_file(config, config_path, nodes);
      },
      tls ? tls->connector() : caf::io::middleman_actor{}, std::move(*votes));
  write_topology_file(config, config_path, {node.self_info()});
  std::unique_ptr<ovo::cluster_listener> cluster_port;
  try {
    cluster_port = open_cluster_port(system, node, config, tls.get());
  } catch (const std::exception& e) {
    log->error("cannot open the cluster API on {}:{}: {}; is the port free?", config.self.api_host,
               config.self.api_port, e.what());
    node.stop();
    return 1;
  }
  ovo::http_server server(node, config);
  try {
    server.start();
  } catch (const std::exception& e) {
    log->error("cannot serve REST on {}:{}: {} (is the port free{}?)", config.self.host,
               config.self.port, e.what(),
               config.settings.rest_tls() ? ", are RestCertFile and RestKeyFile a certificate "
                                            "and its key in PEM"
                                          : "");
    node.stop();
    return 1;
  }
  log->info("node {} ready with {} shards", config.self.name, config.settings.shards);
  // systemd's Type=notify (conf/systemd/ovo.service); a no-op without NOTIFY_SOCKET.
  sd_notifyf(0, "READY=1\nSTATUS=serving REST on %s:%u", config.self.host.c_str(),
             static_cast<unsigned>(config.self.port));
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  sd_notify(0, "STOPPING=1");
  if (config.settings.leave_on_shutdown && signal_number == SIGTERM) {
    log->info("received {}; leaving the cluster first (LeaveOnShutdown)", strsignal(signal_number));
    leave_cluster(system, node);
  }
  log->info("received {}; draining requests and stopping", strsignal(signal_number));
  server.stop(ovo::defaults::drain_timeout);
  cluster_port.reset();  // no new peer connections while the actors stop
  node.stop();
  log->info("node {} stopped", config.self.name);
  return 0;
}

/// "--port, OVO_NAME": where the settings the file does not decide came from.
std::string override_origins(const std::vector<ovo::setting_override>& overrides) {
  std::string out;
  for (const auto& given : overrides) out += (out.empty() ? "" : ", ") + given.origin;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const auto args = ovo::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (!args.error.empty()) {
    std::cerr << "ovo: " << args.error << "\n" << ovo::usage_text();
    return 2;
  }
  if (args.help) {
    std::cout << ovo::usage_text();
    return 0;
  }
  if (args.version) {
    std::cout << "ovo " << OVO_VERSION << "\n";
    return 0;
  }
  auto loaded = ovo::load_config(args.config_path, args.overrides, !args.config_path_given);
  if (!loaded.config) {
    for (const auto& error : loaded.errors) std::cerr << "ovo: " << error << "\n";
    std::cerr << "ovo: not started: fix the configuration above\n";
    return 2;
  }
  if (args.print_config) {
    std::cout << ovo::render_config(*loaded.config);
    return 0;
  }
  const auto& settings = loaded.config->settings;
  ovo::setup_logging(loaded.config->self.name, settings.log_level, settings.json_logs);
  if (!args.overrides.empty())
    ovo::component_log("node")->info("{} with settings from {}", args.config_path,
                                     override_origins(args.overrides));
  return run_node(*loaded.config, args.config_path);
}
