// Sentence-level cues for the notes: questions, decisions, and the clause-level word view the
// action-item rules use. Hand-written rules (no Debian library does English meeting cues).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hush::meeting {

// A word as said, with its lower-case form and the punctuation that followed it (0 if none).
// Contractions are expanded: "I'll" -> "I" "will", "won't" -> "will" "not", "gonna" -> "going"
// "to", "I'm" -> "I" "am"; "let's" stays one word.
struct CueWord {
  std::string text;
  std::string lower;
  char punct = 0;
};
std::vector<CueWord> cue_words(std::string_view sentence);

// Discourse words that may come before a clause's subject ("okay so I'll ...").
bool is_connector(std::string_view lower_word);

// A question: ends with "?", or opens (after connectors) with a question word or an inverted
// auxiliary followed by a subject ("do we", "can you", "is it").
bool is_question(std::string_view sentence);

// A decision: "we decided", "let's go with", "agreed", "the decision is", "we'll go with", ...
// (not negated: "we haven't decided", "not agreed"; not asked: "did we decide?").
bool is_decision(std::string_view sentence);

}  // namespace hush::meeting
