#include "core/arrival_guard.hpp"

#include <doctest/doctest.h>

TEST_CASE("outside a window every arriving copy is accepted and nothing is remembered") {
  ovo::arrival_guard guard;
  guard.note_write("k");
  CHECK(guard.accepts("k"));
  CHECK(guard.accepts("k"));
  CHECK_FALSE(guard.in_transit("k", false));
  CHECK(guard.remembered() == 0);
}

TEST_CASE("in a window, a local write wins over the arriving copy, and the first copy wins") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("written");
  guard.expect(slot);
  CHECK(guard.in_transit("written", false));
  guard.note_write("written");
  CHECK_FALSE(guard.in_transit("written", false));
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
  CHECK(guard.in_transit("k2", false) == (ovo::slot_of("k2") == slot));
  guard.close(slot);
  CHECK(guard.remembered() == 0);
  CHECK(guard.accepts("k"));
  CHECK_FALSE(guard.in_transit("k", false));
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

TEST_CASE(
    "a window that distrusts local copies reads even keys stored here from the previous holder") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  CHECK_FALSE(guard.in_transit("k", true));  // stored here: served from here
  guard.close(slot);
  guard.expect(slot, true);  // back from a minority: what is here may be stale
  CHECK(guard.in_transit("k", true));
  guard.note_write("k");
  CHECK_FALSE(guard.in_transit("k", true));  // written here since: newer than any copy
}
