#include "tools/ovoctl/admin_client.hpp"

#include <caf/io/middleman.hpp>

namespace ovo::cli {

std::pair<std::string, uint16_t> parse_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw cli_error(usage, "expected HOST:PORT, got \"" + text + "\"");
  const auto port_text = text.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5 ||
      std::stoul(port_text) == 0 || std::stoul(port_text) > 65535)
    throw cli_error(usage, "bad port in \"" + text + "\"");
  return {text.substr(0, colon), static_cast<uint16_t>(std::stoul(port_text))};
}

cli_error admin_client::error_for(const caf::error& err) const {
  const auto text = system_.render(err);
  if (err == caf::sec::request_timeout)
    return cli_error(unreachable, "the node did not answer within the timeout");
  if (err == caf::sec::request_receiver_down) return cli_error(unreachable, "the node went away");
  return cli_error(failed, text);
}

admin_actor admin_client::connect(const std::string& address) {
  if (auto it = connected_.find(address); it != connected_.end()) return it->second;
  const auto [host, port] = parse_address(address);
  caf::scoped_actor self{system_};
  caf::strong_actor_ptr remote;
  caf::error failure;
  self->request(transport_, timeout_, caf::connect_atom_v, host, port)
      .receive([&](const caf::node_id&, caf::strong_actor_ptr& handle,
                   const std::set<std::string>&) { remote = std::move(handle); },
               [&](caf::error& err) { failure = std::move(err); });
  if (failure || !remote)
    throw cli_error(unreachable, "cannot reach a node at " + address +
                                     (failure ? ": " + system_.render(failure) : "") +
                                     " (a node whose cluster port speaks TLS needs --cert, "
                                     "--key and --ca)");
  auto cluster = caf::actor_cast<cluster_endpoint_actor>(std::move(remote));
  admin_actor admin;
  self->request(cluster, timeout_, admin_atom_v, admin_token_)
      .receive([&](admin_actor& handle) { admin = std::move(handle); },
               [&](caf::error& err) { failure = std::move(err); });
  if (failure == caf::sec::invalid_argument)
    throw cli_error(failed, address +
                                " refused admin access (give the node's admin token with "
                                "--token-file or OVOCTL_TOKEN_FILE): " +
                                system_.render(failure));
  if (failure || !admin)
    throw cli_error(unreachable, address + " did not hand out its admin actor" +
                                     (failure ? ": " + system_.render(failure) : ""));
  connected_[address] = admin;
  return admin;
}

}  // namespace ovo::cli
