#include "test/integration/http_client.hpp"

#include "core/base64.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ovo::test {
namespace {

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

nlohmann::json http_response::envelope() const {
  return nlohmann::json::parse(body, nullptr, false);
}

std::string http_response::code() const {
  auto json = envelope();
  return json.is_object() && json.contains("Code") ? json["Code"].get<std::string>() : "<none>";
}

bool http_response::has_header(const std::string& line) const {
  return headers.find(line + "\r\n") != std::string::npos;
}

std::string http_response::header(const std::string& name) const {
  std::size_t start = 0;
  while (start < headers.size()) {
    auto end = headers.find("\r\n", start);
    if (end == std::string::npos) end = headers.size();
    const auto line = headers.substr(start, end - start);
    start = end + 2;
    const auto colon = line.find(':');
    if (colon != name.size() || strncasecmp(line.data(), name.data(), name.size()) != 0) continue;
    const auto value = line.find_first_not_of(' ', colon + 1);
    return value == std::string::npos ? "" : line.substr(value);
  }
  return "";
}

http_client::http_client() : curl_(curl_easy_init()) {}

http_client::~http_client() { curl_easy_cleanup(curl_); }

http_response http_client::request(const std::string& method, const std::string& url,
                                   const std::string& body) {
  http_response response;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  if (!ca_file.empty()) curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_file.c_str());
  if (body.empty() && method != "POST" && method != "PUT") {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
  }
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, append_to_string);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 20L);
  // Like the Go client: no "Expect: 100-continue" round trip.
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  if (!bearer_token.empty())
    headers = curl_slist_append(headers, ("Authorization: Bearer " + bearer_token).c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
  if (curl_easy_perform(curl_) == CURLE_OK)
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  return response;
}

long http_client::new_connections() const {
  long count = -1;
  curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &count);
  return count;
}

std::string to_base64(const std::string& bytes) {
  std::string out;
  ovo::append_base64(out, bytes);
  return out;
}

raw_connection::raw_connection(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

raw_connection::~raw_connection() { close(fd_); }

bool raw_connection::send_all(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

raw_result raw_connection::receive(std::chrono::milliseconds wait, std::size_t enough) {
  raw_result result;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buffer[65536];
  while (std::chrono::steady_clock::now() < deadline &&
         (enough == 0 || result.received.size() < enough)) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const auto n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) {
      result.closed_by_server = true;
      break;
    }
    result.received.append(buffer, static_cast<std::size_t>(n));
  }
  return result;
}

raw_result raw_exchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds wait) {
  raw_connection connection(port);
  if (!connection.connected() || !connection.send_all(bytes)) return {};
  return connection.receive(wait);
}

}  // namespace ovo::test
