#include "apps/hush-bench/notes.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "apps/build_commit.h"
#include "meeting/action_items.h"
#include "meeting/notes_maker.h"
#include "meeting/sentences.h"
#include "metrics/rouge.h"
#include "apps/hush-bench/results_files.h"
#include "util/error.h"

namespace hush::bench {

namespace {

namespace fs = std::filesystem;
using meeting::Sentence;
using metrics::RougeScores;

// The AMI full-corpus partition (the AMI corpus' own recommended split, as used by the
// AMI ASR recipes): dev and test meetings; everything else is training.
const std::set<std::string> kDevPrefixes = {"ES2011", "IS1008", "TS3004", "IB4001", "IB4002",
                                             "IB4003", "IB4004", "IB4010", "IB4011"};
const std::set<std::string> kTestPrefixes = {"ES2004", "IS1009", "TS3003", "EN2002"};

std::string split_of(const std::string& meeting) {
  const std::string prefix = meeting.substr(0, 6);
  if (kDevPrefixes.count(prefix)) return "dev";
  if (kTestPrefixes.count(prefix)) return "test";
  return "train";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(HUSH_ERR_IO, "cannot read '" + p.string() + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// An AMI transcript here holds one line per speaker (A, B, C, ...), without times or the
// interleaving of turns. Each line becomes one segment of its speaker.
meeting::Transcript load_ami(const fs::path& path) {
  meeting::Transcript t;
  t.source = path.filename().string();
  std::istringstream in(read_file(path));
  std::string line;
  int speaker = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    t.speakers.push_back({speaker, std::string(1, static_cast<char>('A' + speaker))});
    meeting::Segment seg;
    seg.text = line;
    seg.speaker = speaker++;
    t.segments.push_back(std::move(seg));
  }
  return t;
}

struct Mean {
  double r1f = 0, r1r = 0, r2f = 0, r2r = 0, rlf = 0, rlr = 0, words = 0;
  int n = 0;
  void add(const RougeScores& s, std::size_t w) {
    r1f += s.rouge1.f1, r1r += s.rouge1.recall, r2f += s.rouge2.f1, r2r += s.rouge2.recall;
    rlf += s.rouge_l.f1, rlr += s.rouge_l.recall, words += static_cast<double>(w), ++n;
  }
  double avg(double v) const { return n > 0 ? v / n : 0.0; }
};

std::string join_text(const std::vector<Sentence>& s, const std::vector<std::size_t>& picked) {
  std::string out;
  for (std::size_t i : picked) out += meeting::without_hesitations(s[i].text) + "\n";
  return out;
}

struct ActionRow {
  std::string sentence, speaker, owner, due;
  bool is_action = false;
};

std::vector<ActionRow> read_action_rows(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<ActionRow> rows;
  std::string line;
  bool header = true;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::size_t i = 0;
    while (true) {
      const std::size_t j = line.find('\t', i);
      cols.push_back(line.substr(i, j == std::string::npos ? std::string::npos : j - i));
      if (j == std::string::npos) break;
      i = j + 1;
    }
    if (header) {  // sentence speaker is_action owner due
      header = false;
      continue;
    }
    while (cols.size() < 5) cols.emplace_back();
    if (cols[2] != "0" && cols[2] != "1")
      throw Error(HUSH_ERR_FORMAT, path + ":" + std::to_string(line_no) + ": is_action must be 0 or 1");
    rows.push_back({cols[0], cols[1], cols[3], cols[4], cols[2] == "1"});
  }
  return rows;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string fmt(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3f", v);
  return b;
}

}  // namespace

int run_notes_bench(const NotesBenchOptions& o) {
  if (o.split != "train" && o.split != "dev" && o.split != "test")
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--split must be train, dev or test");
  const fs::path root = fs::path(o.data_dir) / "summaries";
  const fs::path transcripts = root / "ami-transcripts";
  if (!fs::is_directory(transcripts)) throw Error(HUSH_ERR_IO, "no AMI transcripts at '" + transcripts.string() + "'");

  meeting::NotesOptions notes_options;
  if (o.mmr_lambda >= 0) notes_options.mmr_lambda = o.mmr_lambda;
  if (o.min_summary_words >= 0) notes_options.min_summary_words = o.min_summary_words;

  nlohmann::json json;
  json["commit"] = hush_build_commit();
  json["split"] = o.split;
  json["options"] = {{"summary_ratio", notes_options.summary_ratio},
                     {"min_summary_sentences", notes_options.min_summary_sentences},
                     {"max_summary_sentences", notes_options.max_summary_sentences},
                     {"mmr_lambda", notes_options.mmr_lambda},
                     {"min_summary_words", notes_options.min_summary_words}};
  // kind -> system -> mean
  std::map<std::string, std::map<std::string, Mean>> means;
  for (const std::string kind : {"abstractive", "extractive"}) {
    const std::string suffix = kind == "abstractive" ? ".abssumm.txt" : ".extsumm.txt";
    std::vector<std::string> ids;
    for (const auto& e : fs::directory_iterator(root / "ami-summary" / kind)) {
      const std::string name = e.path().filename().string();
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
      const std::string id = name.substr(0, name.size() - suffix.size());
      if (split_of(id) == o.split && fs::exists(transcripts / (id + ".transcript.txt"))) ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
    for (const std::string& id : ids) {
      const meeting::Transcript t = load_ami(transcripts / (id + ".transcript.txt"));
      const std::string reference = read_file(root / "ami-summary" / kind / (id + suffix));
      const std::vector<Sentence> s = meeting::split_sentences(t, notes_options.max_sentence_words);
      const std::vector<std::size_t> hush = meeting::summary_sentences(s, notes_options);
      // Lead-N: the first N sentences that pass the same filters (length, not only fillers).
      std::vector<std::size_t> lead;
      {
        meeting::NotesOptions one = notes_options;
        one.summary_sentences = 1;
        for (std::size_t i = 0; i < s.size() && lead.size() < hush.size(); ++i)
          if (meeting::summary_budget({s[i]}, one) == 1) lead.push_back(i);
      }
      const std::string hush_text = join_text(s, hush), lead_text = join_text(s, lead);
      const RougeScores hs = metrics::rouge(hush_text, reference), ls = metrics::rouge(lead_text, reference);
      means[kind]["hush"].add(hs, metrics::rouge_tokens(hush_text).size());
      means[kind]["lead-N"].add(ls, metrics::rouge_tokens(lead_text).size());
      json["meetings"][kind].push_back({{"id", id}, {"sentences", s.size()}, {"summary_sentences", hush.size()},
                                        {"hush_rouge1_f1", hs.rouge1.f1}, {"lead_rouge1_f1", ls.rouge1.f1},
                                        {"hush_rouge2_f1", hs.rouge2.f1}, {"lead_rouge2_f1", ls.rouge2.f1}});
    }
  }

  std::ostringstream md;
  md << "# hush-bench notes\n\nCommit " << hush_build_commit() << ", AMI split `" << o.split
     << "` (AMI full-corpus partition), data `" << root.string() << "`.\n\n"
     << "## Summaries: ROUGE against the human AMI summaries\n\n"
     << "Macro-average over meetings. Tokens lower-cased, no stemming. Summary budget: "
     << notes_options.summary_ratio * 100 << "% of candidate sentences, " << notes_options.min_summary_sentences
     << " to " << notes_options.max_summary_sentences << "; lead-N takes the same number of sentences "
     << "(the first ones passing the same filters). The AMI transcripts here hold one line per speaker, "
     << "without turn order, so \"first\" means the first speaker's first sentences.\n\n"
     << "| reference | system | meetings | words | R-1 F1 | R-1 R | R-2 F1 | R-2 R | R-L F1 | R-L R |\n"
     << "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (auto& [kind, systems] : means) {
    for (const std::string sys : {"hush", "lead-N"}) {
      const Mean& m = systems[sys];
      const std::string name = sys == "hush" ? "hush (LexRank + MMR)" : "lead-N baseline";
      md << "| " << kind << " | " << name << " | " << m.n << " | " << static_cast<long>(m.avg(m.words)) << " | "
         << fmt(m.avg(m.r1f)) << " | " << fmt(m.avg(m.r1r)) << " | " << fmt(m.avg(m.r2f)) << " | "
         << fmt(m.avg(m.r2r)) << " | " << fmt(m.avg(m.rlf)) << " | " << fmt(m.avg(m.rlr)) << " |\n";
      json["rouge"][kind][sys] = {{"meetings", m.n},          {"words", m.avg(m.words)},
                                  {"rouge1_f1", m.avg(m.r1f)}, {"rouge1_recall", m.avg(m.r1r)},
                                  {"rouge2_f1", m.avg(m.r2f)}, {"rouge2_recall", m.avg(m.r2r)},
                                  {"rougeL_f1", m.avg(m.rlf)}, {"rougeL_recall", m.avg(m.rlr)}};
    }
  }

  // Action items.
  const std::vector<ActionRow> rows = read_action_rows(o.action_items_path);
  int tp = 0, fp = 0, fn = 0, owner_ok = 0, due_ok = 0, positives = 0;
  std::vector<std::string> errors;
  for (const ActionRow& r : rows) {
    positives += r.is_action ? 1 : 0;
    const auto found = meeting::find_action_item(r.sentence, r.speaker);
    if (found && r.is_action) {
      ++tp;
      const bool o_ok = lower(found->owner) == lower(r.owner), d_ok = lower(found->due) == lower(r.due);
      owner_ok += o_ok ? 1 : 0;
      due_ok += d_ok ? 1 : 0;
      if (!o_ok || !d_ok)
        errors.push_back("wrong " + std::string(!o_ok ? "owner" : "") + (!o_ok && !d_ok ? "/" : "") + (!d_ok ? "due" : "") +
                         ": \"" + r.sentence + "\" -> owner '" + found->owner + "', due '" + found->due + "'");
    } else if (found) {
      ++fp;
      errors.push_back("false positive: \"" + r.sentence + "\" -> \"" + found->text + "\"");
    } else if (r.is_action) {
      ++fn;
      errors.push_back("missed: \"" + r.sentence + "\"");
    }
  }
  const double p = tp + fp > 0 ? static_cast<double>(tp) / (tp + fp) : 0.0;
  const double rc = tp + fn > 0 ? static_cast<double>(tp) / (tp + fn) : 0.0;
  const double f1 = p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0;
  const double owner_acc = tp > 0 ? static_cast<double>(owner_ok) / tp : 0.0;
  const double due_acc = tp > 0 ? static_cast<double>(due_ok) / tp : 0.0;
  md << "\n## Action items\n\nHand-labelled set `" << o.action_items_path << "`; owner and due accuracy are over "
     << "the true positives (exact match, case-insensitive).\n\n"
     << "| sentences | actions | TP | FP | FN | precision | recall | F1 | owner acc | due acc |\n"
     << "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
     << "| " << rows.size() << " | " << positives << " | " << tp << " | " << fp << " | " << fn << " | " << fmt(p)
     << " | " << fmt(rc) << " | " << fmt(f1) << " | " << fmt(owner_acc) << " | " << fmt(due_acc) << " |\n";
  if (!errors.empty()) {
    md << "\nErrors:\n\n";
    for (const std::string& e : errors) md << "- " << e << "\n";
  }
  json["action_items"] = {{"sentences", rows.size()}, {"positives", positives}, {"tp", tp},       {"fp", fp},
                          {"fn", fn},                 {"precision", p},         {"recall", rc},   {"f1", f1},
                          {"owner_accuracy", owner_acc}, {"due_accuracy", due_acc}, {"errors", errors}};

  std::printf("%s", md.str().c_str());
  write_results(o.markdown_path, md.str(), o.json_path, json.dump(2) + "\n");
  return 0;
}

}  // namespace hush::bench
