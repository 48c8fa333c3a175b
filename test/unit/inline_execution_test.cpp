// inline_execution through a real actor_system: which thread runs an actor a non-CAF thread
// wakes, and that nothing is lost when an actor has more than one turn of messages.

#include "actors/inline_execution.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <thread>
#include <vector>

namespace {

using thread_log = std::vector<std::thread::id>;

/// Notes the thread of every int it gets; a string asks how many it got so far.
caf::behavior thread_recorder(caf::event_based_actor*, std::shared_ptr<thread_log> log) {
  return {
      [log](int) { log->push_back(std::this_thread::get_id()); },
      [log](const std::string&) { return log->size(); },
  };
}

/// Passes every int on to `next` (from the actor, so with its execution unit as context).
caf::behavior relay_to(caf::event_based_actor* self, caf::actor next) {
  return {[self, next](int x) { self->send(next, x); }};
}

/// A recorder started lazily: not run before its first message, so idle when a test sends one.
struct recorder_fixture {
  caf::actor_system_config config;
  caf::actor_system system{config};
  std::shared_ptr<thread_log> log = std::make_shared<thread_log>();
  caf::actor recorder = system.spawn<caf::lazy_init>(thread_recorder, log);

  /// How many ints the recorder has seen, once it worked off what was sent before.
  size_t recorded() {
    caf::scoped_actor self{system};
    size_t seen = 0;
    self->request(recorder, std::chrono::seconds(5), std::string("count"))
        .receive([&](size_t n) { seen = n; }, [](const caf::error&) { FAIL("no answer"); });
    return seen;
  }
};

}  // namespace

TEST_CASE_FIXTURE(recorder_fixture,
                  "a message from a non-CAF thread runs its idle receiver on that thread") {
  ovo::send_and_run_here(recorder, 1);
  REQUIRE(recorded() == 1);
  CHECK(log->front() == std::this_thread::get_id());
}

TEST_CASE_FIXTURE(recorder_fixture,
                  "actors woken by an actor running inline run on the same thread") {
  auto relay = system.spawn<caf::lazy_init>(relay_to, recorder);
  ovo::send_and_run_here(relay, 7);
  REQUIRE(recorded() == 1);
  CHECK(log->front() == std::this_thread::get_id());
}

TEST_CASE_FIXTURE(
    recorder_fixture,
    "an actor with more than one turn of messages finishes on the scheduler, losing none") {
  const size_t messages = 3 * ovo::inline_execution::turn_messages;
  {
    ovo::inline_execution here{system};
    for (size_t i = 0; i < messages; ++i)
      recorder->enqueue(
          caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, static_cast<int>(i)),
          &here);
    here.run_pending();
  }
  REQUIRE(recorded() == messages);
  const auto me = std::this_thread::get_id();
  size_t here_count = 0;
  for (const auto& id : *log) here_count += id == me ? 1 : 0;
  CHECK(here_count == ovo::inline_execution::turn_messages);
  CHECK(log->back() != me);
}
