#include "core/arrival_guard.hpp"

#include <doctest/doctest.h>

TEST_CASE("outside a window every arriving copy is accepted and nothing is remembered") {
  ovo::arrival_guard guard;
  guard.note_write("k", 100);
  CHECK(guard.accepts("k", 100));
  CHECK(guard.accepts("k", 100));
  CHECK(guard.remembered() == 0);
}

TEST_CASE("in a window, a local write wins over the arriving copy, and the first copy wins") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("written");
  guard.expect(slot, 1'000);
  guard.note_write("written", 100);
  CHECK_FALSE(guard.accepts("written", 200));  // written here: newer than the copy in transit
  if (ovo::slot_of("other") == slot) {
    CHECK(guard.accepts("other", 200));
    CHECK_FALSE(guard.accepts("other", 300));  // a second copy can only be older
  }
}

TEST_CASE("a window closes at its deadline and forgets its keys") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot, 1'000);
  guard.note_write("k", 500);
  CHECK(guard.remembered() == 1);
  CHECK(guard.accepts("k", 1'000));
  CHECK(guard.remembered() == 0);
}

TEST_CASE("a dropped slot forgets what it remembered, so a later copy is taken in full") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot, 1'000);
  CHECK(guard.accepts("k", 100));
  guard.forget(slot);
  guard.expect(slot, 2'000);
  CHECK(guard.accepts("k", 200));
}
