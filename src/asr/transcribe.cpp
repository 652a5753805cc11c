#include "asr/transcribe.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace hush::asr {
namespace {

// Runs one channel through a Transcriber and appends its segments.
void transcribe_channel(const std::vector<float>& mono, int rate_hz, int channel, int speaker,
                        const TranscribeOptions& options, double progress_base, double progress_share,
                        meeting::Transcript& out) {
  TranscriberOptions t;
  t.input_rate_hz = rate_hz;
  t.denoise = options.denoise;
  t.vad = options.vad;
  t.max_utterance_s = options.max_utterance_s;
  t.streamed_finals = options.streamed_finals;
  t.channel = channel;
  t.speaker = speaker;
  t.recognizer = options.recognizer;
  Transcriber transcriber(t, [&](const meeting::Segment& s) { out.segments.push_back(s); });
  out.asr_engine = transcriber.engine_name();
  const std::size_t chunk = static_cast<std::size_t>(rate_hz);  // 1 s
  for (std::size_t pos = 0; pos < mono.size(); pos += chunk) {
    const std::size_t n = std::min(chunk, mono.size() - pos);
    transcriber.accept(std::span<const float>(mono).subspan(pos, n));
    if (options.on_progress) options.on_progress(progress_base + progress_share * double(pos + n) / double(mono.size()));
  }
  transcriber.finish();
}

}  // namespace

bool channels_are_identical(const audio::AudioBuffer& stereo) {
  if (stereo.channels != 2) return false;
  double diff = 0.0, energy = 0.0;
  for (std::size_t i = 0; i + 1 < stereo.samples.size(); i += 2) {
    const double l = stereo.samples[i], r = stereo.samples[i + 1];
    diff += (l - r) * (l - r);
    energy += 0.5 * (l * l + r * r);
  }
  return diff <= 1e-4 * energy;
}

meeting::Transcript transcribe(const audio::AudioBuffer& audio, const TranscribeOptions& options) {
  if (audio.channels <= 0 || audio.frames() == 0) throw Error(HUSH_ERR_FORMAT, "transcribe: the audio holds no samples");
  meeting::Transcript transcript;
  transcript.duration_s = audio.duration_s();
  if (audio.channels == 2 && !channels_are_identical(audio)) {
    transcript.speakers = {{kMeSpeaker, "me"}, {kOthersSpeaker, "others"}};
    for (int c = 0; c < 2; ++c) {
      const int speaker = c == 0 ? kMeSpeaker : kOthersSpeaker;
      transcribe_channel(audio.channel(c), audio.sample_rate_hz, c, speaker, options, 0.5 * c, 0.5, transcript);
    }
    // Interleave the two channels' turns by time (stable: a tie keeps "me" first).
    std::stable_sort(transcript.segments.begin(), transcript.segments.end(),
                     [](const meeting::Segment& a, const meeting::Segment& b) { return a.start_s < b.start_s; });
  } else {
    const std::vector<float> mono = audio.channels == 1 ? audio.samples : audio.mono();
    transcribe_channel(mono, audio.sample_rate_hz, 0, meeting::kNoSpeaker, options, 0.0, 1.0, transcript);
  }
  if (options.on_progress) options.on_progress(1.0);
  return transcript;
}

}  // namespace hush::asr
