// ovoctl: inspect and change a running OVO cluster through the nodes' admin actors.
//
//   ovoctl [--node HOST:APIPORT] [--json] [--timeout SECONDS] COMMAND [ARGS...]
//   ovoctl [options] --script FILE|- [--keep-going]
//
// Every option but --script and --keep-going is also read from OVOCTL_<NAME> (the flag wins).
// Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 node unreachable.

#include "actors/tls_transport.hpp"
#include "config/token_file.hpp"
#include "tools/ovoctl/commands.hpp"

#include <caf/io/middleman.hpp>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

using namespace ovo::cli;

namespace {

struct parsed_args {
  options opts;
  std::vector<std::string> words;
  bool help = false;
  std::string usage;  ///< what --help prints before the command list
};

/// The options (CLI11); each also read from its OVOCTL_* variable when not given.
void describe(CLI::App& app, options& opts, double& timeout_seconds) {
  app.add_option("--node", opts.node, "the node to talk to (default 127.0.0.1:5052)")
      ->envname("OVOCTL_NODE")
      ->type_name("HOST:APIPORT");
  app.add_flag("--json", opts.json, "one JSON document per line instead of tables")
      ->envname("OVOCTL_JSON");
  app.add_option("--timeout", timeout_seconds, "how long to wait for a node (default 5)")
      ->envname("OVOCTL_TIMEOUT")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 3600.0));
  app.add_option("--script", opts.script,
                 "run one command per line ('-': stdin; '#' starts a comment)")
      ->type_name("FILE");
  app.add_flag("--keep-going", opts.keep_going, "in a script, go on after a failing line");
  app.add_option("--token-file", opts.token_file,
                 "the nodes' admin token (Settings.AdminTokenFile)")
      ->envname("OVOCTL_TOKEN_FILE")
      ->type_name("FILE");
  app.add_option("--cert", opts.cert_file,
                 "mutual TLS with nodes whose cluster port speaks it: a certificate of the "
                 "cluster's CA (with --key and --ca)")
      ->envname("OVOCTL_CERT")
      ->type_name("FILE");
  app.add_option("--key", opts.key_file, "the certificate's key")
      ->envname("OVOCTL_KEY")
      ->type_name("FILE");
  app.add_option("--ca", opts.ca_file, "the cluster's CA")->envname("OVOCTL_CA")->type_name("FILE");
  // The command and its own words (join's --seed, verify's --repair) are left in order.
  app.allow_extras();
  app.footer("exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 node unreachable");
}

std::string usage_text() {
  options opts;
  double seconds = 5;
  CLI::App app{"ovoctl: inspect and change a running OVO cluster", "ovoctl"};
  describe(app, opts, seconds);
  return app.help("", CLI::AppFormatMode::Normal);
}

parsed_args parse(const std::vector<std::string>& args) {
  parsed_args out;
  double timeout_seconds = 5;
  CLI::App app{"ovoctl: inspect and change a running OVO cluster", "ovoctl"};
  describe(app, out.opts, timeout_seconds);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // as CLI11 takes them
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out.help = true;
    return out;
  } catch (const CLI::ParseError& e) {
    throw cli_error(usage, e.what());
  }
  out.opts.timeout = std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  out.words = app.remaining();
  if (!out.words.empty() && out.words.front().rfind("-", 0) == 0)
    throw cli_error(usage, "unknown option " + out.words.front());
  if (out.opts.script.empty() == out.words.empty())
    throw cli_error(usage, out.words.empty() ? "no command given"
                                             : "give either a command or --script, not both");
  parse_address(out.opts.node);  // a malformed --node is a usage error up front
  const int tls_files =
      !out.opts.cert_file.empty() + !out.opts.key_file.empty() + !out.opts.ca_file.empty();
  if (tls_files != 0 && tls_files != 3)
    throw cli_error(usage,
                    "mutual TLS needs --cert, --key and --ca (or OVOCTL_CERT, OVOCTL_KEY, "
                    "OVOCTL_CA) together");
  return out;
}

/// The token in `path` without surrounding whitespace; a usage error when it cannot be read.
std::string read_token(const std::string& path) {
  if (path.empty()) return {};
  const auto token = ovo::read_token_file(path);
  if (!token || token->empty()) throw cli_error(usage, "cannot read an admin token from " + path);
  return *token;
}

std::vector<std::string> split_words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

/// Runs every line; stops at the first failure unless --keep-going. Gives the first failure's
/// exit code (0 when every line worked).
int run_script(admin_client& client, const options& opts) {
  std::ifstream file;
  if (opts.script != "-") {
    file.open(opts.script);
    if (!file) throw cli_error(usage, "cannot read script " + opts.script);
  }
  std::istream& in = opts.script == "-" ? std::cin : file;
  int first_failure = ok;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    const auto words = split_words(line.substr(0, line.find('#')));
    if (words.empty()) continue;
    try {
      run_command(client, opts, words, std::cout);
    } catch (const cli_error& e) {
      std::cerr << "ovoctl: line " << line_number << " (" << line << ") failed: " << e.what()
                << "\n";
      if (first_failure == ok) first_failure = e.code;
      if (!opts.keep_going) return e.code;
    }
  }
  return first_failure;
}

}  // namespace

int main(int argc, char** argv) {
  parsed_args args;
  try {
    args = parse(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const cli_error& e) {
    std::cerr << "ovoctl: " << e.what() << "\n" << usage_text();
    return e.code;
  }
  if (args.help) {
    std::cout << usage_text() << commands_help;
    return ok;
  }
  caf::actor_system_config config;
  ovo::add_ovo_message_types(config);
  config.load<caf::io::middleman>();
  caf::actor_system system{config};
  try {
    std::unique_ptr<ovo::tls_transport> tls;
    if (!args.opts.cert_file.empty()) {
      try {
        tls = std::make_unique<ovo::tls_transport>(
            system, ovo::tls_files{args.opts.cert_file, args.opts.key_file, args.opts.ca_file});
      } catch (const std::runtime_error& e) {
        throw cli_error(usage, e.what());
      }
    }
    admin_client client(system, args.opts.timeout, read_token(args.opts.token_file),
                        tls ? tls->connector() : system.middleman().actor_handle());
    if (!args.opts.script.empty()) return run_script(client, args.opts);
    run_command(client, args.opts, args.words, std::cout);
    return ok;
  } catch (const cli_error& e) {
    std::cerr << "ovoctl: " << e.what() << "\n";
    if (e.code == usage) std::cerr << commands_help;
    return e.code;
  }
}
