// The head of a response sent in pieces (rest/piecewise_response.hpp) is what Pistache writes.

#include "rest/piecewise_response.hpp"

#include <doctest/doctest.h>

using namespace Pistache;

TEST_CASE("a response head is the status line, the headers, then Content-Length") {
  Http::Header::Collection headers;
  headers.add<Http::Header::ContentType>(MIME(Application, Json));
  CHECK(ovo::response_head(Http::Version::Http11, Http::Code::Ok, headers, 19'000'000) ==
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19000000\r\n\r\n");
  CHECK(ovo::response_head(Http::Version::Http10, Http::Code::Service_Unavailable, {}, 0) ==
        "HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
}
