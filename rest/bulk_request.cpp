#include "rest/bulk_request.hpp"

#include "rest/body_reader.hpp"

namespace ovo {
namespace {

/// SAX consumer of a bulk body: an object whose field `list` is an array of strings (Keys) or
/// of objects, each read by its own body_reader (Items). Other fields are skipped.
class bulk_reader {
 public:
  bulk_reader(std::string list, bool objects) : list_(std::move(list)), objects_(objects) {}

  std::vector<std::string> keys;
  std::vector<body_fields> items;
  std::string error;
  bool too_many = false;
  bool list_seen = false;

  bool Null() { return item_ ? forward(item_->Null()) : scalar(true); }
  bool Bool(bool v) { return item_ ? forward(item_->Bool(v)) : scalar(false); }
  bool Int(int v) { return item_ ? forward(item_->Int(v)) : scalar(false); }
  bool Uint(unsigned v) { return item_ ? forward(item_->Uint(v)) : scalar(false); }
  bool Int64(int64_t v) { return item_ ? forward(item_->Int64(v)) : scalar(false); }
  bool Uint64(uint64_t v) { return item_ ? forward(item_->Uint64(v)) : scalar(false); }
  bool Double(double v) { return item_ ? forward(item_->Double(v)) : scalar(false); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return fail("unexpected raw number"); }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    if (item_) return forward(item_->String(text, length, copy));
    const std::string_view value(text, length);
    if (!is_valid_utf8(value)) return fail("text is not valid UTF-8");
    if (!in_list() || objects_) return scalar(false);
    if (!room()) return false;
    keys.emplace_back(value);
    return true;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    if (item_) return forward(item_->Key(text, length, copy));
    const std::string_view name(text, length);
    if (!is_valid_utf8(name)) return fail("text is not valid UTF-8");
    if (depth_ == 1 && skipped_ == 0) at_list_ = name == list_;
    return true;
  }
  bool StartObject() {
    if (item_) {
      ++item_depth_;
      return forward(item_->StartObject());
    }
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (in_list() && objects_) {
      if (!room()) return false;
      item_.emplace();
      item_depth_ = 1;
      return forward(item_->StartObject());
    }
    return open_other();
  }
  bool EndObject(rapidjson::SizeType members) {
    if (item_) {
      --item_depth_;
      if (!forward(item_->EndObject(members))) return false;
      if (item_depth_ == 0) {
        items.push_back(std::move(item_->fields));
        item_.reset();
      }
      return true;
    }
    if (!close_other()) depth_ = 0;  // the body's object ends
    return true;
  }
  bool StartArray() {
    if (item_) {
      ++item_depth_;
      return forward(item_->StartArray());
    }
    if (depth_ == 0) return fail("body must be a JSON object, not an array");
    if (at_list_field()) {
      if (list_seen) return fail(list_ + " appears more than once");
      list_seen = true;
      depth_ = 2;
      return true;
    }
    return open_other();
  }
  bool EndArray(rapidjson::SizeType elements) {
    if (item_) {
      --item_depth_;
      return forward(item_->EndArray(elements));
    }
    if (!close_other()) {  // the list ends
      depth_ = 1;
      at_list_ = false;
    }
    return true;
  }

  /// "Keys" or "Items".
  const std::string& list() const { return list_; }

 private:
  std::size_t entries() const { return objects_ ? items.size() : keys.size(); }
  bool in_list() const { return depth_ == 2 && skipped_ == 0; }
  bool at_list_field() const { return depth_ == 1 && skipped_ == 0 && at_list_; }

  /// A value that is neither an item's nor a key: the body itself, a wrong entry of the list,
  /// the list field with no list, or part of a skipped field.
  bool scalar(bool is_null) {
    if (depth_ == 0) return fail("body must be a JSON object");
    if (in_list()) return wrong_entry();
    if (at_list_field()) {
      at_list_ = false;
      if (!is_null) return not_a_list();  // null means absent, as in every body
    }
    return true;
  }
  /// An object or array that is not an item: a wrong entry, no list, or skipped.
  bool open_other() {
    if (in_list()) return wrong_entry();
    if (at_list_field()) return not_a_list();
    if (depth_ + skipped_ >= defaults::max_json_depth) return fail("JSON is nested too deeply");
    ++skipped_;
    return true;
  }
  /// Closes what open_other opened; false when the closing bracket is the list's or body's.
  bool close_other() {
    if (skipped_ == 0) return false;
    --skipped_;
    return true;
  }
  bool room() {
    if (entries() < bulk_max_entries) return true;
    too_many = true;
    return fail("more than " + std::to_string(bulk_max_entries) + " " + list_);
  }
  bool forward(bool accepted) {
    if (accepted) return true;
    return fail(list_ + "[" + std::to_string(items.size()) + "]: " + item_->error);
  }
  bool wrong_entry() {
    return fail(list_ + "[" + std::to_string(entries()) + "] is not " +
                (objects_ ? "an object" : "a string"));
  }
  bool not_a_list() { return fail(list_ + " must be an array"); }
  bool fail(std::string message) {
    if (error.empty()) error = std::move(message);
    return false;
  }

  std::string list_;
  bool objects_;
  int depth_ = 0;         ///< 1: in the body's object, 2: in the list
  int skipped_ = 0;       ///< nesting inside a skipped field
  bool at_list_ = false;  ///< the current field of the body is the list
  std::optional<body_reader> item_;
  int item_depth_ = 0;
};

/// Reads a bulk body whose list is `list` (of objects or strings), then makes an entry of each
/// element: `elements` picks them from the reader, `to_entry` builds one.
template <class Elements, class ToEntry>
bulk_decoded decode_bulk(const std::string& body, std::string list, bool objects, Elements elements,
                         ToEntry to_entry) {
  bulk_reader reader(std::move(list), objects);
  if (auto error = read_json(body, reader))
    return failure(reader.too_many ? status::too_large : status::bad_request, std::move(*error));
  if (!reader.list_seen) return failure(status::bad_request, reader.list() + " must be an array");
  auto& source = reader.*elements;
  std::vector<bulk_entry> entries;
  entries.reserve(source.size());
  for (auto& element : source) entries.push_back(to_entry(element));
  return entries;
}

}  // namespace

bulk_decoded decode_mget(const std::string& body, const request_limits& limits) {
  return decode_bulk(body, "Keys", false, &bulk_reader::keys, [&limits](std::string& key) {
    auto work = build_command(endpoint::get_object, key, {}, limits);
    return bulk_entry{std::move(key), std::move(work)};
  });
}

bulk_decoded decode_mset(const std::string& body, const request_limits& limits) {
  return decode_bulk(body, "Items", true, &bulk_reader::items, [&limits](body_fields& fields) {
    auto key = fields.key.value_or("");
    return bulk_entry{std::move(key),
                      command_from_fields(endpoint::set_object, {}, std::move(fields), limits)};
  });
}

}  // namespace ovo
