// The PocketSphinx engine (Debian's libpocketsphinx 0.8+5prealpha with pocketsphinx-en-us).
//
// PocketSphinx has no split between a shared read-only model and per-stream state: a decoder
// is both. Decoders are therefore pooled per process: a recognizer borrows one (ps_init reads
// ~30 MB of model files, so it is done once per concurrent stream, not once per stream) and
// gives it back on destruction after putting its per-stream state back to the initial values.
//
// Final words always come from one pass over the whole utterance with batch cepstral mean
// normalisation and a freshly started front end, so they depend on that utterance's audio
// alone: the same live or from a file, whatever the chunking, whatever came before. With
// interim results the utterance is also decoded as it arrives (live normalisation, whose
// running mean carries from one utterance to the next within a stream) by a second decoder
// with a cheaper search (PocketSphinxSearch); reset_stream() puts that running mean back to
// the model's prior. With streamed finals (live streams) there is no second pass: the final
// words are the streamed pass's, so a final arrives a fixed short time after the utterance
// ends instead of a time proportional to its length, at the cost of the live normalisation's
// and the cheaper search's accuracy (bench: hush-bench asr --live).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "asr/speech_recognizer.h"

namespace hush::asr {

// The two passes' searches (pocketsphinx_recognizer.cpp's search_args says how they differ).
enum class PocketSphinxSearch { whole_utterance, streamed };

struct PocketSphinxOptions {
  std::string model_dir;  // holds en-us/, en-us.lm.bin, cmudict-en-us.dict; "" = built-in path
};

// The folder the build found Debian's model in (pkg-config pocketsphinx modeldir + "/en-us"),
// overridable with the environment variable HUSH_PS_MODELDIR.
std::string default_pocketsphinx_model_dir();

class PocketSphinxRecognizer final : public SpeechRecognizer {
 public:
  // Throws hush::Error(HUSH_ERR_IO) naming the missing file when the model is not installed.
  explicit PocketSphinxRecognizer(const PocketSphinxOptions& options = {});
  ~PocketSphinxRecognizer() override;
  PocketSphinxRecognizer(const PocketSphinxRecognizer&) = delete;
  PocketSphinxRecognizer& operator=(const PocketSphinxRecognizer&) = delete;

  std::string name() const override { return "pocketsphinx en-us"; }
  void begin_utterance(bool want_interim) override;
  void accept(std::span<const float> samples_16k) override;
  std::string interim() override;
  std::vector<RecognizedWord> end_utterance() override;
  void reset_stream() override;
  void set_streamed_finals(bool on) override { streamed_finals_ = on; }

  struct Decoder;  // a pooled ps_decoder_t with its initial per-stream state

 private:
  Decoder& decoder(PocketSphinxSearch search);  // borrowed from the pool on first use
  std::vector<RecognizedWord> segment_words(Decoder& decoder);  // the utterance just ended
  void start_streamed_decoding();  // streamed finals: warm the mean, decode pending_

  std::string model_dir_;
  std::unique_ptr<Decoder> streamed_;  // decodes as audio arrives (interims, streamed finals)
  std::unique_ptr<Decoder> whole_;     // the final pass over a whole utterance
  bool in_utterance_ = false;
  bool streaming_ = false;             // samples also go to the decoder as they come
  bool streamed_finals_ = false;       // ... and the final words come from that pass
  bool final_from_stream_ = false;     // streamed_finals_ as it was at begin_utterance
  std::vector<std::int16_t> pending_;  // the utterance for the final pass (streamed: its first 0.5 s)
  std::vector<std::int16_t> pcm_;      // per-call scratch
  bool heard_audio_ = false;           // accept() got samples this utterance
  bool cmn_warm_ = false;              // streamed finals: the live mean was set this utterance
  std::uint32_t dither_state_ = 0;
};

}  // namespace hush::asr
