#pragma once
// Bearer tokens for the REST API (Settings.TokenFile, docs/security.md "REST tokens"): each
// token has a scope, read or read-write.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ovo {

enum class token_scope { read, read_write };

class access_tokens {
 public:
  void add(std::string token, token_scope scope);
  bool empty() const { return tokens_.empty(); }
  std::size_t size() const { return tokens_.size(); }
  /// The scope of `presented`, or nullopt when it is no token here. Every token is compared,
  /// each in constant time, so the time taken says nothing about which one nearly matched.
  std::optional<token_scope> scope_of(std::string_view presented) const;

 private:
  std::vector<std::pair<std::string, token_scope>> tokens_;
};

/// The token of an `Authorization: Bearer <token>` header value ("" when it is not one).
std::string_view bearer_token(std::string_view authorization);

}  // namespace ovo
