#include "core/arrival_guard.hpp"

#include <doctest/doctest.h>

TEST_CASE("outside a window every arriving copy is accepted and nothing is remembered") {
  ovo::arrival_guard guard;
  guard.note_write("k");
  CHECK(guard.accepts("k"));
  CHECK(guard.accepts("k"));
  CHECK_FALSE(guard.in_transit("k"));
  CHECK(guard.remembered() == 0);
}

TEST_CASE("in a window, a local write wins over the arriving copy, and the first copy wins") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("written");
  guard.expect(slot);
  CHECK(guard.in_transit("written"));
  guard.note_write("written");
  CHECK_FALSE(guard.in_transit("written"));
  CHECK_FALSE(guard.accepts("written"));  // written here: newer than the copy in transit
  if (ovo::slot_of("other") == slot) {
    CHECK(guard.accepts("other"));
    CHECK_FALSE(guard.accepts("other"));  // a second copy can only be older
  }
}

TEST_CASE("a window stays open until the slot's data arrived, then forgets its keys") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  guard.note_write("k");
  CHECK(guard.remembered() == 1);
  CHECK(guard.in_transit("k2") == (ovo::slot_of("k2") == slot));
  guard.close(slot);
  CHECK(guard.remembered() == 0);
  CHECK(guard.accepts("k"));
  CHECK_FALSE(guard.in_transit("k"));
}

TEST_CASE("a dropped slot forgets what it remembered, so a later copy is taken in full") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  CHECK(guard.accepts("k"));
  guard.close(slot);
  guard.expect(slot);
  CHECK(guard.accepts("k"));
}
