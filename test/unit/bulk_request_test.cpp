// POST /ovo/mget and /ovo/mset bodies (docs/protocol.md, "Bulk: mget and mset"): the shape is
// checked as a whole (400/"10", over 1,000 entries 413/"11"), each entry's values as its single
// request's, and the answer lists one entry per key in order.

#include "rest/bulk_request.hpp"

#include "rest/envelope.hpp"

#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

using ovo::status;

const ovo::request_limits limits{16, 8};

/// The entries of a body that must decode.
std::vector<ovo::bulk_entry> entries_of(const ovo::bulk_decoded& decoded) {
  REQUIRE(std::holds_alternative<std::vector<ovo::bulk_entry>>(decoded));
  return std::get<std::vector<ovo::bulk_entry>>(decoded);
}

/// The whole request's status (ok when it decoded).
status request_status(const ovo::bulk_decoded& decoded) {
  if (auto* error = std::get_if<ovo::reply>(&decoded)) return error->code;
  return status::ok;
}

/// Each entry's status (ok for a command to run).
std::vector<status> entry_statuses(const std::vector<ovo::bulk_entry>& entries) {
  std::vector<status> out;
  for (const auto& entry : entries) {
    const auto* refusal = std::get_if<ovo::reply>(&entry.work);
    out.push_back(refusal ? refusal->code : status::ok);
  }
  return out;
}

const ovo::command& command_of(const ovo::bulk_entry& entry) {
  REQUIRE(std::holds_alternative<ovo::command>(entry.work));
  return std::get<ovo::command>(entry.work);
}

/// {"Keys":["k0","k1",...]} with `n` keys.
std::string many_keys(std::size_t n) {
  std::string body = R"({"Keys":[)";
  for (std::size_t i = 0; i < n; ++i) body += (i ? ",\"k" : "\"k") + std::to_string(i) + "\"";
  return body + "]}";
}

}  // namespace

TEST_CASE("mget gives one get command per key, in request order, duplicates kept") {
  const auto entries =
      entries_of(ovo::decode_mget(R"({"Keys":["b","a","b"],"Extra":{"x":[1]}})", limits));
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].key == "b");
  CHECK(entries[1].key == "a");
  CHECK(entries[2].key == "b");
  CHECK(command_of(entries[1]).kind == ovo::op::get);
  CHECK(command_of(entries[1]).key == "a");
  CHECK(entries_of(ovo::decode_mget(R"({"Keys":[]})", limits)).empty());
}

TEST_CASE("mget refuses an empty or too long key in its own entry and runs the others") {
  const auto entries =
      entries_of(ovo::decode_mget(R"({"Keys":["ok","","0123456789abcdefX"]})", limits));
  CHECK(entry_statuses(entries) ==
        std::vector<status>{status::ok, status::bad_request, status::too_large});
  CHECK(entries[2].key == "0123456789abcdefX");
}

TEST_CASE("an mget body of the wrong shape is 400 for the whole request") {
  for (const char* body :
       {"", "not json", "[]", R"("Keys")", "{}", R"({"Keys":null})", R"({"Keys":"k"})",
        R"({"Keys":{"k":1}})", R"({"Keys":["k",1]})", R"({"Keys":["k",null]})",
        R"({"Keys":[["k"]]})", R"({"Keys":["k"]} x)", R"({"Keys":["k"],"Keys":["j"]})",
        "{\"Keys\":[\"\xff\"]}", R"({"Keys":["\udc00"]})"}) {
    CAPTURE(body);
    CHECK(request_status(ovo::decode_mget(body, limits)) == status::bad_request);
  }
}

TEST_CASE("the error of a malformed bulk body says where it is") {
  const auto decoded = ovo::decode_mget(R"({"Keys":["a","b",7]})", limits);
  REQUIRE(std::holds_alternative<ovo::reply>(decoded));
  CHECK(std::get<ovo::reply>(decoded).message == "Keys[2] is not a string");
  const auto item = ovo::decode_mset(R"({"Items":[{"Key":"a"},{"Key":"b","TTL":-1}]})", limits);
  REQUIRE(std::holds_alternative<ovo::reply>(item));
  CHECK(std::get<ovo::reply>(item).message == "Items[1]: TTL must not be negative");
}

TEST_CASE("1000 keys or items decode and 1001 are 413 for the whole request") {
  CHECK(entries_of(ovo::decode_mget(many_keys(1000), limits)).size() == 1000);
  CHECK(request_status(ovo::decode_mget(many_keys(1001), limits)) == status::too_large);
  std::string items = R"({"Items":[)";
  for (int i = 0; i < 1001; ++i) items += (i ? "," : "") + std::string(R"({"Key":"k"})");
  CHECK(request_status(ovo::decode_mset(items + "]}", limits)) == status::too_large);
}

TEST_CASE("mset gives one put per item with base64 or byte-array Data, TTL and Collection") {
  const auto entries = entries_of(
      ovo::decode_mset(R"({"Items":[{"Key":"a","Data":"aGk=","TTL":5,"Collection":"c","Hash":3},)"
                       R"({"Key":"b","Data":[104,105]},{"Key":"a"}]})",
                       limits));
  REQUIRE(entries.size() == 3);
  const auto& first = command_of(entries[0]);
  CHECK(first.kind == ovo::op::put);
  CHECK(first.key == "a");
  CHECK(first.data == "hi");
  CHECK(first.ttl_seconds == 5);
  CHECK(first.collection == "c");
  CHECK(command_of(entries[1]).data == "hi");
  CHECK(command_of(entries[2]).data.empty());  // an absent Data is an empty value, as in a PUT
  CHECK(entries[2].key == "a");
}

TEST_CASE("mset refuses an item's bad values in its own entry, as a PUT would refuse them") {
  const auto entries = entries_of(ovo::decode_mset(
      R"({"Items":[{"Key":""},{"Data":"aGk="},{"Key":"k","Data":"not base64!"},)"
      R"({"Key":"k","Data":"MDEyMzQ1Njc4"},{"Key":"k","Collection":"0123456789abcdefX"},)"
      R"({"Key":"fine"}]})",
      limits));
  CHECK(entry_statuses(entries) == std::vector<status>{status::bad_request, status::bad_request,
                                                       status::bad_request, status::too_large,
                                                       status::too_large, status::ok});
  CHECK(entries[1].key.empty());
}

TEST_CASE("an mset body of the wrong shape or an item a PUT parser refuses is 400 for all") {
  for (const char* body :
       {"{}", R"({"Items":{}})", R"({"Items":["k"]})", R"({"Items":[{"Key":"k"},[]]})",
        R"({"Items":[{"Key":1}]})", R"({"Items":[{"Key":"k","TTL":"5"}]})",
        R"({"Items":[{"Key":"k","TTL":1.5}]})", R"({"Items":[{"Key":"k","Data":[256]}]})",
        R"({"Items":[{"Key":"k","Data":{}}]})", R"({"Items":[{"Key":"k"}],"Items":[]})"}) {
    CAPTURE(body);
    CHECK(request_status(ovo::decode_mset(body, limits)) == status::bad_request);
  }
}

TEST_CASE("a bulk body nested deeper than 64 is refused, in the list or in a skipped field") {
  const auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']');
  };
  CHECK(request_status(ovo::decode_mget(R"({"Keys":[],"x":)" + nested(63) + "}", limits)) ==
        status::ok);
  CHECK(request_status(ovo::decode_mget(R"({"Keys":[],"x":)" + nested(64) + "}", limits)) ==
        status::bad_request);
  CHECK(request_status(ovo::decode_mset(R"({"Items":[{"Key":"k","x":)" + nested(64) + "}]}",
                                        limits)) == status::bad_request);
}

TEST_CASE("the bulk envelope lists Key, Status, Code and Data per entry, Data only when found") {
  ovo::reply found;
  found.kind = ovo::payload::object;
  found.key = "a";
  found.data = "hi";
  auto missing = ovo::failure(status::not_found, "no such key");
  missing.key = "b";
  ovo::reply stored;
  stored.key = "c\"";
  CHECK(ovo::encode_bulk_envelope({found, missing, stored}) ==
        R"({"Status":"done","Code":"0","Data":[)"
        R"({"Key":"a","Status":"done","Code":"0","Data":"aGk="},)"
        R"({"Key":"b","Status":"error","Code":"101","Data":null},)"
        R"({"Key":"c\"","Status":"done","Code":"0","Data":null}]})");
  CHECK(ovo::encode_bulk_envelope({}) == R"({"Status":"done","Code":"0","Data":[]})");
}
