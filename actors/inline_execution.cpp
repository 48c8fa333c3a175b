#include "actors/inline_execution.hpp"

namespace ovo {

inline_execution::inline_execution(caf::actor_system& system) : caf::execution_unit(&system) {
  // nop
}

inline_execution::~inline_execution() { run_pending(); }

void inline_execution::exec_later(caf::resumable* job) { jobs_.push_back(job); }

void inline_execution::run_pending() {
  // Index, not iterators: a running actor may wake others, which appends to jobs_.
  for (size_t i = 0; i < jobs_.size(); ++i) {
    auto* job = jobs_[i];
    if (job->subtype() != caf::resumable::scheduled_actor) {
      system().scheduler().enqueue(job);  // brokers belong to the middleman's thread
      continue;
    }
    // The reference taken when the actor was woken is ours until it waits again, as on a worker.
    switch (job->resume(this, turn_messages)) {
      case caf::resumable::resume_later:
        system().scheduler().enqueue(job);
        break;
      case caf::resumable::done:
      case caf::resumable::awaiting_message:
        intrusive_ptr_release(job);
        break;
      case caf::resumable::shutdown_execution_unit:
        break;  // only the scheduler's own shutdown job answers this
    }
  }
  jobs_.clear();
}

}  // namespace ovo
