#include "core/stored_object.hpp"

#include <cstdlib>
#include <new>

namespace ovo {
namespace {

void put_u32(char* at, uint64_t value) {
  const auto v = static_cast<uint32_t>(value);
  std::memcpy(at, &v, sizeof v);
}

}  // namespace

stored_object stored_object::create(std::string_view key, std::string_view value,
                                    std::string_view collection, bool with_deadline,
                                    uint64_t version) {
  const std::size_t header = fixed_header + (with_deadline ? expiry_header : 0);
  const std::size_t size = header + key.size() + value.size() + collection.size();
  char* block = static_cast<char*>(std::malloc(size));
  if (block == nullptr) throw std::bad_alloc();
  std::memcpy(block + version_at, &version, sizeof version);
  put_u32(block + key_len_at, key.size() | (with_deadline ? has_deadline_bit : 0));
  put_u32(block + value_len_at, value.size());
  put_u32(block + collection_len_at, collection.size());
  if (with_deadline) put_u32(block + expiry_position_at, 0);
  char* bytes = block + header;
  // memcpy from an empty view's null pointer is undefined, so skip empty parts.
  if (!key.empty()) std::memcpy(bytes, key.data(), key.size());
  if (!value.empty()) std::memcpy(bytes + key.size(), value.data(), value.size());
  if (!collection.empty())
    std::memcpy(bytes + key.size() + value.size(), collection.data(), collection.size());
  return stored_object(block);
}

stored_object& stored_object::operator=(stored_object&& other) noexcept {
  if (this != &other) {
    std::free(block_);
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

stored_object::~stored_object() { std::free(block_); }

void object_view::set_visited(bool visited) const {
  const uint32_t v = field(collection_len_at);
  set_field(collection_len_at, visited ? (v | visited_bit) : (v & ~visited_bit));
}

void object_view::set_expiry_position(uint32_t position) const {
  set_field(expiry_position_at, position);
}

uint64_t object_view::version() const {
  uint64_t version;
  std::memcpy(&version, block_ + version_at, sizeof version);
  return version;
}

}  // namespace ovo
