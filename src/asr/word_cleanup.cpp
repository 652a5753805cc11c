#include "asr/word_cleanup.h"

#include <cctype>

namespace hush::asr {

std::optional<std::string> clean_token(std::string_view token) {
  if (token.empty()) return std::nullopt;
  const char first = token.front();
  // PocketSphinx marks non-words by their first character: <s>, </s>, <sil>; [NOISE]; ++UH++.
  if (first == '<' || first == '[' || first == '+') return std::nullopt;
  // "word(2)": the second pronunciation of "word" in the dictionary.
  if (token.back() == ')') {
    const std::size_t open = token.rfind('(');
    if (open != std::string_view::npos && open > 0 && open + 2 < token.size()) {
      bool digits = true;
      for (std::size_t i = open + 1; i + 1 < token.size(); ++i)
        digits = digits && std::isdigit(static_cast<unsigned char>(token[i]));
      if (digits) token = token.substr(0, open);
    }
  }
  std::string word(token);
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

std::string clean_hypothesis(std::string_view hypothesis) {
  std::string out;
  std::size_t i = 0;
  while (i < hypothesis.size()) {
    while (i < hypothesis.size() && std::isspace(static_cast<unsigned char>(hypothesis[i]))) ++i;
    std::size_t end = i;
    while (end < hypothesis.size() && !std::isspace(static_cast<unsigned char>(hypothesis[end]))) ++end;
    if (end > i) {
      if (auto word = clean_token(hypothesis.substr(i, end - i))) {
        if (!out.empty()) out += ' ';
        out += *word;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace hush::asr
