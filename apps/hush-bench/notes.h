// hush-bench notes: how good Hush's meeting notes are.
//  - Summaries: ROUGE-1/2/L (F1 and recall) of the extractive summary against the human
//    abstractive and extractive AMI summaries in $HUSH_DATA/summaries, next to a lead-N baseline
//    with the same length budget. Splits follow the AMI full-corpus partition (see notes.cpp);
//    report on dev, tune on train.
//  - Action items: precision/recall/F1 and owner/due accuracy on bench/data/action_items.tsv.
// Writes Markdown and JSON (bench/results/notes.md/.json by default) and prints the commit.
#pragma once

#include <string>

namespace hush::bench {

struct NotesBenchOptions {
  std::string data_dir;                         // HUSH_DATA
  std::string split = "dev";                    // train | dev | test
  std::string action_items_path = "bench/data/action_items.tsv";
  std::string markdown_path = "bench/results/notes.md";
  std::string json_path = "bench/results/notes.json";
  double mmr_lambda = -1.0;                     // < 0: NotesOptions' default
  int min_summary_words = -1;                   // < 0: NotesOptions' default
};

int run_notes_bench(const NotesBenchOptions& options);

}  // namespace hush::bench
