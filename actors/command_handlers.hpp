#pragma once
// The two `exec` handlers of every command-handling actor, built over one function
// `run(const command&, deliver)` so the actor writes its logic once: REST callers get the answer
// through their sink, actor callers (and later remote nodes) as a response.

#include "actors/interfaces.hpp"

namespace ovo {

/// (exec, command, sink): the answer goes to the sink.
template <class Run>
auto sink_handler(Run run) {
  return [run](exec_atom, command& cmd, reply_sink_ptr& sink) {
    run(cmd, [sink](reply answer) { sink->deliver(std::move(answer)); });
  };
}

/// (exec, command) -> reply: the answer is the response, possibly delivered later.
template <class Self, class Run>
auto response_handler(Self self, Run run) {
  return [self, run](exec_atom, command& cmd) -> caf::result<reply> {
    auto promise = self->template make_response_promise<reply>();
    // Delivering needs a non-const promise; callers keep `deliver` const, so use a copy.
    run(cmd, [promise](reply answer) {
      auto response = promise;
      response.deliver(std::move(answer));
    });
    return promise;
  };
}

}  // namespace ovo
