// Key topics and chapters of a meeting.
//
// Topics: TF-IDF-scored keyphrases, i.e. 1-3 word runs of content words (RAKE-style candidates:
// a stop word ends a phrase), weighted up by length and chosen so that no two share a word.
// Chapters: TextTiling (Hearst 1997): the word stream is cut into pseudo-sentences, adjacent
// blocks are compared by cosine similarity of their word counts, and boundaries go where the
// similarity dips deepest, subject to a minimum chapter length; each chapter is titled with its
// own top keyphrases (IDF over chapters, so a title says what sets the chapter apart).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "meeting/notes.h"
#include "meeting/sentences.h"

namespace hush::meeting {

struct Span {
  std::size_t begin = 0, end = 0;  // sentence indices [begin, end)
};

// The `count` best keyphrases of sentences in `span`. IDF is taken over `docs` (spans of
// sentences; a phrase's df is how many of them contain it), or over single sentences when
// `docs` is empty. A multi-word phrase must occur at least twice.
std::vector<std::string> key_phrases(const std::vector<Sentence>& sentences, Span span,
                                     std::size_t count, const std::vector<Span>& docs = {});

struct ChapterOptions {
  int pseudo_sentence_words = 20;  // TextTiling w
  int block_pseudo_sentences = 6;  // TextTiling k
  double min_chapter_s = 90.0;     // ignored when the transcript has no times
  int min_chapter_words = 150;     // content words
  int max_chapters = 12;
  int title_phrases = 3;
};

// Chapter spans covering all sentences in order (one span when the meeting is too short to cut).
std::vector<Span> chapter_spans(const std::vector<Sentence>& sentences, const ChapterOptions& options);

// Chapters (title, start, end) from those spans.
std::vector<Chapter> make_chapters(const std::vector<Sentence>& sentences, const ChapterOptions& options);

}  // namespace hush::meeting
