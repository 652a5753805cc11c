#include "meeting/action_items.h"

#include <cctype>
#include <regex>
#include <unordered_set>
#include <vector>

#include "meeting/cues.h"
#include "meeting/sentences.h"

namespace hush::meeting {

namespace {

using Words = std::vector<CueWord>;

const std::unordered_set<std::string_view> kMonthsDays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december"};

bool is_name(const CueWord& w, const std::string& speaker_label) {
  if (!speaker_label.empty() && w.lower == [&] {
        std::string l = speaker_label;
        for (char& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return l;
      }())
    return true;
  if (w.text.size() < 2 || !std::isupper(static_cast<unsigned char>(w.text[0]))) return false;
  return !is_stop_word(w.lower) && !is_filler(w.lower) && !is_connector(w.lower) &&
         !kMonthsDays.count(w.lower) && w.lower != "i";
}

bool clause_start(const Words& w, std::size_t i) {
  while (true) {
    if (i == 0 || w[i - 1].punct != 0) return true;
    if (!is_connector(w[i - 1].lower)) return false;
    --i;
  }
}

// The addressee named at the start ("Bob, can you ...") or the end ("..., Bob?"), or "".
std::string vocative(const Words& w) {
  if (w.size() >= 2 && w[0].punct == ',' && is_name(w[0], "")) return w[0].text;
  if (w.size() >= 2 && w[w.size() - 2].punct == ',' && is_name(w.back(), "")) return w.back().text;
  return {};
}

// Where the verb phrase that starts at `i` ends (exclusive): at sentence punctuation, or at a
// comma that opens a new clause or a closing vocative.
std::size_t clause_end(const Words& w, std::size_t i) {
  static const std::unordered_set<std::string_view> openers = {
      "and", "but", "so", "then", "okay", "because", "if", "which", "i", "we", "you", "he",
      "she", "they", "right", "yeah", "ok", "alright", "unless", "or"};
  for (std::size_t k = i; k < w.size(); ++k) {
    const char p = w[k].punct;
    if (p == '.' || p == '?' || p == '!' || p == ';') return k + 1;
    if (p == ',' && k + 1 < w.size()) {
      if (openers.count(w[k + 1].lower)) return k + 1;
      if (k + 2 == w.size() && is_name(w[k + 1], "")) return k + 1;
    }
  }
  return w.size();
}

std::string lower_of(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The task text: words [begin, end) as said, without the due phrase and trailing fillers.
std::string task_text(const Words& w, std::size_t begin, std::size_t end, const std::string& due) {
  std::vector<std::string> parts;
  for (std::size_t k = begin; k < end; ++k) {
    std::string t = w[k].text;
    // Re-join expanded contractions ("won" "'t" cannot occur after the verb, but "it" "'s" can).
    if (!parts.empty() && !t.empty() && t[0] == '\'') {
      parts.back() += t;
    } else {
      parts.push_back(t);
    }
    if (w[k].punct == ',' && k + 1 < end) parts.back() += ',';
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : " ") + p;
  if (!due.empty()) {
    const std::size_t at = lower_of(out).find(lower_of(due));
    if (at != std::string::npos) out.erase(at, due.size());
  }
  // Tidy: collapse spaces, drop trailing commas and fillers ("..., okay").
  std::string tidy;
  for (char c : out)
    if (!(c == ' ' && (tidy.empty() || tidy.back() == ' '))) tidy += c;
  while (true) {
    while (!tidy.empty() && (tidy.back() == ' ' || tidy.back() == ',')) tidy.pop_back();
    const std::size_t sp = tidy.rfind(' ');
    const std::string last = lower_of(sp == std::string::npos ? tidy : tidy.substr(sp + 1));
    if (sp != std::string::npos && (is_filler(last) || last == "please")) {
      tidy.erase(sp);
      continue;
    }
    break;
  }
  return tidy;
}

// Verbs that follow "will" etc. without making a task ("we'll see", "it will be").
bool non_task_verb(const Words& w, std::size_t v) {
  static const std::unordered_set<std::string_view> verbs = {
      "see", "know", "think", "like", "love", "hope", "want", "wait", "guess", "say", "mean",
      "probably", "not", "never", "hear", "believe", "imagine", "find", "feel", "seem", "be"};
  if (v >= w.size()) return true;
  if (w[v].lower == "be") {  // "I'll be sending", "she'll be in charge of" are tasks
    if (v + 1 < w.size() && (w[v + 1].lower.size() > 4 && w[v + 1].lower.ends_with("ing"))) return false;
    if (v + 1 < w.size() && (w[v + 1].lower == "responsible" || w[v + 1].lower == "in")) return false;
    return true;
  }
  if (w[v].lower == "find" && v + 1 < w.size() && w[v + 1].lower == "out") return false;
  return verbs.count(w[v].lower) > 0;
}

// Skips adverbs and "try to" / "go ahead and" between the marker and the verb.
std::size_t skip_to_verb(const Words& w, std::size_t v) {
  static const std::unordered_set<std::string_view> adverbs = {
      "also", "just", "then", "definitely", "quickly", "now", "first", "still", "really",
      "actually", "personally", "certainly", "all", "both", "guys", "please", "again", "try"};
  while (v < w.size()) {
    if (w[v].lower == "try" && v + 1 < w.size() && w[v + 1].lower == "to") {
      v += 2;
    } else if (w[v].lower == "go" && v + 2 < w.size() && w[v + 1].lower == "ahead" && w[v + 2].lower == "and") {
      v += 3;
    } else if ((w[v].lower == "need" || w[v].lower == "have") && v + 1 < w.size() && w[v + 1].lower == "to") {
      v += 2;  // "we'll need to", "I'll have to"
    } else if (adverbs.count(w[v].lower) && w[v].lower != "try") {
      ++v;
    } else {
      break;
    }
  }
  return v;
}

// Length of the future / obligation marker at j ("will", "is going to", "needs to", "has to",
// "must", "have got to"), or 0.
std::size_t marker_at(const Words& w, std::size_t j) {
  auto is = [&](std::size_t k, std::string_view s) { return k < w.size() && w[k].lower == s; };
  if (is(j, "will") || is(j, "shall") || is(j, "must")) return 1;
  if ((is(j, "am") || is(j, "is") || is(j, "are") || is(j, "'s")) && is(j + 1, "going") && is(j + 2, "to")) return 3;
  if ((is(j, "need") || is(j, "needs") || is(j, "have") || is(j, "has")) && is(j + 1, "to")) return 2;
  if ((is(j, "have") || is(j, "'s")) && is(j + 1, "got") && is(j + 2, "to")) return 3;
  if (is(j, "got") && is(j + 1, "to")) return 2;
  return 0;
}

std::optional<ActionItem> make(const Words& w, std::size_t verb, std::string owner, const std::string& due) {
  if (verb >= w.size() || non_task_verb(w, verb)) return std::nullopt;
  const std::size_t end = clause_end(w, verb);
  ActionItem a;
  a.due = due;
  a.owner = std::move(owner);
  a.text = task_text(w, verb, end, due);
  if (a.text.empty()) return std::nullopt;
  return a;
}

std::optional<ActionItem> match_at(const Words& w, std::size_t i, const std::string& speaker,
                                   const std::string& due, bool request_only) {
  auto is = [&](std::size_t k, std::string_view s) { return k < w.size() && w[k].lower == s; };
  const std::string addressee = vocative(w);
  // Requests: "can you ...", "could you please ...", "would you ...", "will you ...".
  if ((is(i, "can") || is(i, "could") || is(i, "would") || is(i, "will")) && is(i + 1, "you")) {
    return make(w, skip_to_verb(w, i + 2), addressee, due);
  }
  if (request_only) return std::nullopt;
  if (is(i, "please")) return make(w, skip_to_verb(w, i + 1), addressee, due);
  if (is(i, "make") && is(i + 1, "sure")) return make(w, i, addressee, due);
  if (is(i, "remember") && is(i + 1, "to")) return make(w, skip_to_verb(w, i + 2), addressee, due);
  if (is(i, "do") && is(i + 1, "not") && is(i + 2, "forget") && is(i + 3, "to"))
    return make(w, skip_to_verb(w, i + 4), addressee, due);
  if (is(i, "let's")) {
    static const std::unordered_set<std::string_view> procedural = {
        "see", "say", "think", "hope", "not", "go", "move", "start", "begin", "wait", "call",
        "be", "just", "stop", "keep", "talk", "have", "get", "look", "do", "try", "continue"};
    if (i + 1 < w.size() && procedural.count(w[i + 1].lower)) return std::nullopt;
    return make(w, skip_to_verb(w, i + 1), "", due);
  }
  if (is(i, "action") && (is(i + 1, "item") || is(i + 1, "items"))) {
    // "Action item: Alice to send the draft" / "action item, send the draft".
    std::size_t k = i + 2;
    if (k + 1 < w.size() && is_name(w[k], speaker) && is(k + 1, "to")) return make(w, k + 2, w[k].text, due);
    if (k < w.size()) {
      for (std::size_t j = k; j < w.size(); ++j)
        if (auto inner = match_at(w, j, speaker, due, false)) return inner;
      return make(w, k, "", due);
    }
    return std::nullopt;
  }
  // "Alice to send the draft" (minutes style), only at the very start.
  if (i == 0 && is_name(w[0], speaker) && is(1, "to") && w.size() > 2) return make(w, 2, w[0].text, due);

  // Subject + marker + verb.
  static const std::unordered_set<std::string_view> group = {
      "we", "someone", "somebody", "everyone", "everybody", "he", "she", "they"};
  std::string owner;
  std::size_t j = i + 1;
  if (is(i, "i")) {
    owner = speaker;
  } else if (is(i, "you")) {
    owner = addressee;
  } else if (i < w.size() && group.count(w[i].lower)) {
    owner.clear();
  } else if (i < w.size() && is_name(w[i], speaker)) {
    owner = w[i].text;
    if (is(i + 1, "and") && i + 2 < w.size() && is_name(w[i + 2], speaker)) {
      owner += " and " + w[i + 2].text;
      j = i + 3;
    }
  } else {
    return std::nullopt;
  }
  while (j < w.size() && (w[j].lower == "all" || w[j].lower == "guys" || w[j].lower == "both" ||
                          w[j].lower == "also" || w[j].lower == "then" || w[j].lower == "really")) ++j;
  const std::size_t m = marker_at(w, j);
  if (m == 0) return std::nullopt;
  if (j + m < w.size() && (w[j + m].lower == "not" || w[j + m].lower == "never")) return std::nullopt;
  return make(w, skip_to_verb(w, j + m), owner, due);
}

}  // namespace

std::string find_due(std::string_view sentence) {
  static const std::string day = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
  static const std::string month =
      "(?:january|february|march|april|may|june|july|august|september|october|november|december)";
  static const std::string ordinal =
      "(?:[0-9]{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
      "tenth|eleventh|twelfth|fifteenth|twentieth|thirtieth)";
  static const std::string count = "(?:a|one|two|three|four|five|six|[0-9]+|a couple of)";
  static const std::string when =
      "(?:the day after tomorrow|tomorrow(?: morning| afternoon| evening)?|tonight|today|"
      "(?:the )?end of (?:the |this |next )?(?:day|week|month|quarter|year|sprint)|"
      "(?:this|next) (?:week|month|quarter|year|weekend|morning|afternoon|evening|" + day.substr(3, day.size() - 4) + ")|"
      "(?:the )?(?:next|following) (?:meeting|session|call)|"
      "(?:a|one) week from (?:now|today)|"
      "in " + count + " (?:days?|weeks?|months?|hours?)|"
      "eod|eow|close of business|" +
      day + "(?: morning| afternoon| evening)?|"
      "the " + ordinal + "(?: of " + month + ")?|" +
      month + " (?:the )?(?:" + ordinal + "|[0-9]{1,2}))";
  static const std::regex re("\\b(?:(?:no later than|by|before|until|till|on|due|for) )?" + when + "\\b",
                             std::regex::icase | std::regex::ECMAScript | std::regex::optimize);
  const std::string s(sentence);
  std::smatch m;
  if (!std::regex_search(s, m, re)) return {};
  return m.str(0);
}

std::optional<ActionItem> find_action_item(std::string_view sentence, const std::string& speaker_label) {
  const Words w = cue_words(sentence);
  if (w.empty()) return std::nullopt;
  // Conditionals and suppositions describe what might happen, not what someone will do.
  static const std::unordered_set<std::string_view> hypothetical = {"if", "unless", "suppose",
                                                                    "supposing", "imagine", "hypothetically"};
  std::size_t first = 0;
  while (first < w.size() && is_connector(w[first].lower)) ++first;
  if (first < w.size() && hypothetical.count(w[first].lower)) return std::nullopt;
  // A question is a task only as a request ("can you ...?"); "did you send it?" is not.
  const bool request_only = is_question(sentence);
  const std::string due = find_due(sentence);
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (hypothetical.count(w[i].lower)) return std::nullopt;  // "..., if we had time we'd ..."
    // A vocative name opens the clause after it ("Bob, can you ...").
    if (!clause_start(w, i)) continue;
    if (auto a = match_at(w, i, speaker_label, due, request_only)) return a;
  }
  return std::nullopt;
}

}  // namespace hush::meeting
