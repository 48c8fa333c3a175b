#include "rest/scan_query.hpp"

#include "core/scan_cursor.hpp"
#include "rest/percent_decode.hpp"

#include <charconv>

namespace ovo {

std::variant<command, reply> scan_command(const std::optional<std::string>& cursor,
                                          const std::optional<std::string>& count,
                                          const std::optional<std::string>& match,
                                          std::size_t max_pattern_bytes) {
  const auto cursor_text = percent_decode(cursor.value_or("0"));
  const auto position = cursor_text ? parse_scan_cursor(*cursor_text) : std::nullopt;
  if (!position)
    return failure(
        status::bad_request,
        "cursor must be 0 or a cursor an earlier scan answered, got " + cursor.value_or(""));
  std::size_t page = scan_default_count;
  if (count) {
    const auto* end = count->data() + count->size();
    const auto [stop, error] = std::from_chars(count->data(), end, page);
    if (count->empty() || error != std::errc() || stop != end || page < 1 || page > scan_max_count)
      return failure(status::bad_request, "count must be an integer from 1 to " +
                                              std::to_string(scan_max_count) + ", got " + *count);
  }
  auto pattern = percent_decode(match.value_or(""));
  if (!pattern) return failure(status::bad_request, "match is not valid percent-encoding");
  if (pattern->size() > max_pattern_bytes)
    return failure(status::too_large,
                   "match is longer than " + std::to_string(max_pattern_bytes) + " bytes");
  return make_scan_command(*position, page, std::move(*pattern));
}

}  // namespace ovo
