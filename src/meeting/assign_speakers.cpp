// assign_speakers(): declared in diarize.h. Puts diarization turns onto a transcript's words.
#include <algorithm>
#include <limits>
#include <map>

#include "meeting/diarize.h"

namespace hush::meeting {
namespace {

// The speaker of the turn overlapping [start, end] most; with no overlap, of the nearest turn.
int speaker_at(const std::vector<SpeakerTurn>& turns, double start, double end) {
  int best = turns.front().speaker;
  double best_overlap = 0.0;
  double best_gap = std::numeric_limits<double>::infinity();
  for (const SpeakerTurn& t : turns) {
    const double overlap = std::min(end, t.end_s) - std::max(start, t.start_s);
    if (overlap > best_overlap) {
      best_overlap = overlap;
      best = t.speaker;
    }
    if (best_overlap <= 0.0) {
      const double gap = std::max(t.start_s - end, start - t.end_s);
      if (gap < best_gap) {
        best_gap = gap;
        best = t.speaker;
      }
    }
  }
  return best;
}

Segment piece_of(const Segment& s, std::vector<Word> words, int speaker) {
  Segment p;
  p.channel = s.channel;
  p.speaker = speaker;
  p.start_s = words.front().start_s;
  p.end_s = words.back().end_s;
  double confidence = 0.0;
  for (const Word& w : words) {
    if (!p.text.empty()) p.text += ' ';
    p.text += w.text;
    confidence += w.confidence;
  }
  p.confidence = static_cast<float>(confidence / double(words.size()));
  p.words = std::move(words);
  return p;
}

}  // namespace

void assign_speakers(Transcript& transcript, const std::vector<SpeakerTurn>& turns, int channel,
                     const std::string& label_prefix) {
  if (turns.empty()) return;
  // Turn speaker -> transcript speaker id, created on first use (in turn-speaker order below).
  std::map<int, int> used;
  std::vector<Segment> out;
  for (const Segment& s : transcript.segments) {
    if (s.channel != channel) {
      out.push_back(s);
      continue;
    }
    if (s.words.empty()) {
      Segment copy = s;
      copy.speaker = speaker_at(turns, s.start_s, s.end_s);
      used[copy.speaker] = 0;
      out.push_back(std::move(copy));
      continue;
    }
    std::vector<Word> run;
    int run_speaker = 0;
    std::vector<Segment> pieces;
    for (Word w : s.words) {
      w.speaker = speaker_at(turns, w.start_s, w.end_s);
      used[w.speaker] = 0;
      if (!run.empty() && w.speaker != run_speaker) {
        pieces.push_back(piece_of(s, std::move(run), run_speaker));
        run.clear();
      }
      run_speaker = w.speaker;
      run.push_back(std::move(w));
    }
    pieces.push_back(piece_of(s, std::move(run), run_speaker));
    if (pieces.size() == 1) {  // unsplit: keep the segment's own text, times and confidence
      pieces[0].text = s.text;
      pieces[0].start_s = s.start_s;
      pieces[0].end_s = s.end_s;
      pieces[0].confidence = s.confidence;
    } else {  // the first and last pieces keep the segment's outer bounds
      pieces.front().start_s = std::min(pieces.front().start_s, s.start_s);
      pieces.back().end_s = std::max(pieces.back().end_s, s.end_s);
    }
    for (Segment& p : pieces) out.push_back(std::move(p));
  }
  int next_id = 0;
  for (const Speaker& sp : transcript.speakers) next_id = std::max(next_id, sp.id + 1);
  int number = 1;
  for (auto& [turn_speaker, id] : used) {
    id = next_id++;
    transcript.speakers.push_back({id, label_prefix + std::to_string(number++)});
  }
  for (Segment& s : out) {
    if (s.channel != channel) continue;
    s.speaker = used.at(s.speaker);
    for (Word& w : s.words) w.speaker = used.at(w.speaker);
  }
  transcript.segments = std::move(out);
}

}  // namespace hush::meeting
