#pragma once
// POST /ovo/mget and /ovo/mset bodies (docs/protocol.md, "Bulk: mget and mset") -> one command
// per key or item, in request order. The body's shape is checked as a whole; each entry's values
// as the single request's would be, so one refused entry leaves the others to run.

#include "core/command.hpp"
#include "rest/request_decoder.hpp"

#include <string>
#include <variant>
#include <vector>

namespace ovo {

/// At most this many keys (mget) or items (mset) a request; more: 413/"11", nothing done.
inline constexpr std::size_t bulk_max_entries = 1000;

/// One key or item of a bulk request.
struct bulk_entry {
  std::string key;                    ///< as the request named it ("" when an item had none)
  std::variant<command, reply> work;  ///< the command to run, or why this entry is refused
};

using bulk_decoded = std::variant<std::vector<bulk_entry>, reply>;

/// The get commands of `{"Keys":["k",...]}`, or the whole request's error: 400/"10" when the
/// body is not JSON, not an object, has no array Keys, or an entry is not a string; 413/"11"
/// for more than bulk_max_entries keys. A key refused as GET /ovo/keystorage/:key would refuse
/// it (empty: 400/"10", too long: 413/"11") is that entry's error.
bulk_decoded decode_mget(const std::string& body, const request_limits& limits);

/// The put commands of `{"Items":[{"Key","Data","TTL","Collection"},...]}`, or the whole
/// request's error: 400/"10" as for mget, or when an item is not an object or holds what a PUT
/// body's parser refuses (a field of the wrong type, a negative TTL, a byte array with anything
/// but 0-255, invalid UTF-8); 413/"11" for more than bulk_max_entries items. What a PUT refuses
/// after parsing (an empty Key, bad base64, a key, collection or value over its limit) is that
/// item's error.
bulk_decoded decode_mset(const std::string& body, const request_limits& limits);

}  // namespace ovo
