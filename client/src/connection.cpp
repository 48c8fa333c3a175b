#include "connection.hpp"

#include <stdexcept>

namespace ovo::client {
namespace {

size_t append(char* data, size_t size, size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

}  // namespace

connection::connection(std::string address, long timeout_ms)
    : base_url_("http://" + std::move(address)), curl_(curl_easy_init()), headers_(nullptr) {
  if (!curl_) throw std::runtime_error("libcurl could not create a handle");
  // Pistache closes HTTP/1.1 connections that do not ask to be kept alive.
  headers_ = curl_slist_append(headers_, "Connection: keep-alive");
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  headers_ = curl_slist_append(headers_, "Expect:");
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append);
}

connection::~connection() {
  curl_slist_free_all(headers_);
  curl_easy_cleanup(curl_);
}

std::string escape(const std::string& segment) {
  // libcurl >= 7.82 escapes without a handle.
  char* escaped = curl_easy_escape(nullptr, segment.data(), static_cast<int>(segment.size()));
  std::string out = escaped ? escaped : "";
  curl_free(escaped);
  return out;
}

http_answer connection::request(const char* method, const std::string& path,
                                const std::string& body) {
  http_answer answer;
  const auto url = base_url_ + path;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
  if (body.empty()) {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method);
  } else {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  }
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &answer.body);
  if (curl_easy_perform(curl_) != CURLE_OK) return {};
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace ovo::client
