#pragma once
// The error table of docs/protocol.md as one enum with one mapping to (HTTP status, Code).

#include <cstdint>
#include <string_view>

namespace ovo {

/// New codes go last: rest/request_metrics.hpp sizes its table by the last one.
enum class status : uint8_t {
  ok,                  ///< 200, "0"
  not_found,           ///< 404, "101": key or counter not found
  bad_request,         ///< 400, "10": not JSON, wrong type, bad base64, empty key, overflow
  value_mismatch,      ///< 403, "103": updatevalueifequal / deletevalueifequal mismatch
  key_value_mismatch,  ///< 403, "104": updatekeyvalueifequal mismatch or missing
  update_key_failed,   ///< 403, "105": updatekey source missing
  too_large,           ///< 413, "11": body, key or value over the configured limit
  unknown_path,        ///< 404, "12"
  wrong_method,        ///< 405, "13" (with Allow)
  unavailable,         ///< 503, "14": owner or replica not reachable in time; nothing applied
  outcome_unknown,     ///< 503, "18": applied on the owner, too few copies confirmed in time
  unauthorized,        ///< 401, "16": no valid bearer token (Settings.TokenFile)
  read_only_token,     ///< 403, "17": a read token used for a write
  /// 507, "15": the write would pass Settings.MaxMemoryBytes and EvictionPolicy is noeviction
  /// (or nothing is left to evict); nothing applied
  insufficient_storage,
};

struct status_row {
  int http;
  std::string_view code;
};

constexpr status_row status_table(status s) {
  switch (s) {
    case status::ok:
      return {200, "0"};
    case status::not_found:
      return {404, "101"};
    case status::bad_request:
      return {400, "10"};
    case status::value_mismatch:
      return {403, "103"};
    case status::key_value_mismatch:
      return {403, "104"};
    case status::update_key_failed:
      return {403, "105"};
    case status::too_large:
      return {413, "11"};
    case status::unknown_path:
      return {404, "12"};
    case status::wrong_method:
      return {405, "13"};
    case status::unavailable:
      return {503, "14"};
    case status::outcome_unknown:
      return {503, "18"};
    case status::unauthorized:
      return {401, "16"};
    case status::read_only_token:
      return {403, "17"};
    case status::insufficient_storage:
      return {507, "15"};
  }
  return {500, "1"};
}

}  // namespace ovo
