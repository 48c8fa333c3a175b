#pragma once
// The ovoctl commands. Each prints its result to `out` (table or JSON lines) and throws
// cli_error when it cannot do what was asked.

#include "tools/ovoctl/admin_client.hpp"

#include <chrono>
#include <iosfwd>
#include <string>
#include <vector>

namespace ovo::cli {

struct options {
  std::string node = "127.0.0.1:5052";  ///< APIPort of the node to talk to
  bool json = false;
  std::chrono::milliseconds timeout{5000};
  std::string script;  ///< file of commands ("-": stdin); empty: the command line
  bool keep_going = false;
  /// A file holding the nodes' admin token (--token-file, else OVOCTL_TOKEN_FILE); "": none.
  std::string token_file;
  /// Mutual TLS with the nodes (--cert/--key/--ca, else OVOCTL_CERT/_KEY/_CA): all or none.
  std::string cert_file, key_file, ca_file;
};

/// The command list for --help.
extern const char* const commands_help;

/// Runs one command (its words, e.g. {"add-twin", "a", "b"}).
void run_command(admin_client& client, const options& opts, const std::vector<std::string>& words,
                 std::ostream& out);

}  // namespace ovo::cli
