// Sentence units for the notes: a transcript split into short, timed pieces of text, and the
// word-level helpers (tokens, stop words, fillers) the summarizer, the action-item rules and
// the topic finder share. Written by hand: Debian has no small C++ library for this.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "meeting/transcript.h"

namespace hush::meeting {

struct Sentence {
  std::string text;     // as said (original case and punctuation), fillers kept
  double start_s = 0.0;
  double end_s = 0.0;
  int speaker = kNoSpeaker;
  std::vector<std::string> tokens;  // lower-case words (see tokenize)
};

// Splits every segment at sentence punctuation (. ? !) when it has any; a piece longer than
// `max_words` (ASR output has no punctuation) is cut at its widest pauses between words, or
// evenly when the segment has no word times. Times of the pieces come from the word times,
// else they are interpolated over the segment by word count. Empty pieces are dropped.
std::vector<Sentence> split_sentences(const Transcript& transcript, int max_words = 40);

// Lower-case words: letters, digits and inner apostrophes/hyphens ("i'll", "mm-hmm").
std::vector<std::string> tokenize(std::string_view text);

// Function words and conversational words that carry no topic ("the", "yeah", "gonna").
bool is_stop_word(std::string_view lower_word);
// Hesitations and back-channels ("um", "uh", "mm-hmm", "yeah", "okay").
bool is_filler(std::string_view lower_word);
// Words that may be counted for similarity and topics: not a stop word or filler, >= 2 letters,
// not a number.
bool is_content_word(std::string_view lower_word);

// The text without hesitations ("um", "uh", "hmm", "mm") and with spaces tidied, so summary
// lines read cleanly; the words said are otherwise kept.
std::string without_hesitations(std::string_view text);

// "00:01:05" for 65.2 s.
std::string format_hms(double seconds);

}  // namespace hush::meeting
