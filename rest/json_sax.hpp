#pragma once
// RapidJSON's SAX reader as the body decoders run it. Every file that includes RapidJSON does so
// through here, so all of them see one SIMD setting (inline functions must not differ).

// RapidJSON copies unescaped runs of a string 16 bytes at a time with SSE2 (every x86-64 CPU).
#if defined(__SSE2__) && !defined(RAPIDJSON_SSE2)
#define RAPIDJSON_SSE2
#endif
#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <optional>
#include <string>

namespace ovo {

/// Runs `handler` (RapidJSON's handler concept, with a `std::string error` it sets when it
/// refuses something) over all of `body`. Gives what is wrong, or nothing.
template <class Handler>
std::optional<std::string> read_json(const std::string& body, Handler& handler) {
  rapidjson::StringStream input(body.c_str());
  // Strings are gathered on the reader's stack: sized for the body, it is allocated once
  // instead of growing from 256 bytes in ~10 reallocations for a 4 KiB value.
  rapidjson::Reader parser(nullptr, body.size() + 1);
  // No kParseValidateEncodingFlag: the handlers check every string and name with
  // is_valid_utf8 (which also refuses the escaped lone surrogates RapidJSON lets through);
  // RapidJSON's check would repeat it byte by byte and turn off its SSE2 copy of strings
  // (PUT 4 KiB spent 10% of the node's CPU in ParseString).
  const auto result = parser.Parse<rapidjson::kParseNoFlags>(input, handler);
  // RapidJSON takes a NUL byte for the end of input; anything after it is still trailing data.
  if (!result.IsError() && input.Tell() != body.size())
    return "body is not valid JSON: data after the document (at byte " +
           std::to_string(input.Tell()) + ")";
  if (!result.IsError()) return std::nullopt;
  if (!handler.error.empty()) return handler.error;
  return "body is not valid JSON: " + std::string(rapidjson::GetParseError_En(result.Code())) +
         " (at byte " + std::to_string(result.Offset()) + ")";
}

}  // namespace ovo
