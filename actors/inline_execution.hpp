#pragma once
// Lets a thread outside CAF's scheduler (a Pistache reactor) run the actors its messages wake.
#include <absl/container/inlined_vector.h>
#include <caf/all.hpp>

namespace ovo {

/// A CAF execution unit living on the stack of a non-CAF thread. Sent with it as context, a
/// message to an idle actor does not wake a scheduler worker: the actor joins this unit's
/// list and runs here at run_pending(), as it would on a worker; so does every actor those
/// actors wake. A REST request is then parsed, served and answered on its reactor thread,
/// without two cross-thread hand-offs (reactor -> worker -> reactor; README "Performance").
/// Actors that send with anon_send (no context) still wake the scheduler.
/// Each actor gets one turn of at most `turn_messages`; one with messages left goes back to
/// the scheduler, so a busy actor never holds a reactor (and its connections) for long.
class inline_execution final : public caf::execution_unit {
 public:
  static constexpr size_t turn_messages = 32;

  explicit inline_execution(caf::actor_system& system);
  /// Runs what is still pending: no woken actor is left without a thread.
  ~inline_execution() override;
  inline_execution(const inline_execution&) = delete;
  inline_execution& operator=(const inline_execution&) = delete;

  /// Called by CAF from this thread only (while sending, or from an actor running here).
  void exec_later(caf::resumable* job) override;

  /// Gives every woken actor its turn, including actors woken meanwhile.
  void run_pending();

 private:
  absl::InlinedVector<caf::resumable*, 4> jobs_;
};

/// Sends `xs` without a sender to `dest` and runs the actors it wakes on the calling thread.
template <class Handle, class... Ts>
void send_and_run_here(const Handle& dest, Ts&&... xs) {
  if (!dest) return;
  inline_execution here{dest->home_system()};
  dest->enqueue(
      caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, std::forward<Ts>(xs)...),
      &here);
  here.run_pending();
}

}  // namespace ovo
