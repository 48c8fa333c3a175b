#pragma once
// One cached object in a single heap block, so a key costs its bytes plus 20 bytes of header
// (version, three lengths; 8 more with a deadline) and one pointer in the hash table (see
// README "Performance": bytes per key). The eviction policy's "visited" bit lives in the header
// too (docs/memory.md), so it costs no byte.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ovo {

class stored_object {
 public:
  static stored_object create(std::string_view key, std::string_view value,
                              std::string_view collection, int64_t deadline, uint64_t version);

  stored_object(stored_object&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  stored_object& operator=(stored_object&& other) noexcept;
  stored_object(const stored_object&) = delete;
  stored_object& operator=(const stored_object&) = delete;
  ~stored_object();

  std::string_view key() const { return {data(), key_length()}; }
  std::string_view value() const { return {data() + key_length(), length(value_len_at)}; }
  std::string_view collection() const {
    return {data() + key_length() + length(value_len_at), collection_length()};
  }
  /// Read since the eviction hand last passed (docs/memory.md, "Policies"). Set and cleared on a
  /// const object: the bit is not part of the key, so the hash set's order does not change.
  bool visited() const { return (field(collection_len_at) & visited_bit) != 0; }
  void set_visited(bool visited) const;
  /// The bytes of the heap block holding an object of these sizes (memory accounting).
  static std::size_t block_size(std::size_t key, std::size_t value, std::size_t collection,
                                bool with_deadline) {
    return fixed_header + (with_deadline ? 8 : 0) + key + value + collection;
  }
  int64_t deadline() const;
  /// The version of the write that stored it (version_clock.hpp).
  uint64_t version() const;

 private:
  // Block layout: [u64 version][u32 key len, top bit: has a deadline][u32 value len]
  // [u32 collection len, top bit: visited][int64 deadline, only with a deadline][bytes...]. Most
  // keys have no TTL: leaving the deadline out keeps such a block in the malloc size class it had
  // before versions (20 + 48 bytes for the 16-byte keys and 32-byte values of
  // tools/bench/memory.sh).
  static constexpr std::size_t version_at = 0, key_len_at = 8, value_len_at = 12,
                               collection_len_at = 16, deadline_at = 20, fixed_header = 20;
  static constexpr uint32_t has_deadline_bit = 0x8000'0000u, visited_bit = 0x8000'0000u;

  explicit stored_object(char* block) : block_(block) {}
  uint32_t field(std::size_t offset) const {
    uint32_t v;
    std::memcpy(&v, block_ + offset, sizeof v);
    return v;
  }
  std::size_t length(std::size_t offset) const { return field(offset); }
  std::size_t key_length() const { return field(key_len_at) & ~has_deadline_bit; }
  std::size_t collection_length() const { return field(collection_len_at) & ~visited_bit; }
  bool has_deadline() const { return (field(key_len_at) & has_deadline_bit) != 0; }
  const char* data() const { return block_ + fixed_header + (has_deadline() ? 8 : 0); }

  char* block_;
};

}  // namespace ovo
