#include "store/fts_query.h"

#include <vector>

#include "util/error.h"

namespace hush::store {
namespace {

// Whether FTS5's unicode61 tokenizer would find a token in `text`: an ASCII letter or digit,
// or any non-ASCII byte (UTF-8 letters; the tokenizer decides about those itself).
bool has_word(const std::string& text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
  }
  return false;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    // FTS5 reads the expression as a C string: a NUL would end it inside the literal, an
    // "unterminated string" syntax error (found by fuzz/fuzz_fts_query).
    if (c == '\0') continue;
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::string to_fts5_query(const std::string& user_query) {
  std::vector<std::string> terms;
  std::size_t i = 0;
  while (i < user_query.size()) {
    if (is_space(user_query[i])) {
      ++i;
    } else if (user_query[i] == '"') {
      const std::size_t close = user_query.find('"', i + 1);
      if (close == std::string::npos)
        throw Error(HUSH_ERR_INVALID_ARGUMENT,
                    "search query has an unbalanced double quote: '" + user_query + "' (close the \"phrase\")");
      const std::string phrase = user_query.substr(i + 1, close - i - 1);
      if (has_word(phrase)) terms.push_back(quoted(phrase));
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < user_query.size() && !is_space(user_query[end]) && user_query[end] != '"') ++end;
      std::string word = user_query.substr(i, end - i);
      const bool prefix = word.size() > 1 && word.back() == '*';
      while (!word.empty() && word.back() == '*') word.pop_back();
      if (has_word(word)) terms.push_back(quoted(word) + (prefix ? "*" : ""));
      i = end;
    }
  }
  if (terms.empty())
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "search query '" + user_query + "' has no words to look for");
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "" : " ") + t;
  return out;
}

}  // namespace hush::store
