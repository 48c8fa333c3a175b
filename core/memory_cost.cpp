#include "core/memory_cost.hpp"

#include "core/stored_object.hpp"

namespace ovo::memory_cost {

std::size_t object(std::size_t key, std::size_t value, std::size_t collection, bool with_deadline) {
  return heap_chunk(stored_object::block_size(key, value, collection, with_deadline)) +
         table_entry(sizeof(void*)) + (with_deadline ? array_entry(sizeof(object_view)) : 0);
}

}  // namespace ovo::memory_cost
