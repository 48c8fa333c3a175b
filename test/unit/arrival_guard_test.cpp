#include "core/arrival_guard.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("outside a window every arriving copy is accepted and nothing is remembered") {
  ovo::arrival_guard guard;
  guard.note_write("k");
  CHECK(guard.accepts("k"));
  CHECK(guard.accepts("k"));
  CHECK_FALSE(guard.in_transit("k", false));
  CHECK(guard.remembered() == 0);
}

TEST_CASE(
    "in a window, a local write wins over the arriving copy, and other copies are all accepted "
    "(their versions decide)") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("written");
  guard.expect(slot);
  CHECK(guard.in_transit("written", false));
  guard.note_write("written");
  CHECK_FALSE(guard.in_transit("written", false));
  CHECK_FALSE(guard.accepts("written"));  // written here: newer than the copy in transit
  std::string other = "other";
  for (int i = 0; ovo::slot_of(other) != slot; ++i) other = "other-" + std::to_string(i);
  CHECK(guard.accepts(other));
  CHECK(guard.accepts(other));  // from another holder: maybe newer
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
  CHECK(guard.accepts("k"));  // a copy received: trusted from now on
  CHECK_FALSE(guard.in_transit("k", true));
  guard.note_write("k");
  CHECK_FALSE(guard.accepts("k"));  // written here since: newer than any copy
}

TEST_CASE("reopening a window that distrusts local copies forgets the local writes it remembered") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  guard.note_write("k");  // written while this node served the slot...
  CHECK_FALSE(guard.accepts("k"));
  guard.expect(slot, true);   // ...then others served it (this node was in a minority)
  CHECK(guard.accepts("k"));  // their copy is taken, its version decides
}
