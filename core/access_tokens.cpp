#include "core/access_tokens.hpp"

#include "core/secrets.hpp"

namespace ovo {

void access_tokens::add(std::string token, token_scope scope) {
  tokens_.emplace_back(std::move(token), scope);
}

std::optional<token_scope> access_tokens::scope_of(std::string_view presented) const {
  std::optional<token_scope> found;
  for (const auto& [token, scope] : tokens_)
    if (constant_time_equal(presented, token) && !found) found = scope;
  return found;
}

std::string_view bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "Bearer ";
  if (authorization.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)  // the scheme is case-insensitive (RFC 7235)
    if ((authorization[i] | 0x20) != (scheme[i] | 0x20)) return {};
  auto token = authorization.substr(scheme.size());
  while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
  return token;
}

}  // namespace ovo
