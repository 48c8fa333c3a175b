#pragma once
// A CAF client for tests: connects to a node's APIPort and sends it what a peer or ovoctl may.

#include "actors/interfaces.hpp"

#include <caf/io/middleman.hpp>
#include <doctest/doctest.h>

#include <chrono>
#include <limits>
#include <set>
#include <string>
#include <vector>

namespace ovo::test {

using namespace std::chrono_literals;

/// A program speaking CAF to a node's APIPort, as ovoctl or a stranger would.
struct caf_client {
  caf_client() : system(config()) {}

  static caf::actor_system_config& config() {
    static caf::actor_system_config cfg = [] {
      caf::actor_system_config c;
      c.load<caf::io::middleman>();
      ovo::add_ovo_message_types(c);
      return c;
    }();
    return cfg;
  }

  /// The actor published on 127.0.0.1:port, as an untyped handle (a stranger's view of it).
  caf::actor published_at(uint16_t port) {
    caf::scoped_actor self{system};
    caf::actor handle;
    self->request(system.middleman().actor_handle(), 5s, caf::connect_atom_v,
                  std::string("127.0.0.1"), port)
        .receive(
            [&](const caf::node_id&, caf::strong_actor_ptr& remote, const std::set<std::string>&) {
              handle = caf::actor_cast<caf::actor>(std::move(remote));
            },
            [&](caf::error& err) { FAIL("cannot connect: " << system.render(err)); });
    return handle;
  }

  /// The error a request to `target` ends in (unexpected_response when it was answered).
  template <class... Ts>
  caf::error refusal_of(const caf::actor& target, Ts... xs) {
    caf::scoped_actor self{system};
    caf::error out;
    self->request(target, 5s, xs...)
        .receive([](caf::message&) {}, [&](caf::error& err) { out = std::move(err); });
    return out;
  }

  /// The answer of type T to a request to `target`; fails the test on an error.
  template <class T, class... Ts>
  T answer_of(const caf::actor& target, Ts... xs) {
    caf::scoped_actor self{system};
    T out{};
    self->request(target, 5s, xs...)
        .receive([&](T& answer) { out = std::move(answer); },
                 [&](caf::error& err) { FAIL("refused: " << system.render(err)); });
    return out;
  }

  /// Sends `writes` to `endpoint` as one batch of replica writes, as a slot's owner does, stamped
  /// with a layout epoch no node has reached (so none refuses them as stale); whether they were
  /// stored.
  bool replicate(const caf::actor& endpoint, std::vector<replica_write> writes) {
    caf::scoped_actor self{system};
    self->send(endpoint, replicate_atom_v, uint64_t{1}, std::numeric_limits<uint64_t>::max(),
               std::move(writes));
    bool stored = false;
    self->receive([&](replicate_atom, uint64_t, bool answer) { stored = answer; },
                  caf::after(5s) >> [] { FAIL("no answer to the replica writes"); });
    return stored;
  }

  caf::actor_system system;
};

}  // namespace ovo::test
