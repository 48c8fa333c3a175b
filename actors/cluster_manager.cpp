#include "cluster_manager.hpp"

#include "command_handlers.hpp"

namespace ovo {

cluster_manager_actor::behavior_type cluster_manager(
    cluster_manager_actor::stateful_pointer<cluster_manager_state> self, node_info me) {
  self->state.nodes.push_back(std::move(me));
  auto runner = [self](const command& cmd, auto deliver) {
    reply answer;
    if (cmd.kind == op::cluster_view) {
      answer.kind = payload::nodes;
      answer.nodes = self->state.nodes;
    } else if (cmd.kind == op::cluster_me) {
      answer.kind = payload::node;
      answer.nodes = {self->state.nodes.front()};
    } else {
      answer = failure(status::bad_request, "not a cluster query");
    }
    deliver(std::move(answer));
  };
  return {sink_handler(runner), response_handler(self, runner)};
}

}  // namespace ovo
