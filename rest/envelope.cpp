#include "rest/envelope.hpp"

#include "core/base64.hpp"
#include "core/utf8.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace ovo {
namespace {

/// Appends the decimal form of `number` without a temporary string.
void append_integer(std::string& out, int64_t number) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, static_cast<std::size_t>(end - digits));
}

/// Appends `[a,b,…]`, each item written by `append_item`.
template <class Items, class AppendItem>
void append_list(std::string& out, const Items& items, AppendItem append_item) {
  out += '[';
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    append_item(out, items[i]);
  }
  out += ']';
}

void append_string_item(std::string& out, std::string_view text) { append_json_string(out, text); }

void append_node(std::string& out, const node_info& node) {
  out += "{\"Name\":";
  append_json_string(out, node.name);
  out += ",\"HashRange\":";
  append_list(out, node.hash_range, [](std::string& o, int slot) { append_integer(o, slot); });
  out += ",\"Host\":";
  append_json_string(out, node.host);
  out += ",\"Port\":";
  append_integer(out, node.port);
  out += node.active ? ",\"State\":\"ACTIVE\"" : ",\"State\":\"INACTIVE\"";
  out += ",\"Twins\":";
  append_list(out, node.twins, append_string_item);
  out += '}';
}

void append_data(std::string& out, const reply& answer) {
  switch (answer.kind) {
    case payload::none:
      out += "null";
      return;
    case payload::object:
      out += "{\"Key\":";
      append_json_string(out, answer.key);
      out += ",\"Data\":\"";
      append_base64(out, answer.data);
      out += "\"}";
      return;
    case payload::counter:
      out += "{\"Key\":";
      append_json_string(out, answer.key);
      out += ",\"Value\":";
      append_integer(out, answer.number);
      out += '}';
      return;
    case payload::number:
      append_integer(out, answer.number);
      return;
    case payload::keys:
      out += "{\"Keys\":";
      append_list(out, answer.keys, append_string_item);
      out += '}';
      return;
    case payload::scan:
      out += "{\"Cursor\":";
      append_json_string(out, answer.key);
      out += ",\"Keys\":";
      append_list(out, answer.keys, append_string_item);
      out += '}';
      return;
    case payload::nodes:
      out += "{\"Nodes\":";
      append_list(out, answer.nodes, append_node);
      out += '}';
      return;
    case payload::node:
      if (answer.nodes.empty())
        out += "null";
      else
        append_node(out, answer.nodes.front());
      return;
  }
}

/// Appends `"Status":"done"|"error","Code":"<code>"`.
void append_status(std::string& out, status code) {
  out +=
      code == status::ok ? "\"Status\":\"done\",\"Code\":\"" : "\"Status\":\"error\",\"Code\":\"";
  out += status_table(code).code;
  out += '"';
}

/// Whether a byte of a JSON string is written other than as itself (escaped), or starts a
/// UTF-8 sequence to check.
bool needs_escaping_or_check(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte >= 0x80 || c == '"' || c == '\\';
}

/// Near enough what `answer` encodes to, to reserve it once: a listing of 1M keys (19 MB)
/// otherwise grew through a score of reallocations.
std::size_t expected_size(const reply& answer) {
  std::size_t bytes = 48 + answer.key.size() + answer.data.size() * 4 / 3;
  bytes += answer.keys.bytes.size() + 3 * answer.keys.size();  // quotes and commas
  return bytes;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t pos = 0;
  while (pos < text.size()) {
    // Bytes written as themselves go in one append: usually the whole key.
    const auto special = std::find_if(text.begin() + static_cast<std::ptrdiff_t>(pos), text.end(),
                                      needs_escaping_or_check);
    const auto plain_end = static_cast<std::size_t>(special - text.begin());
    out.append(text.substr(pos, plain_end - pos));
    pos = plain_end;
    if (pos == text.size()) break;
    const char c = text[pos];
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
      // Stored keys were checked on the way in; this keeps the envelope valid JSON regardless.
      const auto rune = decode_rune(text, pos);
      if (rune.valid)
        out.append(text.substr(pos, rune.width));
      else
        out += "\ufffd";
      pos += rune.width;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
      ++pos;
    } else {
      out += "\\u00";
      out += hex[byte >> 4];
      out += hex[byte & 15];
      ++pos;
    }
  }
  out += '"';
}

std::string encode_envelope(const reply& answer) {
  std::string out;
  out.reserve(expected_size(answer));
  out += '{';
  append_status(out, answer.code);
  out += ",\"Data\":";
  // An error's Data is null, as the original answers: the .Net client deserializes Data into a
  // typed object and throws on anything else. The reason travels in X-Ovo-Error.
  if (answer.code == status::ok)
    append_data(out, answer);
  else
    out += "null";
  out += '}';
  return out;
}

std::string encode_bulk_envelope(const std::vector<reply>& answers) {
  std::string out = "{";
  append_status(out, status::ok);
  out += ",\"Data\":";
  append_list(out, answers, [](std::string& o, const reply& answer) {
    o += "{\"Key\":";
    append_json_string(o, answer.key);
    o += ',';
    append_status(o, answer.code);
    o += ",\"Data\":";
    if (answer.code == status::ok && answer.kind == payload::object) {
      o += '"';
      append_base64(o, answer.data);
      o += '"';
    } else {
      o += "null";
    }
    o += '}';
  });
  out += '}';
  return out;
}

}  // namespace ovo
