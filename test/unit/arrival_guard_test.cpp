#include "core/arrival_guard.hpp"

#include <doctest/doctest.h>

#include <string>

using admission = ovo::arrival_guard::admission;

TEST_CASE("outside a window every arriving copy is installed if newer and nothing is remembered") {
  ovo::arrival_guard guard;
  guard.note_write("k");
  CHECK(guard.admit("k", false) == admission::if_newer);
  CHECK(guard.admit("k", false) == admission::if_newer);
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
  CHECK(guard.admit("written", false) == admission::refused);  // newer than the copy in transit
  std::string other = "other";
  for (int i = 0; ovo::slot_of(other) != slot; ++i) other = "other-" + std::to_string(i);
  CHECK(guard.admit(other, false) == admission::if_newer);
  CHECK(guard.admit(other, false) == admission::if_newer);  // from another holder: maybe newer
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
  CHECK(guard.admit("k", false) == admission::if_newer);
  CHECK_FALSE(guard.in_transit("k", false));
}

TEST_CASE("a dropped slot forgets what it remembered, so a later copy is taken in full") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  CHECK(guard.admit("k", false) == admission::if_newer);
  guard.close(slot);
  guard.expect(slot);
  CHECK(guard.admit("k", false) == admission::if_newer);
}

TEST_CASE(
    "a window that distrusts local copies reads even keys stored here from the previous holder, "
    "the first copy read through replaces the one here, and chunks of the slot only install "
    "newer copies") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  CHECK_FALSE(guard.in_transit("k", true));  // stored here: served from here
  guard.close(slot);
  guard.expect(slot, true);  // back from a minority: what is here may be stale
  CHECK(guard.in_transit("k", true));
  // A chunk of the slot's data may be older than the serving node's last writes: its version
  // decides, and the key is still read through before use.
  CHECK(guard.admit("k", false) == admission::if_newer);
  CHECK(guard.in_transit("k", true));
  CHECK(guard.admit("k", true) == admission::replaces);  // read through: whatever the versions
  CHECK_FALSE(guard.in_transit("k", true));              // trusted from now on
  CHECK(guard.admit("k", true) == admission::if_newer);  // read again: versions decide
  guard.note_write("k");
  CHECK(guard.admit("k", true) == admission::refused);  // written here since: newer than any copy
}

TEST_CASE("reopening a window that distrusts local copies forgets the local writes it remembered") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  guard.note_write("k");  // written while this node served the slot...
  CHECK(guard.admit("k", false) == admission::refused);
  guard.expect(slot, true);  // ...then others served it (this node was in a minority)
  CHECK(guard.admit("k", true) == admission::replaces);  // their copy is taken
}

TEST_CASE(
    "a distrusted window confirms the keys a chunk brought, read through or written here, and "
    "forgets them when it closes, where a trusting window confirms nothing") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("chunked");
  guard.expect(slot);
  CHECK_FALSE(guard.distrusted(slot));
  guard.admit("chunked", false);
  CHECK_FALSE(guard.confirmed("chunked"));  // nothing is dropped after a trusting window
  guard.close(slot);

  guard.expect(slot, true);
  CHECK(guard.distrusted(slot));
  const auto in_slot = [&](const std::string& prefix) {
    for (int i = 0;; ++i)
      if (ovo::slot_of(prefix + std::to_string(i)) == slot) return prefix + std::to_string(i);
  };
  const auto read = in_slot("read-"), written = in_slot("written-"), stale = in_slot("stale-");
  guard.admit("chunked", false);
  guard.admit(read, true);
  guard.note_write(written);
  CHECK(guard.confirmed("chunked"));
  CHECK(guard.confirmed(read));
  CHECK(guard.confirmed(written));
  CHECK_FALSE(guard.confirmed(stale));
  guard.close(slot);
  CHECK_FALSE(guard.distrusted(slot));
  CHECK_FALSE(guard.confirmed("chunked"));
  CHECK(guard.remembered() == 0);
}

TEST_CASE(
    "a slot given back reads its held keys through once more and keeps the copy read if newer, "
    "forgetting what its earlier window remembered") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot);
  guard.note_write("k");  // written while this node held the slot before
  CHECK_FALSE(guard.in_transit("k", true));
  guard.expect_again(slot);  // taken away, then given back: another node may have served it
  CHECK(guard.in_transit("k", true));                    // held here, read through first
  CHECK(guard.admit("k", true) == admission::if_newer);  // the newer version wins
  CHECK_FALSE(guard.in_transit("k", true));              // once
  CHECK_FALSE(guard.distrusted(slot));
  CHECK(guard.admit("k", false) == admission::if_newer);  // a chunk: its version decides
  guard.note_write("k");
  CHECK(guard.admit("k", false) == admission::refused);  // written here since: newer
  guard.close(slot);
  CHECK_FALSE(guard.in_transit("k", true));
}

TEST_CASE("a distrusted window given back stays distrusted and forgets the keys read through") {
  ovo::arrival_guard guard;
  const int slot = ovo::slot_of("k");
  guard.expect(slot, true);
  CHECK(guard.admit("k", true) == admission::replaces);
  CHECK_FALSE(guard.in_transit("k", true));
  guard.expect_again(slot);
  CHECK(guard.distrusted(slot));
  CHECK(guard.in_transit("k", true));  // read through again, from the node that served it since
  CHECK(guard.admit("k", true) == admission::replaces);
}
