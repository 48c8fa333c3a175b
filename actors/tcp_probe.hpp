#pragma once
// Whether a TCP listener answers at host:port within a timeout. CAF 0.17's middleman connects
// with a blocking connect() that, towards a host whose packets are dropped (a partition), waits
// for the kernel's SYN retries (about two minutes) and holds every later connection attempt up
// behind it, so a healed link would stay unused that long. A peer connection probes first and
// asks the middleman only once the peer answers.

#include <chrono>
#include <cstdint>
#include <string>

namespace ovo {

/// Blocks up to `timeout`: true when a TCP connection to host:port was accepted (it is closed
/// again at once).
bool tcp_reachable(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

}  // namespace ovo
