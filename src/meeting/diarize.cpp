#include "meeting/diarize.h"

#include <algorithm>
#include <cmath>

#include "meeting/clustering.h"
#include "meeting/diarize_tuning.h"
#include "meeting/speaker_features.h"
#include "meeting/speaker_model.h"
#include "meeting/speaker_windows.h"
#include "util/error.h"

namespace hush::meeting {
namespace {

void normalize(std::span<float> v) {
  double n = 0.0;
  for (const float x : v) n += double(x) * x;
  n = std::sqrt(n);
  for (float& x : v) x = n > 0.0 ? static_cast<float>(x / n) : 0.0f;
}

double dot(const float* a, const float* b, int dims) {
  double s = 0.0;
  for (int k = 0; k < dims; ++k) s += double(a[k]) * b[k];
  return s;
}

// Unit-length centroids of each cluster's members.
std::vector<float> centroids(const std::vector<float>& emb, int dims, const std::vector<int>& label, int clusters) {
  std::vector<float> c(static_cast<std::size_t>(clusters) * dims, 0.0f);
  for (std::size_t i = 0; i < label.size(); ++i)
    for (int k = 0; k < dims; ++k) c[static_cast<std::size_t>(label[i]) * dims + k] += emb[i * dims + k];
  for (int j = 0; j < clusters; ++j) normalize(std::span<float>(&c[static_cast<std::size_t>(j) * dims], dims));
  return c;
}

// Renumbers labels 0.. by first appearance, dropping empty clusters; returns the count.
int compact(std::vector<int>& label) {
  std::vector<int> map;
  int next = 0;
  for (int& l : label) {
    if (l >= static_cast<int>(map.size())) map.resize(static_cast<std::size_t>(l) + 1, -1);
    if (map[l] < 0) map[l] = next++;
    l = map[l];
  }
  return next;
}

// Nearest-centroid reassignment (k-means steps started from the clustering) and, in automatic
// mode, folding clusters too small to be a participant into their nearest neighbour.
int refine(const std::vector<float>& emb, int dims, std::vector<int>& label, int clusters, const DiarizeTuning& t,
           bool automatic) {
  const std::size_t n = label.size();
  const auto fold_small = [&] {
    while (automatic && clusters > 1) {
      std::vector<int> count(static_cast<std::size_t>(clusters), 0);
      for (const int l : label) ++count[l];
      const int smallest = static_cast<int>(std::min_element(count.begin(), count.end()) - count.begin());
      if (count[smallest] >= t.min_cluster_fraction * double(n)) break;
      const auto c = centroids(emb, dims, label, clusters);
      int into = smallest == 0 ? 1 : 0;
      double best = -2.0;
      for (int j = 0; j < clusters; ++j) {
        if (j == smallest) continue;
        const double s = dot(&c[static_cast<std::size_t>(smallest) * dims], &c[static_cast<std::size_t>(j) * dims], dims);
        if (s > best) best = s, into = j;
      }
      for (int& l : label)
        if (l == smallest) l = into;
      clusters = compact(label);
    }
  };
  fold_small();
  for (int pass = 0; pass < t.refine_iterations; ++pass) {
    const auto c = centroids(emb, dims, label, clusters);
    for (std::size_t i = 0; i < n; ++i) {
      double best = -2.0;
      for (int j = 0; j < clusters; ++j) {
        const double s = dot(&emb[i * dims], &c[static_cast<std::size_t>(j) * dims], dims);
        if (s > best) best = s, label[i] = j;
      }
    }
    clusters = compact(label);
    fold_small();
  }
  return clusters;
}

// Speaker runs shorter than `min_frames` inside a stretch of speech take the label of the
// longer neighbouring run.
void absorb_short_runs(std::vector<int>& frame_label, int min_frames) {
  if (min_frames <= 1) return;
  const int n = static_cast<int>(frame_label.size());
  for (int a = 0; a < n;) {
    int b = a;
    while (b < n && frame_label[b] == frame_label[a]) ++b;
    if (frame_label[a] >= 0 && b - a < min_frames) {
      const int left = a > 0 ? frame_label[a - 1] : -1;
      const int right = b < n ? frame_label[b] : -1;
      int left_len = 0, right_len = 0;
      for (int i = a - 1; i >= 0 && frame_label[i] == left; --i) ++left_len;
      for (int i = b; i < n && frame_label[i] == right; ++i) ++right_len;
      const int to = (left >= 0 && (right < 0 || left_len >= right_len)) ? left : right;
      if (to >= 0) std::fill(frame_label.begin() + a, frame_label.begin() + b, to);
    }
    a = b;
  }
}

}  // namespace

std::vector<std::uint8_t> detect_speech_frames(std::span<const float> x, const SpeechActivityOptions& o) {
  return detect_speech(x, compute_frame_features(x), o);
}

std::vector<SpeakerTurn> turns_from_frame_labels(std::span<const int> labels) {
  std::vector<SpeakerTurn> turns;
  const std::size_t n = labels.size();
  for (std::size_t a = 0; a < n;) {
    std::size_t b = a;
    while (b < n && labels[b] == labels[a]) ++b;
    if (labels[a] >= 0) turns.push_back({double(a) * kFrameHopS, double(b) * kFrameHopS, labels[a]});
    a = b;
  }
  // Speakers numbered by first appearance.
  std::vector<int> map;
  int next = 0;
  for (SpeakerTurn& t : turns) {
    if (t.speaker >= static_cast<int>(map.size())) map.resize(static_cast<std::size_t>(t.speaker) + 1, -1);
    if (map[t.speaker] < 0) map[t.speaker] = next++;
    t.speaker = map[t.speaker];
  }
  return turns;
}

std::vector<SpeakerTurn> diarize_with(std::span<const float> x, const DiarizeOptions& o, const DiarizeTuning& t,
                                      const std::vector<std::uint8_t>* speech_override) {
  if (o.num_speakers < 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "diarize: num_speakers must be 0 (auto) or more");
  if (o.max_speakers < 1) throw Error(HUSH_ERR_INVALID_ARGUMENT, "diarize: max_speakers must be at least 1");
  const FrameFeatures f = compute_frame_features(x);
  std::vector<std::uint8_t> speech;
  if (speech_override) {
    speech = *speech_override;
    speech.resize(static_cast<std::size_t>(f.frames), 0);
  } else {
    speech = detect_speech(x, f, t.speech);
  }
  // Long recordings: widen the hop so the similarity matrix stays ~3000^2 floats (36 MB).
  constexpr std::size_t kMaxWindows = 3000;
  std::size_t speech_frames = 0;
  for (const auto s : speech) speech_frames += s;
  const double hop_s = std::max(kWindowHopS, double(speech_frames) * kFrameHopS / double(kMaxWindows));
  const auto windows = speaker_windows(f, speech, std::max(kWindowS, 2.0 * hop_s), hop_s);
  if (windows.empty()) return {};

  const SpeakerModel& model = SpeakerModel::builtin();
  const int dims = model.embedding_dims();
  const std::size_t n = windows.size();
  std::vector<float> emb(n * static_cast<std::size_t>(dims));
  for (std::size_t i = 0; i < n; ++i) model.project(windows[i].stats, std::span<float>(&emb[i * dims], dims));
  if (t.centre_on_recording && n > 1) {
    std::vector<double> mean(static_cast<std::size_t>(dims), 0.0);
    for (std::size_t i = 0; i < n; ++i)
      for (int k = 0; k < dims; ++k) mean[k] += emb[i * dims + k];
    for (std::size_t i = 0; i < n; ++i)
      for (int k = 0; k < dims; ++k) emb[i * dims + k] -= static_cast<float>(mean[k] / double(n));
  }
  for (std::size_t i = 0; i < n; ++i) normalize(std::span<float>(&emb[i * dims], dims));

  ClusteringOptions c;
  c.num_clusters = o.num_speakers;
  c.stop_similarity = t.stop_similarity;
  c.max_clusters = o.max_speakers;
  std::vector<int> label = cluster_embeddings(emb, dims, c);
  const int clusters = compact(label);
  refine(emb, dims, label, clusters, t, o.num_speakers == 0);

  std::vector<int> frame_label(static_cast<std::size_t>(f.frames), -1);
  for (std::size_t i = 0; i < n; ++i)
    for (int fr = windows[i].own_first; fr < windows[i].own_last; ++fr) frame_label[fr] = label[i];
  absorb_short_runs(frame_label, static_cast<int>(std::lround(t.min_turn_s / kFrameHopS)));
  return turns_from_frame_labels(frame_label);
}

std::vector<SpeakerTurn> diarize(std::span<const float> mono_16k, const DiarizeOptions& options) {
  return diarize_with(mono_16k, options, DiarizeTuning{});
}

std::vector<float> speaker_embedding(std::span<const float> mono_16k) {
  const SpeakerModel& model = SpeakerModel::builtin();
  std::vector<float> out(static_cast<std::size_t>(model.embedding_dims()), 0.0f);
  const FrameFeatures f = compute_frame_features(mono_16k);
  const auto speech = detect_speech(f);
  int speech_frames = 0;
  for (const auto s : speech) speech_frames += s;
  if (speech_frames < kMinStatsFrames) return out;
  std::vector<float> stats(kStatsDims);
  window_stats(f, 0, f.frames, speech, stats);
  model.embed(stats, out);
  return out;
}

float speaker_similarity(std::span<const float> a, std::span<const float> b) {
  if (a.size() != b.size()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker_similarity: embeddings differ in size");
  double ab = 0.0, aa = 0.0, bb = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  if (aa <= 0.0 || bb <= 0.0) return 0.0f;
  return static_cast<float>(std::clamp(ab / std::sqrt(aa * bb), -1.0, 1.0));
}

}  // namespace hush::meeting
