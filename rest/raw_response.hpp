#pragma once
// A body answered as it is, with its own content type: what the REST layer sends besides the
// JSON envelope (the dashboard page and its figures).

#include <cstdint>
#include <string>

namespace ovo {

struct raw_response {
  uint16_t http_status = 200;
  std::string content_type;  ///< e.g. "text/html; charset=utf-8"
  std::string body;
};

}  // namespace ovo
