#include "apps/hush-bench/speaker_id.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "apps/build_commit.h"
#include "audio/audio_file.h"
#include "audio/resample.h"
#include "meeting/diarize.h"
#include "meeting/speaker_features.h"
#include "meeting/speaker_naming.h"
#include "util/error.h"

namespace hush::bench {
namespace {

namespace fs = std::filesystem;
using Samples = std::vector<float>;
using Embedding = std::vector<float>;

constexpr double kConversationTurnS = 3.5;  // alternating turns in the synthetic conversations
constexpr double kConversationGapS = 0.3;
constexpr int kImpostorPiecesPerFile = 4;
constexpr int kMiniImpostorUtterances = 3;  // per librispeech-mini speaker

Samples load_mono_16k(const fs::path& path) {
  const auto a = audio::read_audio(path.string());
  Samples mono(a.frames(), 0.0f);
  for (std::size_t i = 0; i < a.frames(); ++i) {
    for (int c = 0; c < a.channels; ++c) mono[i] += a.samples[i * static_cast<std::size_t>(a.channels) + static_cast<std::size_t>(c)];
    mono[i] /= static_cast<float>(a.channels);
  }
  if (a.sample_rate_hz != meeting::kSpeakerRateHz) mono = audio::resample(mono, 1, a.sample_rate_hz, meeting::kSpeakerRateHz);
  return mono;
}

double seconds(const Samples& x) { return double(x.size()) / meeting::kSpeakerRateHz; }

Samples slice(const Samples& x, double from_s, double to_s) {
  const auto at = [&](double t) { return std::min(x.size(), static_cast<std::size_t>(std::max(0.0, t) * meeting::kSpeakerRateHz)); };
  return {x.begin() + static_cast<std::ptrdiff_t>(at(from_s)), x.begin() + static_cast<std::ptrdiff_t>(at(to_s))};
}

// Up to `max_pieces` consecutive piece_s pieces of x from `from_s`.
std::vector<Embedding> piece_embeddings(const Samples& x, double from_s, double piece_s, int max_pieces) {
  std::vector<Embedding> out;
  for (double t = from_s; t + piece_s <= seconds(x) && int(out.size()) < max_pieces; t += piece_s)
    out.push_back(meeting::speaker_embedding(slice(x, t, t + piece_s)));
  return out;
}

// "S1", "S2", ... (built by append: GCC 12's -Wrestrict misfires on "S" + std::to_string()).
std::string anonymous_label(int id) {
  std::string label = "S";
  label += std::to_string(id + 1);
  return label;
}

std::string speaker_of(const std::string& stem) { return stem.substr(0, stem.find('-')); }

struct Scores {
  std::vector<float> target, impostor;
};

double rate_at_least(const std::vector<float>& s, float t) {
  if (s.empty()) return 0.0;
  return double(std::count_if(s.begin(), s.end(), [t](float v) { return v >= t; })) / double(s.size());
}

double percentile(std::vector<float> s, double p) {
  if (s.empty()) return 0.0;
  std::sort(s.begin(), s.end());
  return s[static_cast<std::size_t>(std::lround(p * double(s.size() - 1)))];
}

// Equal error rate: where false rejects (target < t) and false accepts (impostor >= t) cross.
double eer(const Scores& s) {
  double best = 1.0;
  for (int i = -100; i <= 100; ++i) {
    const auto t = static_cast<float>(i) / 100.0f;
    const double fr = 1.0 - rate_at_least(s.target, t), fa = rate_at_least(s.impostor, t);
    best = std::min(best, std::max(fr, fa));
  }
  return best;
}

nlohmann::json distribution(const std::vector<float>& s) {
  double mean = 0.0;
  for (const float v : s) mean += v;
  mean /= double(std::max<std::size_t>(1, s.size()));
  return {{"n", s.size()}, {"mean", mean}, {"p1", percentile(s, 0.01)}, {"p5", percentile(s, 0.05)},
          {"p50", percentile(s, 0.5)}, {"p95", percentile(s, 0.95)}, {"p99", percentile(s, 0.99)}};
}

struct Row {
  std::string name;
  Scores scores;
};

struct Outcome {  // per diarized speaker
  int correct = 0, wrong = 0, unnamed = 0;
  int total() const { return correct + wrong + unnamed; }
};

}  // namespace

int run_speaker_id_bench(const SpeakerIdBenchOptions& o) {
  const fs::path speakers_dir = fs::path(o.data_dir) / "speech" / "librispeech-speakers";
  const fs::path mini_dir = fs::path(o.data_dir) / "speech" / "librispeech-mini";
  if (!fs::is_directory(speakers_dir) || !fs::is_directory(mini_dir))
    throw Error(HUSH_ERR_IO, "speaker-id bench: " + speakers_dir.string() + " or " + mini_dir.string() + " is missing");
  std::ifstream manifest_file(o.manifest_path);
  if (!manifest_file) throw Error(HUSH_ERR_IO, "speaker-id bench: cannot read " + o.manifest_path);
  const auto manifest = nlohmann::json::parse(manifest_file);
  const std::set<std::string> held_out = manifest.at("data").at("held_out_files").get<std::set<std::string>>();
  std::vector<std::string> notes;

  // Held-out speakers (enrolment + test speech) and the trained-on voices (impostors).
  std::vector<std::string> unseen_names;
  std::vector<Samples> unseen_audio;
  std::vector<std::vector<Embedding>> other_pieces;
  std::vector<Embedding> other_long;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(speakers_dir))
    if (e.path().extension() == ".flac") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    const std::string stem = f.stem().string(), spk = speaker_of(stem);
    Samples x = load_mono_16k(f);
    if (!held_out.count(stem)) {
      other_pieces.push_back(piece_embeddings(x, 0.0, o.piece_s, kImpostorPiecesPerFile));
      other_long.push_back(meeting::speaker_embedding(x));
    } else if (fs::is_directory(mini_dir / spk)) {
      notes.push_back("held-out " + stem + ": speaker " + spk + " is also in librispeech-mini, which the model trained on: not used");
    } else if (seconds(x) < o.enroll_s + o.piece_s) {
      notes.push_back("held-out " + stem + ": " + std::to_string(seconds(x)).substr(0, 4) + " s is too short to enrol and test: not used");
    } else {
      unseen_names.push_back(spk);
      unseen_audio.push_back(std::move(x));
    }
  }
  const std::size_t n = unseen_names.size();
  if (n < 3) throw Error(HUSH_ERR_FORMAT, "speaker-id bench: fewer than 3 usable held-out speakers in " + o.manifest_path);

  std::vector<Embedding> enroll(n), test_long(n);
  std::vector<std::vector<Embedding>> test_pieces(n);
  for (std::size_t i = 0; i < n; ++i) {
    enroll[i] = meeting::speaker_embedding(slice(unseen_audio[i], 0.0, o.enroll_s));
    test_pieces[i] = piece_embeddings(unseen_audio[i], o.enroll_s, o.piece_s, 1000);
    if (seconds(unseen_audio[i]) - o.enroll_s >= 2 * o.piece_s)
      test_long[i] = meeting::speaker_embedding(slice(unseen_audio[i], o.enroll_s, seconds(unseen_audio[i])));
  }
  const auto sim = [](const Embedding& a, const Embedding& b) { return meeting::speaker_similarity(a, b); };
  const std::string others = std::to_string(other_long.size());
  Row piece_held{"held-out, 3 s test, impostors: other held-out speakers", {}};
  Row piece_trained{"held-out, 3 s test, impostors: " + others + " trained-on voices", {}};
  Row long_held{"held-out, whole rest (>= 6 s), impostors: other held-out speakers", {}};
  Row long_trained{"held-out, whole rest (>= 6 s), impostors: " + others + " trained-on voices", {}};
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      for (const Embedding& p : test_pieces[j]) (i == j ? piece_held.scores.target : piece_held.scores.impostor).push_back(sim(enroll[i], p));
      if (!test_long[j].empty()) (i == j ? long_held.scores.target : long_held.scores.impostor).push_back(sim(enroll[i], test_long[j]));
    }
    for (const auto& pieces : other_pieces)
      for (const Embedding& p : pieces) piece_trained.scores.impostor.push_back(sim(enroll[i], p));
    for (const Embedding& e : other_long) long_trained.scores.impostor.push_back(sim(enroll[i], e));
  }
  piece_trained.scores.target = piece_held.scores.target;
  long_trained.scores.target = long_held.scores.target;

  // librispeech-mini dev speakers: several utterances each, but seen in training.
  Row piece_mini{"mini dev speakers (model trained on them: optimistic), 3 s test", {}};
  Row long_mini{"mini dev speakers (model trained on them: optimistic), whole utterance test", {}};
  std::map<std::string, std::vector<fs::path>> mini_files;
  for (const auto& e : fs::recursive_directory_iterator(mini_dir))
    if (e.path().extension() == ".flac") mini_files[speaker_of(e.path().stem().string())].push_back(e.path());
  struct MiniUtt {
    std::string speaker;
    Embedding piece, whole;
  };
  std::vector<MiniUtt> mini_utts;
  std::map<std::string, Embedding> mini_enroll;
  for (auto& [spk, paths] : mini_files) {
    std::sort(paths.begin(), paths.end());
    const bool dev = spk == "6272" || spk == "7367" || spk == "7859" || spk == "8629";
    int used = 0;
    for (const fs::path& p : paths) {
      if (!dev && used >= kMiniImpostorUtterances) break;
      const Samples x = load_mono_16k(p);
      if (dev && !mini_enroll.count(spk) && seconds(x) >= o.enroll_s) {
        mini_enroll[spk] = meeting::speaker_embedding(slice(x, 0.0, o.enroll_s));
        continue;
      }
      if (seconds(x) < o.piece_s) continue;
      mini_utts.push_back({spk, meeting::speaker_embedding(slice(x, 0.0, o.piece_s)), meeting::speaker_embedding(x)});
      ++used;
    }
  }
  for (const auto& [spk, e] : mini_enroll) {
    for (const MiniUtt& u : mini_utts) {
      (u.speaker == spk ? piece_mini.scores.target : piece_mini.scores.impostor).push_back(sim(e, u.piece));
      (u.speaker == spk ? long_mini.scores.target : long_mini.scores.impostor).push_back(sim(e, u.whole));
    }
  }

  const float threshold = meeting::kSpeakerNamingThreshold;

  // Conversations: A's and B's test speech in alternating turns -> diarize(2) -> name_speakers,
  // at each swept threshold. Outcomes by role: A (always enrolled), B enrolled, B not enrolled.
  const std::vector<float> sweep = {0.45f, 0.50f, 0.55f, 0.60f, 0.65f, 0.70f, 0.75f, 0.80f};
  std::vector<Outcome> a_out(sweep.size()), b_enrolled_out(sweep.size()), b_unenrolled_out(sweep.size());
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      Samples mix;
      std::vector<std::pair<double, double>> ref_turns[2];
      double ta = o.enroll_s, tb = o.enroll_s;
      const Samples* src[2] = {&unseen_audio[a], &unseen_audio[b]};
      double* cursor[2] = {&ta, &tb};
      for (int k = 0; *cursor[0] < seconds(*src[0]) || *cursor[1] < seconds(*src[1]); k ^= 1) {
        const double from = *cursor[k], to = std::min(seconds(*src[k]), from + kConversationTurnS);
        if (to <= from) continue;
        const Samples piece = slice(*src[k], from, to);
        ref_turns[k].emplace_back(seconds(mix), seconds(mix) + seconds(piece));
        mix.insert(mix.end(), piece.begin(), piece.end());
        mix.insert(mix.end(), static_cast<std::size_t>(kConversationGapS * meeting::kSpeakerRateHz), 0.0f);
        *cursor[k] = to;
      }
      meeting::DiarizeOptions d;
      d.num_speakers = 2;
      const auto turns = meeting::diarize(mix, d);
      meeting::Transcript t;  // one wordless segment per turn
      std::set<int> ids;
      for (const auto& turn : turns) {
        meeting::Segment s;
        s.start_s = turn.start_s;
        s.end_s = turn.end_s;
        s.speaker = turn.speaker;
        t.segments.push_back(s);
        ids.insert(turn.speaker);
      }
      for (const int id : ids) t.speakers.push_back({id, anonymous_label(id)});
      // Which true speaker (0 = A, 1 = B) each diarized one mostly is.
      std::map<int, int> truth;
      for (const int id : ids) {
        double overlap[2] = {0, 0};
        for (const auto& turn : turns)
          if (turn.speaker == id)
            for (int k = 0; k < 2; ++k)
              for (const auto& [rs, re] : ref_turns[k]) overlap[k] += std::max(0.0, std::min(re, turn.end_s) - std::max(rs, turn.start_s));
        truth[id] = overlap[1] > overlap[0] ? 1 : 0;
      }
      for (std::size_t ti = 0; ti < sweep.size(); ++ti) {
        for (const bool b_enrolled : {true, false}) {
          std::vector<meeting::NamedEmbedding> profiles;
          for (std::size_t i = 0; i < n; ++i)
            if (b_enrolled || i != b) profiles.push_back({unseen_names[i], enroll[i]});
          meeting::Transcript named = t;
          meeting::name_speakers(named, mix, 0, profiles, {sweep[ti], meeting::kMinNamingSpeechS});
          for (const auto& sp : named.speakers) {
            const bool is_b = truth[sp.id] == 1;
            if (is_b && !b_enrolled) {  // with B enrolled, A is counted once (below) to keep one A per conversation
              ++(sp.label == anonymous_label(sp.id) ? b_unenrolled_out[ti].unnamed : b_unenrolled_out[ti].wrong);
              continue;
            }
            if (!is_b && !b_enrolled) continue;
            Outcome& out = is_b ? b_enrolled_out[ti] : a_out[ti];
            const std::string& expected = unseen_names[is_b ? b : a];
            if (sp.label == anonymous_label(sp.id)) ++out.unnamed;
            else if (sp.label == expected) ++out.correct;
            else ++out.wrong;
          }
        }
      }
    }
  }

  // The recommended threshold: the lowest swept one at which every held-out impostor pool accepts
  // at most max_false_accept of its trials and no unenrolled conversation speaker gets a name.
  float measured = 1.0f;
  for (std::size_t ti = sweep.size(); ti-- > 0;) {
    const float t = sweep[ti];
    bool ok = b_unenrolled_out[ti].wrong == 0;
    for (const Row* r : {&piece_held, &piece_trained, &long_held, &long_trained})
      ok = ok && rate_at_least(r->scores.impostor, t) <= o.max_false_accept;
    if (!ok) break;
    measured = t;
  }

  // Report.
  std::ostringstream md;
  md << "# Speaker identification for named speakers (`hush-bench speaker-id`)\n\n"
     << "Cosine similarity of meeting::speaker_embedding() vectors (the diarizer's LDA-projected MFCC statistics, "
        "models/speaker-lda-v1.hnn). Enrolment: the first " << o.enroll_s << " s of a speaker's file. "
     << "Held-out speakers: the " << n << " held-out files of the model manifest whose speakers the model never saw and "
        "that are long enough; their test speech is the rest of the same file (same session: real meetings will score "
        "targets lower). Commit " << hush_build_commit() << ".\n\n"
     << "Recommended threshold (the lowest swept one with false accepts <= " << o.max_false_accept * 100
     << "% in every held-out impostor pool and no unenrolled conversation speaker named): **"
     << measured << "**. Threshold in the code (meeting::kSpeakerNamingThreshold): **" << threshold << "**"
     << (std::fabs(measured - threshold) < 1e-4f ? "." : (measured > threshold ? " (LOWER than measured: revisit)." : " (stricter than measured)."))
     << "\n\n| trials | targets | impostors | EER % | FA % at " << threshold << " | FR % at " << threshold
     << " | target p5 / p50 | impostor p50 / p99 |\n|---|---|---|---|---|---|---|---|\n";
  nlohmann::json json = {{"commit", hush_build_commit()}, {"enroll_s", o.enroll_s}, {"piece_s", o.piece_s},
                         {"max_false_accept", o.max_false_accept}, {"measured_threshold", measured},
                         {"code_threshold", threshold}, {"held_out_speakers", unseen_names}, {"rows", nlohmann::json::array()}};
  char buf[256];
  for (const Row* r : {&piece_held, &piece_trained, &long_held, &long_trained, &piece_mini, &long_mini}) {
    const double fa = rate_at_least(r->scores.impostor, threshold), fr = 1.0 - rate_at_least(r->scores.target, threshold);
    std::snprintf(buf, sizeof buf, "| %s | %zu | %zu | %.1f | %.2f | %.1f | %.2f / %.2f | %.2f / %.2f |\n", r->name.c_str(),
                  r->scores.target.size(), r->scores.impostor.size(), 100 * eer(r->scores), 100 * fa, 100 * fr,
                  percentile(r->scores.target, 0.05), percentile(r->scores.target, 0.5),
                  percentile(r->scores.impostor, 0.5), percentile(r->scores.impostor, 0.99));
    md << buf;
    json["rows"].push_back({{"trials", r->name}, {"eer", eer(r->scores)}, {"false_accept", fa}, {"false_reject", fr},
                            {"target", distribution(r->scores.target)}, {"impostor", distribution(r->scores.impostor)}});
  }
  md << "\nFA: impostor trials at or above the threshold; FR: target trials below it. p5/p50/p99: percentiles of the "
        "similarity.\n\n## Threshold sweep\n\n"
        "| threshold | FA % 3 s held-out | FA % 3 s trained-on | FA % whole held-out | FA % whole trained-on | "
        "FR % 3 s held-out | FR % 3 s mini | FR % whole mini |\n|---|---|---|---|---|---|---|---|\n";
  for (const float t : sweep) {
    std::snprintf(buf, sizeof buf, "| %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |\n", double(t),
                  100 * rate_at_least(piece_held.scores.impostor, t), 100 * rate_at_least(piece_trained.scores.impostor, t),
                  100 * rate_at_least(long_held.scores.impostor, t), 100 * rate_at_least(long_trained.scores.impostor, t),
                  100 * (1 - rate_at_least(piece_held.scores.target, t)), 100 * (1 - rate_at_least(piece_mini.scores.target, t)),
                  100 * (1 - rate_at_least(long_mini.scores.target, t)));
    md << buf;
    json["sweep"].push_back({{"threshold", t},
                             {"fa_piece_held_out", rate_at_least(piece_held.scores.impostor, t)},
                             {"fa_piece_trained_on", rate_at_least(piece_trained.scores.impostor, t)},
                             {"fa_whole_held_out", rate_at_least(long_held.scores.impostor, t)},
                             {"fa_whole_trained_on", rate_at_least(long_trained.scores.impostor, t)},
                             {"fr_piece_held_out", 1 - rate_at_least(piece_held.scores.target, t)},
                             {"fr_piece_mini", 1 - rate_at_least(piece_mini.scores.target, t)},
                             {"fr_whole_mini", 1 - rate_at_least(long_mini.scores.target, t)}});
  }
  md << "\n## Naming in two-speaker conversations\n\n"
     << "For every ordered pair (A, B) of held-out speakers (" << n * (n - 1) << " conversations): the rest of their "
     << "files (after enrolment) in alternating " << kConversationTurnS << " s turns, diarize() with 2 speakers, one "
        "wordless segment per turn, then name_speakers() with the profiles of all " << n << " held-out speakers, or of all "
        "but B (" << n - 1 << " profiles, B unknown). A diarized speaker's truth is the reference speaker it overlaps "
        "most. Per diarized speaker: correct / wrong name / not named, in %.\n\n"
        "| threshold | A (enrolled): correct / wrong / none | B enrolled: correct / wrong / none | B not enrolled: wrongly named / none |\n"
        "|---|---|---|---|\n";
  for (std::size_t ti = 0; ti < sweep.size(); ++ti) {
    const auto pct = [](int k, const Outcome& x) { return 100.0 * k / std::max(1, x.total()); };
    const Outcome &ao = a_out[ti], &be = b_enrolled_out[ti], &bu = b_unenrolled_out[ti];
    std::snprintf(buf, sizeof buf, "| %.2f%s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %.1f / %.1f |\n", double(sweep[ti]),
                  std::fabs(sweep[ti] - threshold) < 1e-4f ? " (code)" : "", pct(ao.correct, ao), pct(ao.wrong, ao),
                  pct(ao.unnamed, ao), pct(be.correct, be), pct(be.wrong, be), pct(be.unnamed, be), pct(bu.wrong, bu),
                  pct(bu.unnamed, bu));
    md << buf;
    json["conversations"].push_back({{"threshold", sweep[ti]},
                                     {"a", {{"correct", ao.correct}, {"wrong", ao.wrong}, {"unnamed", ao.unnamed}}},
                                     {"b_enrolled", {{"correct", be.correct}, {"wrong", be.wrong}, {"unnamed", be.unnamed}}},
                                     {"b_not_enrolled", {{"wrong", bu.wrong}, {"unnamed", bu.unnamed}}}});
  }
  for (const std::string& note : notes) md << "\nNote: " << note << ".\n";
  json["notes"] = notes;
  if (!o.markdown_path.empty()) std::ofstream(o.markdown_path) << md.str();
  if (!o.json_path.empty()) std::ofstream(o.json_path) << json.dump(2) << "\n";
  std::fputs(md.str().c_str(), stdout);
  std::printf("commit %s\n", hush_build_commit());
  return 0;
}

}  // namespace hush::bench
