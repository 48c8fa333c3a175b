#include "core/stored_object.hpp"

#include <algorithm>
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
                                    version_t version) {
  const std::size_t size = block_size(key.size(), value.size(), collection.size(), with_deadline);
  char* block = static_cast<char*>(std::malloc(size));
  if (block == nullptr) throw std::bad_alloc();
  std::memcpy(block + clock_at, &version.clock, sizeof version.clock);
  put_u32(block + epoch_at, std::min(version.epoch, version_t::max_epoch));
  put_u32(block + key_len_at, key.size() | (with_deadline ? has_deadline_bit : 0));
  put_u32(block + value_len_at, value.size() | (collection.empty() ? 0 : has_collection_bit));
  std::size_t at = fixed_header;
  if (with_deadline) {
    put_u32(block + at, 0);  // expiry_position_at
    at += optional_field;
  }
  if (!collection.empty()) {
    put_u32(block + at, collection.size());
    at += optional_field;
  }
  char* bytes = block + at;
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

void object_view::set_epoch(uint32_t epoch) const {
  set_field(epoch_at, (field(epoch_at) & visited_bit) | std::min(epoch, version_t::max_epoch));
}

void object_view::set_visited(bool visited) const {
  const uint32_t v = field(epoch_at);
  set_field(epoch_at, visited ? (v | visited_bit) : (v & ~visited_bit));
}

void object_view::set_expiry_position(uint32_t position) const {
  set_field(expiry_position_at, position);
}

version_t object_view::version() const {
  version_t version;
  std::memcpy(&version.clock, block_ + clock_at, sizeof version.clock);
  version.epoch = field(epoch_at) & ~visited_bit;
  return version;
}

}  // namespace ovo
