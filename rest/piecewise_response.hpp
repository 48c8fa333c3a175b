#pragma once
// Big answers (GET /ovo/keys of a big node: 19 MB for 1M keys) without stalling a reactor.
// Pistache 0.0.5 writes a response from the connection's reactor thread and, each time the socket
// takes only part of it, copies what is left of the buffer (transport.cc, asyncWriteImpl: once
// per send() and once more on EAGAIN): megabytes at a time for a 19 MB answer, while that
// reactor's other connections wait. Sent as the head then pieces, each its own queued write, the
// bytes on the wire are the same and a reactor copies one piece at most.

#include <pistache/http.h>

#include <cstddef>
#include <string>

namespace ovo {

/// Bodies longer than this go out in pieces of this size (below glibc's mmap threshold, so a
/// reactor's copy of a piece reuses heap memory instead of faulting in fresh pages).
inline constexpr std::size_t response_piece_bytes = 64 * 1024;

/// The status line and headers Pistache's ResponseWriter::send writes before a body of
/// `body_bytes`: `headers` in their order, then Content-Length, then the blank line.
std::string response_head(Pistache::Http::Version version, Pistache::Http::Code code,
                          const Pistache::Http::Header::Collection& headers,
                          std::size_t body_bytes);

/// Answers `code` with `body` and the writer's headers (Content-Type included), as
/// `writer.send` would, but queued on `transport` (the reactor of the writer's connection) as the
/// head and pieces of at most response_piece_bytes, in order. `version`: the request's. Throws
/// std::runtime_error when the client is gone.
void send_in_pieces(Pistache::Http::ResponseWriter& writer, Pistache::Tcp::Transport& transport,
                    Pistache::Http::Version version, Pistache::Http::Code code,
                    const std::string& body);

}  // namespace ovo
