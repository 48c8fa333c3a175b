#pragma once
// One cached object in a single heap block, so a key costs its bytes plus 20 bytes of header
// (version, key and value lengths) and one pointer in the hash table (docs/memory.md, "Terms").
// The eviction policy's "visited" bit lives in the header too, so it costs no byte. An object
// with a TTL has 4 more: its place in the shard's expiry heap (expiry_heap.hpp), which holds its
// deadline and a pointer to this block, and no copy of the key; one with a collection has 4 more
// for its length.

#include "core/version_clock.hpp"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ovo {

/// A stored object seen through its block, without owning it: what the expiry heap holds. The
/// block's address stays the same while the object lives, through rehashes of its table.
class object_view {
 public:
  std::string_view key() const { return {data(), key_length()}; }
  std::string_view value() const { return {data() + key_length(), value_length()}; }
  std::string_view collection() const {
    return {data() + key_length() + value_length(), collection_length()};
  }
  /// Read since the eviction hand last passed (docs/memory.md, "Policies"). Set and cleared on a
  /// const object: the bit is not part of the key, so the hash set's order does not change.
  bool visited() const { return (field(epoch_at) & visited_bit) != 0; }
  void set_visited(bool visited) const;
  /// Gives the version another epoch, keeping its clock part (object_space::restart_epochs).
  void set_epoch(uint32_t epoch) const;
  /// The bytes of the heap block holding an object of these sizes (memory accounting).
  static std::size_t block_size(std::size_t key, std::size_t value, std::size_t collection,
                                bool with_deadline) {
    return fixed_header + (with_deadline ? optional_field : 0) +
           (collection > 0 ? optional_field : 0) + key + value + collection;
  }
  /// The version of the write that stored it (version_clock.hpp).
  version_t version() const;
  /// Whether it has a deadline, kept by the shard's expiry heap.
  bool has_deadline() const { return (field(key_len_at) & has_deadline_bit) != 0; }
  /// Where the object stands in the expiry heap (only with a deadline).
  uint32_t expiry_position() const { return field(expiry_position_at); }
  void set_expiry_position(uint32_t position) const;

  bool operator==(const object_view& other) const { return block_ == other.block_; }
  /// Starts loading the block's header and key into the cache, for a walk over many objects:
  /// each is a cache miss of its own.
  void prefetch() const { __builtin_prefetch(block_); }

 protected:
  // Block layout: [u64 version's clock part][u32 version's epoch, top bit: visited]
  // [u32 key len, top bit: has a deadline][u32 value len, top bit: has a collection]
  // [u32 expiry heap position, only with a deadline][u32 collection len, only with a collection]
  // [bytes...]. Lengths stay below 2^31 (MaxKeyBytes and MaxValueBytes are ints). The 4 bytes
  // keep a TTL object of tools/bench/memory.sh (16-byte key, 32-byte value: 72 bytes) in the
  // malloc size class of one without; the deadline itself, 8 more, would move it to the next
  // (docs/memory.md, "Expiry"). A collection's length is kept only when there is one, which
  // left room for the epoch without growing the common object.
  static constexpr std::size_t clock_at = 0, epoch_at = 8, key_len_at = 12, value_len_at = 16,
                               fixed_header = 20, expiry_position_at = 20, optional_field = 4;
  static constexpr uint32_t flag_bit = 0x8000'0000u, has_deadline_bit = flag_bit,
                            visited_bit = flag_bit, has_collection_bit = flag_bit;

  explicit object_view(char* block) : block_(block) {}
  uint32_t field(std::size_t offset) const {
    uint32_t v;
    std::memcpy(&v, block_ + offset, sizeof v);
    return v;
  }
  void set_field(std::size_t offset, uint32_t v) const {
    std::memcpy(block_ + offset, &v, sizeof v);
  }
  bool has_collection() const { return (field(value_len_at) & has_collection_bit) != 0; }
  std::size_t key_length() const { return field(key_len_at) & ~has_deadline_bit; }
  std::size_t value_length() const { return field(value_len_at) & ~has_collection_bit; }
  std::size_t collection_len_at() const {
    return fixed_header + (has_deadline() ? optional_field : 0);
  }
  std::size_t collection_length() const {
    return has_collection() ? field(collection_len_at()) : 0;
  }
  const char* data() const {
    return block_ + collection_len_at() + (has_collection() ? optional_field : 0);
  }

  char* block_;
};

/// The owner of an object's block: what the shard's hash table holds.
class stored_object : public object_view {
 public:
  /// A block for the object; `with_deadline` leaves room for its expiry heap position.
  static stored_object create(std::string_view key, std::string_view value,
                              std::string_view collection, bool with_deadline, version_t version);

  stored_object(stored_object&& other) noexcept : object_view(other.block_) {
    other.block_ = nullptr;
  }
  stored_object& operator=(stored_object&& other) noexcept;
  stored_object(const stored_object&) = delete;
  stored_object& operator=(const stored_object&) = delete;
  ~stored_object();

  /// A view of this object, valid until it is erased.
  object_view view() const { return *this; }

 private:
  explicit stored_object(char* block) : object_view(block) {}
};

}  // namespace ovo
