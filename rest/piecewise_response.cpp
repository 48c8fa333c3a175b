#include "rest/piecewise_response.hpp"

#include <pistache/peer.h>
#include <pistache/transport.h>

#include <algorithm>
#include <sstream>

namespace ovo {

using namespace Pistache;

std::string response_head(Http::Version version, Http::Code code,
                          const Http::Header::Collection& headers, std::size_t body_bytes) {
  // The same steps as Pistache 0.0.5's putOnWire (writeStatusLine, writeHeaders, Content-Length).
  std::ostringstream os;
  os << version << ' ' << static_cast<int>(code) << ' ' << code << "\r\n";
  for (const auto& header : headers.list()) {
    os << header->name() << ": ";
    header->write(os);
    os << "\r\n";
  }
  os << Http::Header::ContentLength::Name << ": " << body_bytes << "\r\n\r\n";
  return os.str();
}

void send_in_pieces(Http::ResponseWriter& writer, Tcp::Transport& transport, Http::Version version,
                    Http::Code code, const std::string& body) {
  const auto peer = writer.peer();
  peer->setIdle(true);  // as ResponseWriter::send: the connection now waits for its next request
  const auto fd = peer->fd();
  // Each asyncWrite is queued to the reactor (safe from any thread) and written in queue order.
  // The promises are dropped, as http_handler.cpp explains for send().
  auto first = response_head(version, code, writer.headers(), body.size());
  const auto first_piece = std::min(body.size(), response_piece_bytes);
  first.append(body, 0, first_piece);
  const auto first_bytes = first.size();
  transport.asyncWrite(fd, RawBuffer(std::move(first), first_bytes));
  for (std::size_t from = first_piece; from < body.size(); from += response_piece_bytes) {
    const auto length = std::min(response_piece_bytes, body.size() - from);
    transport.asyncWrite(fd, RawBuffer(body.data() + from, length));
  }
}

}  // namespace ovo
