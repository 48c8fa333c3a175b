#include "core/thread_priority.hpp"

#include <sched.h>
#include <sys/resource.h>

namespace ovo {

bool run_calling_thread_last() {
  // On Linux both calls take a thread id, 0 being the calling thread (not the whole process).
  sched_param param{};
  if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) return true;
  setpriority(PRIO_PROCESS, 0, 19);
  return false;
}

}  // namespace ovo
