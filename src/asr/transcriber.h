// The streaming transcription driver: audio in chunks of any size at any rate, out come
// interim hypotheses while someone speaks and a final meeting::Segment (timed words with
// confidences) after each utterance.
//
//   input rate --[denoiser, optional]--> StreamResampler --> 16 kHz, 10 ms frames
//     --> EnergyVad + hangover: cut into utterances at pauses (at most max_utterance_s long)
//     --> SpeechRecognizer: decode each utterance --> Segment
//
// Utterances are short (PocketSphinx is most accurate on sentence-length input) and memory
// stays bounded however long the stream runs.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "asr/energy_vad.h"
#include "asr/speech_recognizer.h"
#include "asr/stream_denoiser.h"
#include "asr/stream_resampler.h"
#include "hush.h"
#include "meeting/transcript.h"

namespace hush::asr {

struct DenoiseFrontEnd {
  bool enabled = false;
  int engine = HUSH_ENGINE_DEFAULT;   // hush_engine
  float strength_db = 25.0f;
  const hush_model* model = nullptr;  // not owned; nullptr = the built-in model
};

struct TranscriberOptions {
  int input_rate_hz = kRecognizerRateHz;
  DenoiseFrontEnd denoise;          // runs at the input rate (or at 16 kHz if it cannot run there)
  bool interim_results = false;     // decode while audio arrives (needed for on_interim)
  // Finals from the pass that decodes as audio arrives (SpeechRecognizer::set_streamed_finals):
  // live streams, where a final must follow the end of an utterance quickly.
  bool streamed_finals = false;
  VadOptions vad;
  double hangover_s = 0.6;          // a pause this long ends an utterance
  double preroll_s = 0.3;           // audio kept from before the detected onset
  double max_utterance_s = 20.0;    // hard cut; from 3/4 of it a 0.15 s pause already cuts
  int channel = 0;                  // copied into every Segment
  int speaker = meeting::kNoSpeaker;
  std::string recognizer = kDefaultRecognizer;
};

struct InterimResult {
  double start_s = 0.0;  // where the utterance began
  std::string text;      // "" : the utterance ended without words, drop what was shown
  int channel = 0;
};

class Transcriber {
 public:
  using FinalCallback = std::function<void(const meeting::Segment&)>;
  using InterimCallback = std::function<void(const InterimResult&)>;

  // Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for a rate outside audio's accepted range or
  // bad timing options, and what make_recognizer throws.
  Transcriber(const TranscriberOptions& options, FinalCallback on_final, InterimCallback on_interim = {});
  ~Transcriber();
  Transcriber(const Transcriber&) = delete;
  Transcriber& operator=(const Transcriber&) = delete;

  // Mono samples at input_rate_hz; callbacks run on this thread, inside this call.
  void accept(std::span<const float> samples);
  // End of the stream: decodes what is left. The next accept() starts a new stream at time 0
  // with the recognizer's per-stream state reset.
  void finish();

  double seconds_accepted() const { return double(samples_in_) / options_.input_rate_hz; }
  std::string engine_name() const { return recognizer_->name(); }

 private:
  void start_stream();
  void denoise_and_resample(std::span<const float> samples, bool flush);
  void consume_16k(bool flush);
  void process_frame(std::span<const float> frame);
  void begin_utterance();
  void end_utterance();

  TranscriberOptions options_;
  FinalCallback on_final_;
  InterimCallback on_interim_;
  std::unique_ptr<SpeechRecognizer> recognizer_;
  EnergyVad vad_;

  // Front end.
  std::unique_ptr<StreamDenoiser> denoiser_;
  bool denoise_before_resampling_ = false;  // the denoiser runs at the input rate
  std::unique_ptr<StreamResampler> resampler_;
  std::vector<float> scratch_;           // resampler / denoiser output
  std::vector<float> pcm16k_;            // 16 kHz samples not yet in a full frame
  long long samples_in_ = 0;             // input samples this stream
  bool stream_open_ = false;

  // Segmentation, in 10 ms frames of 16 kHz audio.
  long long frame_index_ = 0;
  std::deque<std::vector<float>> preroll_;
  bool in_utterance_ = false;
  long long utterance_start_frame_ = 0;
  long long utterance_frames_ = 0;
  long long quiet_frames_ = 0;  // trailing non-speech frames in the utterance
  std::string last_interim_;
};

}  // namespace hush::asr
