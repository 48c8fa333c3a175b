#include "config/token_file.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace ovo {

std::optional<std::string> read_token_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::nullopt;
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  constexpr const char* space = " \t\r\n";
  const auto first = text.find_first_not_of(space);
  if (first == std::string::npos) return std::string();
  return text.substr(first, text.find_last_not_of(space) - first + 1);
}

std::variant<access_tokens, std::string> read_access_tokens(const std::string& path) {
  std::ifstream file(path);
  if (!file) return "cannot read " + path;
  access_tokens tokens;
  int number = 0;
  for (std::string line; std::getline(file, line);) {
    ++number;
    std::istringstream words(line);
    std::string token, scope, extra;
    if (!(words >> token) || token.front() == '#') continue;
    const auto where = path + " line " + std::to_string(number) + ": ";
    if (!(words >> scope) || (words >> extra))
      return where + "expected \"TOKEN read\" or \"TOKEN read-write\"";
    if (scope == "read")
      tokens.add(token, token_scope::read);
    else if (scope == "read-write")
      tokens.add(token, token_scope::read_write);
    else
      return where + "the scope must be read or read-write, not \"" + scope + "\"";
  }
  if (tokens.empty()) return path + " holds no token";
  return tokens;
}

}  // namespace ovo
