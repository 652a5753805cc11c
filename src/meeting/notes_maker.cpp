#include "meeting/notes_maker.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "meeting/action_items.h"
#include "meeting/cues.h"
#include "meeting/text_rank.h"

namespace hush::meeting {

namespace {

std::size_t content_count(const Sentence& s) {
  return static_cast<std::size_t>(
      std::count_if(s.tokens.begin(), s.tokens.end(), [](const std::string& t) { return is_content_word(t); }));
}

bool all_fillers(const Sentence& s) {
  return std::all_of(s.tokens.begin(), s.tokens.end(), [](const std::string& t) { return is_filler(t); });
}

bool summary_candidate(const Sentence& s, const NotesOptions& o) {
  return static_cast<int>(s.tokens.size()) >= o.min_summary_words &&
         static_cast<int>(content_count(s)) >= o.min_summary_content_words && !all_fillers(s);
}

std::vector<std::string> content_tokens(const Sentence& s) {
  std::vector<std::string> out;
  for (const std::string& t : s.tokens)
    if (is_content_word(t)) out.push_back(t);
  return out;
}

NoteLine line_of(const Sentence& s) { return {without_hesitations(s.text), s.start_s, s.speaker}; }

bool shares_content_word(const Sentence& a, const Sentence& b) {
  const std::vector<std::string> ca = content_tokens(a);
  const std::set<std::string> sa(ca.begin(), ca.end());
  for (const std::string& t : content_tokens(b))
    if (sa.count(t)) return true;
  return false;
}

// A later sentence by someone else that takes the question up: shares a content word with it,
// or opens with an answer word and says something (>= 3 words).
bool answered(const std::vector<Sentence>& s, std::size_t q, int window) {
  static const std::set<std::string> answer_openers = {"yes", "no", "yeah", "yep", "sure", "maybe",
                                                       "probably", "because", "nope", "definitely"};
  for (std::size_t i = q + 1; i < s.size() && i <= q + static_cast<std::size_t>(std::max(0, window)); ++i) {
    if (s[i].speaker == s[q].speaker && s[q].speaker != kNoSpeaker) continue;
    if (s[i].tokens.size() < 3) continue;
    static const std::set<std::string> answer_bigrams = {"i think", "i guess", "i can", "we can", "i don't",
                                                         "we don't", "not really", "we could", "i believe"};
    if (shares_content_word(s[q], s[i]) || answer_openers.count(s[i].tokens[0]) ||
        answer_bigrams.count(s[i].tokens[0] + " " + s[i].tokens[1]))
      return true;
  }
  return false;
}

}  // namespace

std::size_t summary_budget(const std::vector<Sentence>& sentences, const NotesOptions& o) {
  std::size_t candidates = 0;
  for (const Sentence& s : sentences) candidates += summary_candidate(s, o) ? 1 : 0;
  long want = 0;
  if (o.summary_sentences > 0) {
    want = o.summary_sentences;
  } else {
    want = std::lround(o.summary_ratio * static_cast<double>(candidates));
    want = std::clamp<long>(want, std::max(0, o.min_summary_sentences), std::max(0, o.max_summary_sentences));
  }
  return std::min(candidates, static_cast<std::size_t>(std::max(0L, want)));
}

std::vector<std::size_t> summary_sentences(const std::vector<Sentence>& sentences, const NotesOptions& o) {
  std::vector<std::vector<std::string>> docs;
  docs.reserve(sentences.size());
  for (const Sentence& s : sentences) docs.push_back(content_tokens(s));
  // IDF over every sentence; the graph only over sentences worth quoting.
  const std::vector<SparseVector> all = tfidf_vectors(docs);
  std::vector<std::size_t> candidates;
  std::vector<SparseVector> cand_vectors;
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    if (!summary_candidate(sentences[i], o)) continue;
    candidates.push_back(i);
    cand_vectors.push_back(all[i]);
  }
  const std::size_t budget = summary_budget(sentences, o);
  if (budget == 0) return {};
  const std::vector<double> rank = lexrank(cand_vectors);
  std::vector<double> scores(sentences.size(), 0.0);
  for (std::size_t k = 0; k < candidates.size(); ++k) scores[candidates[k]] = rank[k];
  std::vector<std::size_t> picked = mmr_select(candidates, scores, all, budget, o.mmr_lambda);
  std::sort(picked.begin(), picked.end());
  return picked;
}

Notes make_notes(const Transcript& transcript, const NotesOptions& o) {
  Notes notes;
  notes.summarizer = "hush-extractive";
  const std::vector<Sentence> sentences = split_sentences(transcript, o.max_sentence_words);
  for (std::size_t i : summary_sentences(sentences, o)) notes.summary.push_back(line_of(sentences[i]));

  std::set<std::pair<std::string, std::string>> seen_actions;
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    const Sentence& s = sentences[i];
    const std::string label = transcript.speaker_label(s.speaker);
    std::optional<ActionItem> action = find_action_item(s.text, label);
    if (action && seen_actions.insert({action->text, action->owner}).second) {
      action->time_s = s.start_s;
      action->speaker = s.speaker;
      notes.action_items.push_back(*action);
    }
    if (s.tokens.size() >= 4 && is_decision(s.text)) notes.decisions.push_back(line_of(s));
    if (!action && s.tokens.size() >= 4 && content_count(s) >= 2 && is_question(s.text) &&
        static_cast<int>(notes.questions.size()) < o.max_questions &&
        !answered(sentences, i, o.answer_window_sentences))
      notes.questions.push_back(line_of(s));
  }
  notes.topics = key_phrases(sentences, {0, sentences.size()}, static_cast<std::size_t>(std::max(0, o.max_topics)));
  notes.chapters = make_chapters(sentences, o.chapters);
  return notes;
}

}  // namespace hush::meeting
