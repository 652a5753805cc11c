#include "meeting/cues.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "meeting/sentences.h"

namespace hush::meeting {

namespace {

std::string lower_of(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void push(std::vector<CueWord>& out, std::string text, std::string lower) {
  out.push_back({std::move(text), std::move(lower), 0});
}

// Expands one word (punctuation already stripped) into CueWords.
void expand(const std::string& word, std::vector<CueWord>& out) {
  // Typographic apostrophes (U+2019, from typed transcripts) count as ASCII ones.
  std::string w;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word.compare(i, 3, "\xe2\x80\x99") == 0) {
      w += '\'';
      i += 2;
    } else {
      w += word[i];
    }
  }
  const std::string l = lower_of(w);
  struct Pair { std::string_view from, a, b; };
  static const std::array<Pair, 5> whole = {{{"gonna", "going", "to"}, {"wanna", "want", "to"},
                                             {"gotta", "got", "to"}, {"won't", "will", "not"},
                                             {"can't", "can", "not"}}};
  for (const Pair& p : whole) {
    if (l == p.from) {
      push(out, std::string(p.a), std::string(p.a));
      push(out, std::string(p.b), std::string(p.b));
      return;
    }
  }
  if (l != "let's") {
    static const std::array<std::pair<std::string_view, std::string_view>, 6> tails = {
        {{"n't", "not"}, {"'ll", "will"}, {"'m", "am"}, {"'re", "are"}, {"'ve", "have"}, {"'d", "would"}}};
    for (const auto& [tail, full] : tails) {
      if (ends_with(l, tail) && l.size() > tail.size()) {
        const std::size_t stem = l.size() - tail.size();
        push(out, w.substr(0, stem), l.substr(0, stem));
        push(out, w.substr(stem), std::string(full));
        return;
      }
    }
    if (ends_with(l, "'s") && l.size() > 2) {  // "is", "has" or possessive: kept as "'s"
      push(out, w.substr(0, l.size() - 2), l.substr(0, l.size() - 2));
      push(out, "'s", "'s");
      return;
    }
  }
  push(out, w, l);
}

bool is_punct(char c) { return c == ',' || c == '.' || c == '?' || c == '!' || c == ';' || c == ':'; }

}  // namespace

std::vector<CueWord> cue_words(std::string_view sentence) {
  std::vector<CueWord> out;
  std::size_t i = 0;
  while (i < sentence.size()) {
    while (i < sentence.size() && std::isspace(static_cast<unsigned char>(sentence[i]))) ++i;
    std::size_t j = i;
    while (j < sentence.size() && !std::isspace(static_cast<unsigned char>(sentence[j]))) ++j;
    std::string raw(sentence.substr(i, j - i));
    i = j;
    // Strip quotes/brackets around the word and note its trailing punctuation.
    char punct = 0;
    while (!raw.empty() && (is_punct(raw.back()) || raw.back() == '"' || raw.back() == ')')) {
      if (is_punct(raw.back()) && punct == 0) punct = raw.back();
      raw.pop_back();
    }
    while (!raw.empty() && (raw.front() == '"' || raw.front() == '(')) raw.erase(raw.begin());
    if (raw.empty() || raw == "-" || raw == "--") {  // "Okay , so" (AMI) or a dash
      if (punct != 0 && !out.empty()) out.back().punct = punct;
      if ((raw == "-" || raw == "--") && !out.empty()) out.back().punct = ',';
      continue;
    }
    expand(raw, out);
    out.back().punct = punct;
  }
  return out;
}

bool is_connector(std::string_view w) {
  static const std::unordered_set<std::string_view> words = {
      "and", "so", "then", "okay", "ok", "alright", "right", "um", "uh", "well", "yeah", "also",
      "but", "now", "oh", "fine", "good", "great", "sure", "yes", "plus", "anyway", "hmm", "mm",
      "erm", "er", "ah", "cool", "actually", "basically", "and", "perfect", "yep"};
  return words.count(w) > 0;
}

bool is_question(std::string_view sentence) {
  std::size_t end = sentence.size();
  while (end > 0 && std::isspace(static_cast<unsigned char>(sentence[end - 1]))) --end;
  if (end > 0 && sentence[end - 1] == '?') return true;
  const std::vector<CueWord> w = cue_words(sentence);
  std::size_t i = 0;
  while (i < w.size() && is_connector(w[i].lower)) ++i;
  if (i >= w.size()) return false;
  static const std::unordered_set<std::string_view> wh = {"what", "why", "how", "when", "where",
                                                          "who", "which", "whose", "whom"};
  static const std::unordered_set<std::string_view> aux = {
      "do", "does", "did", "is", "are", "was", "were", "can", "could", "would", "will", "should",
      "shall", "have", "has", "had", "may", "might", "am"};
  static const std::unordered_set<std::string_view> subjects = {
      "i", "you", "we", "they", "he", "she", "it", "this", "that", "there", "the", "a", "an",
      "anyone", "anybody", "everyone", "someone", "somebody", "our", "your", "my", "these", "those"};
  if (wh.count(w[i].lower)) {
    // "what we need is ..." is a statement: a wh-word straight before a subject and without a
    // following auxiliary reads as a relative clause.
    if (i + 2 < w.size() && subjects.count(w[i + 1].lower) && !aux.count(w[i + 2].lower) &&
        w[i + 2].lower != "'s")
      return false;
    return true;
  }
  if (aux.count(w[i].lower)) {
    std::size_t k = i + 1;
    if (k < w.size() && w[k].lower == "not") ++k;  // "don't we", "isn't it"
    return k < w.size() && subjects.count(w[k].lower) > 0;
  }
  return false;
}

bool is_decision(std::string_view sentence) {
  if (is_question(sentence)) return false;
  const std::vector<std::string> tokens = tokenize(sentence);
  static const std::unordered_set<std::string_view> negations = {
      "not", "haven't", "hasn't", "didn't", "don't", "never", "if", "whether", "undecided", "can't", "won't"};
  for (const std::string& t : tokens)
    if (negations.count(t)) return false;
  std::string joined = " ";
  for (const std::string& t : tokens) joined += t + " ";
  static const std::array<std::string_view, 27> cues = {
      " we decided ", " we've decided ", " we have decided ", " it's decided ", " it is decided ",
      " decided that ", " decided to ", " decided on ", " let's go with ", " we'll go with ",
      " we will go with ", " we're going with ", " we are going with ", " going to go with ",
      " agreed ", " we agree ", " we all agree ", " the decision is ", " decision is ",
      " we settled on ", " let's stick with ", " we'll stick with ", " final decision ",
      " we chose ", " we've chosen ", " that's settled ", " it's settled "};
  for (std::string_view cue : cues)
    if (joined.find(cue) != std::string::npos) return true;
  return false;
}

}  // namespace hush::meeting
