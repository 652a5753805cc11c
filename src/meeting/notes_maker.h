// Meeting notes made on the device from a transcript: an extractive summary (LexRank over
// TF-IDF sentence vectors, MMR against repetition), action items, decisions, open questions,
// key topics and chapters. Deterministic: the same transcript and options give the same notes.
// Opens no file and no socket (privacy P1, P13); the optional external summarizer lives in
// external_summarizer.h and is only used when the user asks for it.
#pragma once

#include <vector>

#include "meeting/notes.h"
#include "meeting/sentences.h"
#include "meeting/topics.h"
#include "meeting/transcript.h"

namespace hush::meeting {

struct NotesOptions {
  // Summary length: summary_ratio of the candidate sentences, clamped to [min, max];
  // summary_sentences > 0 asks for exactly that many (as far as there are candidates).
  double summary_ratio = 0.10;
  int min_summary_sentences = 3;
  int max_summary_sentences = 15;
  int summary_sentences = 0;
  double mmr_lambda = 0.7;          // 1 = pure centrality, lower = more variety
  int min_summary_words = 6;        // shorter sentences ("yeah okay", "right") never summarize
  int min_summary_content_words = 3;
  int max_sentence_words = 40;      // longer unpunctuated segments are cut (see split_sentences)
  int max_topics = 8;
  int max_questions = 10;
  int answer_window_sentences = 3;  // a question counts as answered if another speaker takes it
                                    // up within this many sentences
  ChapterOptions chapters;
};

Notes make_notes(const Transcript& transcript, const NotesOptions& options = {});

// The summary part alone, over already split sentences (also used by hush-bench). Returns
// indices into `sentences`, in meeting order.
std::vector<std::size_t> summary_sentences(const std::vector<Sentence>& sentences, const NotesOptions& options);

// How many sentences the summary of `sentences` gets under `options` (the lead-N baseline in
// hush-bench uses the same budget).
std::size_t summary_budget(const std::vector<Sentence>& sentences, const NotesOptions& options);

}  // namespace hush::meeting
