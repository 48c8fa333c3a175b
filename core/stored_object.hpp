#pragma once
// One cached object in a single heap block, so a key costs its bytes plus 28 bytes of header
// (deadline, version, three lengths) and one pointer in the hash table (see README
// "Performance": bytes per key).

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

  std::string_view key() const { return {data(), length(key_len_at)}; }
  std::string_view value() const { return {data() + length(key_len_at), length(value_len_at)}; }
  std::string_view collection() const {
    return {data() + length(key_len_at) + length(value_len_at), length(collection_len_at)};
  }
  int64_t deadline() const;
  void set_deadline(int64_t deadline);
  /// The version of the write that stored it (version_clock.hpp).
  uint64_t version() const;

 private:
  // Block layout: [int64 deadline][u64 version][u32 key len][u32 value len][u32 collection len]
  // [bytes...]
  static constexpr std::size_t deadline_at = 0, version_at = 8, key_len_at = 16,
                               value_len_at = 20, collection_len_at = 24, header_size = 28;

  explicit stored_object(char* block) : block_(block) {}
  std::size_t length(std::size_t offset) const {
    uint32_t len;
    std::memcpy(&len, block_ + offset, sizeof len);
    return len;
  }
  const char* data() const { return block_ + header_size; }

  char* block_;
};

}  // namespace ovo
