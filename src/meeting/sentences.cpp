#include "meeting/sentences.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <unordered_set>

namespace hush::meeting {

namespace {

// A compact English stop list (function words from the SMART list) plus the conversational
// words meetings are full of; none of them names a topic.
const std::unordered_set<std::string_view>& stop_words() {
  static const std::unordered_set<std::string_view> words = {
      "a", "about", "above", "after", "again", "against", "all", "almost", "also", "although",
      "always", "am", "among", "an", "and", "another", "any", "anybody", "anyone", "anything",
      "anyway", "are", "aren't", "around", "as", "at", "away", "back", "be", "because", "been",
      "before", "being", "below", "between", "both", "but", "by", "can", "can't", "cannot",
      "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "done",
      "down", "during", "each", "either", "else", "enough", "etc", "even", "ever", "every",
      "everybody", "everyone", "everything", "few", "for", "from", "further", "get", "gets",
      "getting", "give", "go", "goes", "going", "gone", "got", "gotta", "had", "hadn't", "has",
      "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "her", "here",
      "here's", "hers", "herself", "him", "himself", "his", "how", "how's", "however", "i",
      "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it'd", "it'll",
      "it's", "its", "itself", "just", "kind", "know", "let", "let's", "like", "lot", "lots",
      "made", "make", "many", "may", "maybe", "me", "mean", "might", "mine", "more", "most",
      "much", "must", "mustn't", "my", "myself", "need", "needs", "never", "no", "nobody",
      "none", "nor", "not", "nothing", "now", "of", "off", "often", "on", "once", "one", "ones",
      "only", "or", "other", "others", "ought", "our", "ours", "ourselves", "out", "over",
      "own", "perhaps", "please", "pretty", "probably", "put", "quite", "rather", "really",
      "said", "same", "say", "says", "see", "seem", "seems", "shall", "she", "she'd", "she'll",
      "she's", "should", "shouldn't", "since", "so", "some", "somebody", "someone", "something",
      "sometimes", "somewhat", "sort", "still", "such", "sure", "take", "than", "that",
      "that'll", "that's", "the", "their", "theirs", "them", "themselves", "then", "there",
      "there'd", "there'll", "there's", "these", "they", "they'd", "they'll", "they're",
      "they've", "thing", "things", "think", "this", "those", "though", "through", "thus", "to",
      "together", "too", "toward", "towards", "under", "until", "up", "upon", "us", "use",
      "used", "very", "via", "want", "wanna", "gonna", "was", "wasn't", "way", "we", "we'd",
      "we'll", "we're", "we've", "well", "were", "weren't", "what", "what's", "whatever", "when",
      "when's", "where", "where's", "whether", "which", "while", "who", "who's", "whole", "whom",
      "whose", "why", "why's", "will", "with", "within", "without", "won't", "would",
      "wouldn't", "yet", "you", "you'd", "you'll", "you're", "you've", "your", "yours",
      "yourself", "yourselves", "actually", "basically", "bit", "guess", "guys", "kinda",
      "literally", "stuff", "sorta", "totally", "yes", "yep", "yeah", "okay", "ok", "right",
      "alright", "oh", "ah", "um", "uh", "hmm", "mm", "mm-hmm", "uh-huh", "huh", "er", "erm",
      "eh", "hm", "mhm", "wow", "cool", "great", "good", "fine", "thanks", "thank", "sorry",
      "gonna", "'kay", "kay", "first", "second", "last", "next", "new", "old", "two", "three",
      "also", "already", "anyways", "whereas", "different", "certain", "thought", "looks",
      "look", "looking", "come", "came", "tell", "told", "talk", "talking", "saying", "went",
      "doing", "does", "wanted", "able", "idea", "ideas", "point", "yours", "less", "least",
      "yeah", "nice", "best", "better", "bad", "big", "small", "little", "long", "lots",
  };
  return words;
}

const std::unordered_set<std::string_view>& filler_words() {
  static const std::unordered_set<std::string_view> words = {
      "um", "uh", "hmm", "mm", "mm-hmm", "uh-huh", "huh", "er", "erm", "eh", "hm", "mhm", "ah",
      "oh", "yeah", "yep", "yes", "okay", "ok", "right", "alright", "so", "well", "like",
      "'kay", "kay", "no", "sure", "cool", "great", "thanks", "thank", "you", "sorry", "wow",
      "nice", "good", "fine", "mm-mm", "uh-uh", "and", "but", "oops", "hi", "hello", "bye"};
  return words;
}

// Hesitations removed from displayed text (back-channels like "yeah" are words people mean).
bool is_hesitation(std::string_view w) {
  return w == "um" || w == "uh" || w == "hmm" || w == "mm" || w == "er" || w == "erm" ||
         w == "hm" || w == "uh," || w == "um," || w == "mm-hmm" || w == "uh-huh";
}

std::vector<std::string> split_spaces(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    if (j > i) out.emplace_back(text.substr(i, j - i));
    i = j;
  }
  return out;
}

bool ends_sentence(const std::string& word) {
  std::size_t n = word.size();
  while (n > 0 && (word[n - 1] == '"' || word[n - 1] == '\'' || word[n - 1] == ')')) --n;
  if (n == 0) return false;
  const char c = word[n - 1];
  return c == '.' || c == '?' || c == '!';
}

struct Piece {
  std::size_t begin, end;  // raw word indices [begin, end)
};

// Cuts [begin, end) into pieces of at most max_words, at the widest pause when `gap_after`
// knows the pauses, else in the middle.
void cut_long(std::size_t begin, std::size_t end, std::size_t max_words,
              const std::vector<double>& gap_after, std::vector<Piece>& out) {
  if (end - begin <= max_words) {
    out.push_back({begin, end});
    return;
  }
  const std::size_t min_piece = std::max<std::size_t>(3, max_words / 4);
  std::size_t cut = begin + (end - begin) / 2;
  if (!gap_after.empty()) {
    double widest = -1.0;
    for (std::size_t i = begin + min_piece; i + min_piece <= end; ++i) {
      if (gap_after[i - 1] > widest) {
        widest = gap_after[i - 1];
        cut = i;
      }
    }
  }
  cut_long(begin, cut, max_words, gap_after, out);
  cut_long(cut, end, max_words, gap_after, out);
}

}  // namespace

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    while (!cur.empty() && (cur.back() == '\'' || cur.back() == '-')) cur.pop_back();
    std::size_t lead = 0;
    while (lead < cur.size() && cur[lead] == '-') ++lead;
    if (lead < cur.size()) out.push_back(cur.substr(lead));
    cur.clear();
  };
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      cur += static_cast<char>(std::tolower(c));
    } else if ((ch == '\'' || ch == '-') && !cur.empty()) {
      cur += ch;
    } else if (ch == '\'' && cur.empty()) {
      cur += ch;  // "'kay"
    } else {
      flush();
    }
  }
  flush();
  // A lone apostrophe is not a word.
  out.erase(std::remove(out.begin(), out.end(), std::string("'")), out.end());
  return out;
}

bool is_stop_word(std::string_view w) { return stop_words().count(w) > 0; }
bool is_filler(std::string_view w) { return filler_words().count(w) > 0; }

bool is_content_word(std::string_view w) {
  if (w.size() < 2 || is_stop_word(w) || is_filler(w)) return false;
  return !std::all_of(w.begin(), w.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string without_hesitations(std::string_view text) {
  std::string out;
  for (const std::string& raw : split_spaces(text)) {
    std::string lower;
    for (char c : raw) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (is_hesitation(lower)) continue;
    if (lower == "," && (out.empty() || out.back() == ',')) continue;
    if (!out.empty() && raw != "," && raw != "." && raw != "?" && raw != "!") out += ' ';
    out += raw;
  }
  // A sentence must not start with a dangling comma left by a removed hesitation.
  while (!out.empty() && (out.front() == ',' || out.front() == ' ')) out.erase(out.begin());
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string format_hms(double seconds) {
  // Clamped before the cast: a time beyond long's range (1e300 in a hand-edited notes JSON) or
  // infinity would be undefined behaviour (found by fuzz/fuzz_transcript_json).
  const double clamped = seconds > 0 ? std::min(seconds, 1e12) : 0.0;
  const long total = static_cast<long>(clamped + 1e-6);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
  return buf;
}

std::vector<Sentence> split_sentences(const Transcript& transcript, int max_words) {
  const std::size_t limit = static_cast<std::size_t>(std::max(4, max_words));
  std::vector<Sentence> out;
  for (const Segment& seg : transcript.segments) {
    const std::vector<std::string> raw = split_spaces(seg.text);
    if (raw.empty()) continue;
    const std::size_t n = raw.size();
    // Word times line up with the text only when the counts agree (corrections may edit text).
    const bool timed = seg.words.size() == n;
    std::vector<double> gap_after;
    if (timed) {
      gap_after.resize(n, 0.0);
      for (std::size_t i = 0; i + 1 < n; ++i) gap_after[i] = seg.words[i + 1].start_s - seg.words[i].end_s;
    }
    std::vector<Piece> pieces;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (ends_sentence(raw[i]) || i + 1 == n) {
        cut_long(begin, i + 1, limit, gap_after, pieces);
        begin = i + 1;
      }
    }
    const double span_s = seg.end_s - seg.start_s;
    auto start_of = [&](std::size_t i) {
      return timed ? seg.words[i].start_s : seg.start_s + span_s * static_cast<double>(i) / static_cast<double>(n);
    };
    auto end_of = [&](std::size_t i) {  // end of word i-1
      return timed ? seg.words[i - 1].end_s : seg.start_s + span_s * static_cast<double>(i) / static_cast<double>(n);
    };
    for (const Piece& p : pieces) {
      Sentence s;
      for (std::size_t i = p.begin; i < p.end; ++i) {
        if (!s.text.empty()) s.text += ' ';
        s.text += raw[i];
      }
      s.tokens = tokenize(s.text);
      if (s.tokens.empty()) continue;
      s.start_s = start_of(p.begin);
      s.end_s = std::max(s.start_s, end_of(p.end));
      s.speaker = seg.speaker;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace hush::meeting
