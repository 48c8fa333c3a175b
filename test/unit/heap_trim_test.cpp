#include "core/heap_trim.hpp"

#include <doctest/doctest.h>

TEST_CASE("the heap is trimmed once the stored bytes fell by the threshold from their peak") {
  ovo::trim_schedule schedule(100);
  CHECK_FALSE(schedule.should_trim(0));
  CHECK_FALSE(schedule.should_trim(500));  // growing
  CHECK_FALSE(schedule.should_trim(450));  // 50 below the peak
  CHECK(schedule.should_trim(400));        // 100 below: trim, the peak restarts at 400
  CHECK_FALSE(schedule.should_trim(400));
  CHECK_FALSE(schedule.should_trim(350));
  CHECK(schedule.should_trim(300));
}

TEST_CASE("steady eviction churn at the cap never trims") {
  ovo::trim_schedule schedule(100);
  for (int i = 0; i < 1000; ++i) CHECK_FALSE(schedule.should_trim(10'000 - (i % 2) * 60));
}

TEST_CASE("trim_heap runs") { CHECK_NOTHROW(ovo::trim_heap()); }
