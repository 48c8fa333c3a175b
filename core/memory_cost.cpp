#include "core/memory_cost.hpp"

#include "core/expiry_heap.hpp"

namespace ovo::memory_cost {

std::size_t object(std::size_t key, std::size_t value, std::size_t collection, bool with_deadline) {
  return heap_chunk(stored_object::block_size(key, value, collection, with_deadline)) +
         table_entry(sizeof(void*)) + (with_deadline ? array_entry(expiry_heap::entry_bytes) : 0);
}

}  // namespace ovo::memory_cost
