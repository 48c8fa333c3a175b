#pragma once
// ovoctl's side of the admin protocol: connects to a node's APIPort through CAF's middleman
// (never the blocking remote_actor) and makes one request at a time, each bounded in time.

#include "actors/interfaces.hpp"

#include <caf/all.hpp>
#include <caf/io/middleman_actor.hpp>

#include <chrono>
#include <map>
#include <stdexcept>
#include <string>

namespace ovo::cli {

/// Exit codes (README "ovoctl").
enum exit_code : int { ok = 0, failed = 1, usage = 2, unreachable = 3 };

/// Stops a command: what to print and the exit code.
struct cli_error : std::runtime_error {
  cli_error(int code, const std::string& message) : std::runtime_error(message), code(code) {}
  int code;
};

/// "host:port" -> (host, port); a usage error when malformed.
std::pair<std::string, uint16_t> parse_address(const std::string& text);

class admin_client {
 public:
  /// `admin_token`: what the nodes' Settings.AdminTokenFile holds ("" when they have none);
  /// `transport` connects to the nodes (CAF's middleman actor, or the TLS one).
  admin_client(caf::actor_system& system, std::chrono::milliseconds timeout,
               std::string admin_token, caf::io::middleman_actor transport)
      : system_(system),
        timeout_(timeout),
        admin_token_(std::move(admin_token)),
        transport_(std::move(transport)) {}

  /// The admin actor of the node whose APIPort is at `address` ("host:port").
  admin_actor connect(const std::string& address);

  /// One request to `admin`, answered within `timeout` (the default one when zero).
  template <class Result, class... Ts>
  Result call(const admin_actor& admin, std::chrono::milliseconds timeout, Ts... xs) {
    caf::scoped_actor self{system_};
    Result result{};
    caf::error failure;
    self->request(admin, timeout.count() > 0 ? timeout : timeout_, std::move(xs)...)
        .receive([&](Result& answer) { result = std::move(answer); },
                 [&](caf::error& err) { failure = std::move(err); });
    if (failure) throw error_for(failure);
    return result;
  }

  std::chrono::milliseconds timeout() const { return timeout_; }

  /// The admin actors reached so far, by address (never connects).
  const std::map<std::string, admin_actor>& connected() const { return connected_; }

 private:
  cli_error error_for(const caf::error& err) const;

  caf::actor_system& system_;
  std::chrono::milliseconds timeout_;
  std::string admin_token_;
  caf::io::middleman_actor transport_;
  std::map<std::string, admin_actor> connected_;
};

}  // namespace ovo::cli
