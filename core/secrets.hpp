#pragma once
// Small helpers for credentials: comparing a presented token without leaking, through timing,
// how much of it matched; and telling loopback peers apart.

#include <string_view>

namespace ovo {

/// True when `a` and `b` are equal; the time taken depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

/// True for an address of this machine's loopback: 127.0.0.0/8, ::1, an IPv4-mapped
/// 127.x.x.x, or "localhost".
bool is_loopback_host(std::string_view host);

}  // namespace ovo
