// ovoctl: inspect and change a running OVO cluster through the nodes' admin actors.
//
//   ovoctl [--node HOST:APIPORT] [--json] [--timeout SECONDS] COMMAND [ARGS...]
//   ovoctl [options] --script FILE|- [--keep-going]
//
// Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 node unreachable.

#include "actors/tls_transport.hpp"
#include "config/token_file.hpp"
#include "tools/ovoctl/commands.hpp"

#include <caf/io/middleman.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

using namespace ovo::cli;

namespace {

const char* const usage_text =
    "usage: ovoctl [--node HOST:APIPORT] [--json] [--timeout SECONDS] COMMAND [ARGS...]\n"
    "       ovoctl [options] --script FILE|- [--keep-going]\n"
    "options:\n"
    "  --node HOST:APIPORT   the node to talk to (default 127.0.0.1:5052)\n"
    "  --json                one JSON document per line instead of tables\n"
    "  --timeout SECONDS     how long to wait for a node (default 5)\n"
    "  --script FILE         run one command per line ('-': stdin; '#' starts a comment)\n"
    "  --keep-going          in a script, go on after a failing line\n"
    "  --token-file FILE     the nodes' admin token (Settings.AdminTokenFile); also read from\n"
    "                        OVOCTL_TOKEN_FILE\n"
    "  --cert FILE --key FILE --ca FILE\n"
    "                        mutual TLS with nodes whose cluster port speaks it: a certificate\n"
    "                        of the cluster's CA, its key, the CA; also read from OVOCTL_CERT,\n"
    "                        OVOCTL_KEY, OVOCTL_CA\n"
    "exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 node unreachable\n";

struct parsed_args {
  options opts;
  std::vector<std::string> words;
  bool help = false;
};

parsed_args parse(const std::vector<std::string>& args) {
  parsed_args out;
  auto value = [&](std::size_t& i, const std::string& flag) {
    if (i + 1 >= args.size()) throw cli_error(usage, flag + " needs a value");
    return args[++i];
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.help = true;
    } else if (arg == "--json") {
      out.opts.json = true;
    } else if (arg == "--keep-going") {
      out.opts.keep_going = true;
    } else if (arg == "--node") {
      out.opts.node = value(i, arg);
    } else if (arg == "--script") {
      out.opts.script = value(i, arg);
    } else if (arg == "--token-file") {
      out.opts.token_file = value(i, arg);
    } else if (arg == "--cert") {
      out.opts.cert_file = value(i, arg);
    } else if (arg == "--key") {
      out.opts.key_file = value(i, arg);
    } else if (arg == "--ca") {
      out.opts.ca_file = value(i, arg);
    } else if (arg == "--timeout") {
      const auto text = value(i, arg);
      char* end = nullptr;
      const double seconds = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end != '\0' || seconds <= 0 || seconds > 3600)
        throw cli_error(usage, "--timeout needs seconds between 0 and 3600, got " + text);
      out.opts.timeout = std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
    } else if (arg.rfind("--", 0) == 0 && out.words.empty()) {
      throw cli_error(usage, "unknown option " + arg);
    } else {  // the command and its own arguments (join's --seed)
      out.words.push_back(arg);
    }
  }
  if (!out.help && out.opts.script.empty() == out.words.empty())
    throw cli_error(usage, out.words.empty() ? "no command given"
                                             : "give either a command or --script, not both");
  parse_address(out.opts.node);  // a malformed --node is a usage error up front
  const std::pair<std::string*, const char*> from_environment[] = {
      {&out.opts.token_file, "OVOCTL_TOKEN_FILE"},
      {&out.opts.cert_file, "OVOCTL_CERT"},
      {&out.opts.key_file, "OVOCTL_KEY"},
      {&out.opts.ca_file, "OVOCTL_CA"}};
  for (const auto& [setting, variable] : from_environment)
    if (setting->empty())
      if (const char* env = std::getenv(variable)) *setting = env;
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
    std::cerr << "ovoctl: " << e.what() << "\n" << usage_text;
    return e.code;
  }
  if (args.help) {
    std::cout << usage_text << commands_help;
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
