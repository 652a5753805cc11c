// The speech-recognition engine interface. An engine decodes one utterance at a time at 16 kHz
// and knows nothing about segmentation, resampling or denoising (asr/transcriber.h does those),
// so another engine (whisper.cpp, Vosk, ...) plugs in by implementing these five calls.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace hush::asr {

// All engines take 16 kHz mono float samples in [-1, 1].
inline constexpr int kRecognizerRateHz = 16000;

struct RecognizedWord {
  std::string text;        // lower case, no filler tokens, no pronunciation variant "(2)"
  double start_s = 0.0;    // from the start of the utterance
  double end_s = 0.0;
  float confidence = 1.0f; // posterior probability, 0..1
};

// One recognizer decodes one stream. Not thread-safe; use one per thread. Calls go:
//   begin_utterance, accept*, [interim], end_utterance, begin_utterance, ..., reset_stream, ...
class SpeechRecognizer {
 public:
  virtual ~SpeechRecognizer() = default;

  // "pocketsphinx en-us": what Transcript::asr_engine records.
  virtual std::string name() const = 0;
  // want_interim = false lets an engine wait for the whole utterance and decode it once; with
  // true it also decodes while audio arrives so interim() has something to say. The final
  // words must not depend on this choice (PocketSphinx: see pocketsphinx_recognizer.h).
  virtual void begin_utterance(bool want_interim) = 0;
  // With streamed finals the words at end_utterance come from the pass that decoded the audio
  // as it arrived, with no second pass over the utterance: a final then costs little time after
  // the utterance ends, whatever its length (live streams want this). The words can differ from
  // a whole-file decode. Applies from the next begin_utterance; engines without a separate
  // final pass may ignore it.
  virtual void set_streamed_finals(bool on) = 0;
  virtual void accept(std::span<const float> samples_16k) = 0;
  // The best hypothesis so far (words joined by spaces, cleaned); "" without want_interim.
  virtual std::string interim() = 0;
  virtual std::vector<RecognizedWord> end_utterance() = 0;
  // A new stream (another file, another channel, another caller): forgets everything learned
  // from the previous one (PocketSphinx's running cepstral mean), so results never depend on
  // what was decoded before.
  virtual void reset_stream() = 0;
};

// Engine names accepted by make_recognizer: "pocketsphinx" (the default).
inline constexpr const char* kDefaultRecognizer = "pocketsphinx";
// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for an unknown engine, HUSH_ERR_IO when the
// engine's model files are missing.
std::unique_ptr<SpeechRecognizer> make_recognizer(const std::string& engine = kDefaultRecognizer);

}  // namespace hush::asr
