#include "core/heap_trim.hpp"

#include <malloc.h>

namespace ovo {

bool trim_heap() { return malloc_trim(0) == 1; }

}  // namespace ovo
