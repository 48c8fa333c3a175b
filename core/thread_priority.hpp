#pragma once
// Work that must never delay serving traffic (building GET /ovo/keys's answer) runs on a thread
// the kernel schedules only when no other thread wants the CPU.

namespace ovo {

/// Gives the calling thread the lowest CPU priority: SCHED_IDLE, or nice 19 where that is
/// refused. Returns whether SCHED_IDLE was set. Lowering is allowed without privileges.
bool run_calling_thread_last();

}  // namespace ovo
