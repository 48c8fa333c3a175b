#include "core/thread_priority.hpp"

#include <doctest/doctest.h>

#include <sched.h>

#include <thread>

TEST_CASE("only the calling thread is made to run last") {
  const int before = sched_getscheduler(0);
  int policy = -1;
  bool idle = false;
  std::thread([&] {
    idle = ovo::run_calling_thread_last();
    policy = sched_getscheduler(0);
  }).join();
  CHECK(idle);
  CHECK(policy == SCHED_IDLE);
  CHECK(sched_getscheduler(0) == before);
}
