#include "core/heap_trim.hpp"

#include <doctest/doctest.h>

TEST_CASE("the heap is trimmed once the stored bytes fell by the threshold from their peak") {
  ovo::trim_schedule schedule(160);
  CHECK_FALSE(schedule.should_trim(0));
  CHECK_FALSE(schedule.should_trim(500));  // growing
  CHECK_FALSE(schedule.should_trim(450));  // 50 below the peak, still falling
  CHECK(schedule.should_trim(340));        // 160 below: trim, the peak restarts at 340
  CHECK_FALSE(schedule.should_trim(340));  // quiet, nothing fell since
  CHECK_FALSE(schedule.should_trim(300));
  CHECK(schedule.should_trim(300));  // the wave ended 40 below: a sixteenth is enough then
  CHECK_FALSE(schedule.should_trim(300));
  CHECK_FALSE(schedule.should_trim(295));
  CHECK_FALSE(schedule.should_trim(295));  // 5 is less than a sixteenth
}

TEST_CASE("steady eviction churn at the cap never trims") {
  ovo::trim_schedule schedule(100);
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(schedule.should_trim(10'000 - (i % 2) * 60));
  CHECK_FALSE(schedule.should_trim(10'000));  // writes stopped at the cap
  CHECK_FALSE(schedule.should_trim(10'000));
}

TEST_CASE("trim_heap runs") { CHECK_NOTHROW(ovo::trim_heap()); }
