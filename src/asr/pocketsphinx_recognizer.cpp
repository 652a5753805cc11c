#include "asr/pocketsphinx_recognizer.h"

#include <pocketsphinx.h>
#include <sphinxbase/cmn.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "asr/word_cleanup.h"
#include "util/error.h"

#ifndef HUSH_PS_MODELDIR
#define HUSH_PS_MODELDIR "/usr/share/pocketsphinx/model"
#endif

namespace hush::asr {

// PocketSphinx's frame rate (-frate default): ps_seg_frames counts 10 ms frames.
constexpr double kFramesPerSecond = 100.0;

struct PocketSphinxRecognizer::Decoder {
  cmd_ln_t* config = nullptr;
  ps_decoder_t* ps = nullptr;
  // Per-stream state to put back between streams. Fed in chunks, sphinxbase switches the
  // feature's CMN type from batch to live for good and keeps a running cepstral mean that
  // carries over to the next utterance (docs/stack.md): both are restored on reset.
  cmn_type_t initial_cmn_type = CMN_NONE;
  std::vector<mfcc_t> initial_cmn_mean;
  // A second front end, for the cepstral mean of an utterance's first audio (warm_start_cmn).
  fe_t* warm_fe = nullptr;
  std::vector<mfcc_t> cepstra;
  std::vector<mfcc_t*> cepstra_rows;

  ~Decoder() {
    if (warm_fe) fe_free(warm_fe);
    if (ps) ps_free(ps);
    if (config) cmd_ln_free_r(config);
  }

  // The live normaliser starts from the model's generic prior mean and moves off it only over
  // seconds (sphinxbase weighs the prior as 500 frames), so a stream's first words are decoded
  // against the wrong mean: with streamed finals, 8 kHz speech decoded as nonsense (measured in
  // test_listen_session). Setting the live mean to the mean of the utterance's first audio —
  // what batch normalisation would compute, from less audio — fixes that at the cost of
  // holding back the first half second of decoding.
  void warm_start_cmn(std::span<const std::int16_t> pcm) {
    feat_t* feat = ps_get_feat(ps);
    if (!feat->cmn_struct || !warm_fe) return;
    const int ncep = fe_get_output_size(warm_fe);
    if (ncep != feat->cmn_struct->veclen) return;
    // A fresh front end each time (its noise estimate would otherwise carry over from other
    // utterances and streams, and the words would depend on what this decoder heard before).
    fe_start_stream(warm_fe);
    fe_start_utt(warm_fe);
    const std::int16_t* samples = pcm.data();
    std::size_t left = pcm.size();
    std::int32_t frames = 0;
    fe_process_frames(warm_fe, &samples, &left, nullptr, &frames, nullptr);  // how many there will be
    const std::size_t rows = static_cast<std::size_t>(frames) + 2;
    cepstra.assign(rows * static_cast<std::size_t>(ncep), 0);
    cepstra_rows.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) cepstra_rows[r] = cepstra.data() + r * static_cast<std::size_t>(ncep);
    samples = pcm.data();
    left = pcm.size();
    fe_process_frames(warm_fe, &samples, &left, cepstra_rows.data(), &frames, nullptr);
    std::int32_t last = 0;
    fe_end_utt(warm_fe, cepstra_rows[static_cast<std::size_t>(frames)], &last);
    frames += last;
    if (frames < 10) return;  // too little to say anything
    std::vector<mfcc_t> mean(static_cast<std::size_t>(ncep), 0);
    for (std::int32_t f = 0; f < frames; ++f)
      for (int c = 0; c < ncep; ++c) mean[c] += cepstra_rows[f][c];
    for (auto& m : mean) m /= static_cast<mfcc_t>(frames);
    cmn_live_set(feat->cmn_struct, mean.data());
  }

  void reset_stream_state() {
    // The front end's noise estimate (-remove_noise) and speech detector run across
    // utterances too; ps_start_stream resets them.
    (void)ps_start_stream(ps);
    restore_batch_cmn();
    if (ps_get_feat(ps)->cmn_struct && !initial_cmn_mean.empty()) {
      cmn_live_set(ps_get_feat(ps)->cmn_struct, initial_cmn_mean.data());
    }
  }
  void restore_batch_cmn() { ps_get_feat(ps)->cmn = initial_cmn_type; }
};

namespace {

using DecoderPtr = std::unique_ptr<PocketSphinxRecognizer::Decoder>;

struct ModelFiles {
  std::filesystem::path hmm, lm, dict;
};

// The model's files under `model_dir`; throws HUSH_ERR_IO naming the first one missing.
ModelFiles model_files(const std::string& model_dir) {
  const std::filesystem::path dir(model_dir);
  const ModelFiles files{dir / "en-us", dir / "en-us.lm.bin", dir / "cmudict-en-us.dict"};
  for (const auto& path : {files.hmm / "mdef", files.lm, files.dict}) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      throw Error(HUSH_ERR_IO, path.string() + ": PocketSphinx model file missing (install the Debian "
                                               "package pocketsphinx-en-us, or set HUSH_PS_MODELDIR)");
    }
  }
  return files;
}

// The search the whole-utterance pass uses, and what the streamed pass leaves out of it.
// -remove_silence no: with the default, silence is cut out of the timeline and word times
// drift by seconds. -bestpath yes (default) gives ps_seg_prob word posteriors.
// -maxhmmpf/-maxwpf cap the active search per frame: noisy audio otherwise keeps far more
// hypotheses alive (measured RTF 0.67 vs 0.41 clean); with the cap, 6 LibriSpeech dev
// utterances decoded 35-40% faster with the same words in 5 of 6 (one word differed).
// The streamed pass skips the flat-lexicon second search (-fwdflat no), which PocketSphinx
// runs over the whole utterance again at its end: on 30 held-out utterances (hush-bench asr
// --live --limit 30 --snr 10) live decoding cost 0.083 instead of 0.120 CPU s per audio s clean
// and 0.105 instead of 0.193 at 10 dB SNR, for 1.5 and 1.4 points of WER. Narrower beams,
// -topn 2 or -ds 2 saved 12-35% more but cost 1-10 points more (README's table): left out.
std::vector<std::string> search_args(PocketSphinxSearch search) {
  std::vector<std::string> args = {"-remove_silence", "no", "-bestpath", "yes", "-maxhmmpf", "3000", "-maxwpf", "5"};
  if (search == PocketSphinxSearch::streamed) args.insert(args.end(), {"-fwdflat", "no"});
  return args;
}

DecoderPtr load_decoder(const std::string& model_dir, PocketSphinxSearch search) {
  const ModelFiles files = model_files(model_dir);
  // sphinxbase keeps process-wide state (its log target, among others): load one at a time.
  static std::mutex load_mutex;
  std::lock_guard lock(load_mutex);
  // Silence sphinxbase's log before anything logs: it writes pages of configuration to stderr.
  err_set_logfp(nullptr);
  auto decoder = std::make_unique<PocketSphinxRecognizer::Decoder>();
  std::vector<std::string> args = {"pocketsphinx", "-hmm", files.hmm.string(), "-lm", files.lm.string(),
                                   "-dict", files.dict.string(), "-logfn", "/dev/null"};
  for (auto& a : search_args(search)) args.push_back(std::move(a));
  std::vector<char*> argv;  // cmd_ln_parse_r skips argv[0], as a program's name
  for (auto& a : args) argv.push_back(a.data());
  decoder->config = cmd_ln_parse_r(nullptr, ps_args(), static_cast<int>(argv.size()), argv.data(), TRUE);
  if (!decoder->config) throw Error(HUSH_ERR_INTERNAL, "PocketSphinx: bad configuration");
  decoder->ps = ps_init(decoder->config);
  if (!decoder->ps) throw Error(HUSH_ERR_FORMAT, model_dir + ": PocketSphinx could not load the model");
  decoder->warm_fe = fe_init_auto_r(decoder->config);
  feat_t* feat = ps_get_feat(decoder->ps);
  decoder->initial_cmn_type = feat->cmn;
  if (feat->cmn_struct) {
    decoder->initial_cmn_mean.resize(static_cast<std::size_t>(feat->cmn_struct->veclen));
    cmn_live_get(feat->cmn_struct, decoder->initial_cmn_mean.data());
  }
  // A freshly loaded normaliser is not quite in the state cmn_live_set leaves (its running sum
  // starts empty): reset it too, so a new decoder and a reused one decode a stream alike.
  decoder->reset_stream_state();
  return decoder;
}

// Idle decoders by model folder and search. Holds at most as many decoders as were ever in use
// at once.
class DecoderPool {
 public:
  using Key = std::pair<std::string, PocketSphinxSearch>;
  DecoderPtr acquire(const Key& key) {
    {
      std::lock_guard lock(mutex_);
      auto& idle = idle_[key];
      if (!idle.empty()) {
        DecoderPtr d = std::move(idle.back());
        idle.pop_back();
        return d;
      }
    }
    return load_decoder(key.first, key.second);  // outside the pool's lock: slow, and other streams may proceed
  }
  void release(const Key& key, DecoderPtr decoder) {
    decoder->reset_stream_state();
    std::lock_guard lock(mutex_);
    idle_[key].push_back(std::move(decoder));
  }

 private:
  std::mutex mutex_;
  std::map<Key, std::vector<DecoderPtr>> idle_;
};

DecoderPool& pool() {
  static DecoderPool instance;
  return instance;
}

void check(int rc, const char* what) {
  if (rc < 0) throw Error(HUSH_ERR_INTERNAL, std::string("PocketSphinx: ") + what + " failed");
}

// Float to 16-bit PCM with +-1 LSB triangular dither. PocketSphinx takes log energies of its
// input: on exact digital zeros (a muted channel, padding) those are degenerate and it "hears"
// words (measured: 3 s of zeros decodes as "dog"). The dither is what a real microphone's
// noise floor provides; it comes from a fixed-seed generator restarted every utterance, so
// the same utterance always decodes the same, however it was chunked. Written here: a dozen
// lines, and PocketSphinx's own -dither seeds from a process-wide generator.
std::int16_t to_pcm16(float x, std::uint32_t& state) {
  auto uniform = [&state] {  // [0, 1) from xorshift32
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return float(state >> 8) * (1.0f / 16777216.0f);
  };
  const float scaled = std::clamp(x, -1.0f, 1.0f) * 32766.0f + uniform() - uniform();
  return static_cast<std::int16_t>(std::lrint(scaled));
}

constexpr std::uint32_t kDitherSeed = 0x9E3779B9u;
// Audio the live cepstral mean is estimated from before streamed decoding starts (0.5 s; the
// Transcriber hands over 0.3 s of pre-roll at the onset, so decoding lags speech by ~0.2 s).
constexpr std::size_t kCmnWarmupSamples = 8000;

}  // namespace

std::string default_pocketsphinx_model_dir() {
  if (const char* env = std::getenv("HUSH_PS_MODELDIR"); env && *env) return env;
  return std::string(HUSH_PS_MODELDIR) + "/en-us";
}

PocketSphinxRecognizer::PocketSphinxRecognizer(const PocketSphinxOptions& options)
    : model_dir_(options.model_dir.empty() ? default_pocketsphinx_model_dir() : options.model_dir) {
  // Decoders are borrowed when a pass first needs one; a missing model is reported here.
  (void)model_files(model_dir_);
}

PocketSphinxRecognizer::~PocketSphinxRecognizer() {
  if (in_utterance_ && streaming_) (void)ps_end_utt(streamed_->ps);
  if (streamed_) pool().release({model_dir_, PocketSphinxSearch::streamed}, std::move(streamed_));
  if (whole_) pool().release({model_dir_, PocketSphinxSearch::whole_utterance}, std::move(whole_));
}

PocketSphinxRecognizer::Decoder& PocketSphinxRecognizer::decoder(PocketSphinxSearch search) {
  DecoderPtr& d = search == PocketSphinxSearch::streamed ? streamed_ : whole_;
  if (!d) d = pool().acquire({model_dir_, search});  // comes back reset to its initial state
  return *d;
}

void PocketSphinxRecognizer::begin_utterance(bool want_interim) {
  if (in_utterance_) (void)end_utterance();
  final_from_stream_ = streamed_finals_;
  streaming_ = want_interim || final_from_stream_;
  pending_.clear();
  heard_audio_ = false;
  cmn_warm_ = false;
  dither_state_ = kDitherSeed;
  if (streaming_) check(ps_start_utt(decoder(PocketSphinxSearch::streamed).ps), "ps_start_utt");
  in_utterance_ = true;
}

void PocketSphinxRecognizer::accept(std::span<const float> samples_16k) {
  if (!in_utterance_) begin_utterance(false);
  if (samples_16k.empty()) return;
  heard_audio_ = true;
  if (final_from_stream_ && !cmn_warm_) {  // held back until the mean can be estimated
    for (const float x : samples_16k) pending_.push_back(to_pcm16(x, dither_state_));
    if (pending_.size() >= kCmnWarmupSamples) start_streamed_decoding();
    return;
  }
  pcm_.clear();
  for (const float x : samples_16k) pcm_.push_back(to_pcm16(x, dither_state_));
  if (streaming_) check(ps_process_raw(streamed_->ps, pcm_.data(), pcm_.size(), FALSE, FALSE), "ps_process_raw");
  // With streamed finals the audio is decoded already and no second pass comes: nothing kept.
  if (!final_from_stream_) pending_.insert(pending_.end(), pcm_.begin(), pcm_.end());
}

void PocketSphinxRecognizer::start_streamed_decoding() {
  streamed_->warm_start_cmn(pending_);
  check(ps_process_raw(streamed_->ps, pending_.data(), pending_.size(), FALSE, FALSE), "ps_process_raw");
  pending_.clear();
  cmn_warm_ = true;
}

std::string PocketSphinxRecognizer::interim() {
  if (!in_utterance_ || !streaming_) return {};
  std::int32_t score = 0;
  const char* hyp = ps_get_hyp(streamed_->ps, &score);
  return hyp ? clean_hypothesis(hyp) : std::string();
}

std::vector<RecognizedWord> PocketSphinxRecognizer::end_utterance() {
  if (!in_utterance_) return {};
  in_utterance_ = false;
  // The streamed pass served the interim hypotheses. Its live cepstral mean starts from a
  // generic prior and lags at the start of a stream, which costs words (measured: "it was by
  // red turning over the years to liking" vs "it is by turning over the lease i came"), so
  // the final words come from one pass over the whole utterance with batch normalisation and
  // a fresh front end (noise estimate): the words depend on this utterance's audio alone, and
  // are the same live as from a file, whatever the chunking.
  if (final_from_stream_ && !cmn_warm_ && !pending_.empty()) start_streamed_decoding();  // a short one
  if (streaming_) check(ps_end_utt(streamed_->ps), "ps_end_utt");
  if (!heard_audio_) return {};
  if (final_from_stream_) return segment_words(*streamed_);
  Decoder& whole = decoder(PocketSphinxSearch::whole_utterance);
  check(ps_start_stream(whole.ps), "ps_start_stream");
  check(ps_start_utt(whole.ps), "ps_start_utt");
  check(ps_process_raw(whole.ps, pending_.data(), pending_.size(), FALSE, TRUE), "ps_process_raw");
  pending_.clear();
  check(ps_end_utt(whole.ps), "ps_end_utt");
  return segment_words(whole);
}

std::vector<RecognizedWord> PocketSphinxRecognizer::segment_words(Decoder& decoder) {
  ps_decoder_t* ps = decoder.ps;
  std::vector<RecognizedWord> words;
  logmath_t* logmath = ps_get_logmath(ps);
  for (ps_seg_t* seg = ps_seg_iter(ps); seg; seg = ps_seg_next(seg)) {
    auto text = clean_token(ps_seg_word(seg));
    if (!text) continue;
    int start_frame = 0, end_frame = 0;
    ps_seg_frames(seg, &start_frame, &end_frame);
    std::int32_t ascr = 0, lscr = 0, lback = 0;
    const double posterior = logmath_exp(logmath, ps_seg_prob(seg, &ascr, &lscr, &lback));
    RecognizedWord w;
    w.text = std::move(*text);
    w.start_s = start_frame / kFramesPerSecond;
    w.end_s = std::max(w.start_s, (end_frame + 1) / kFramesPerSecond);  // end frame is inclusive
    w.confidence = static_cast<float>(std::clamp(posterior, 0.0, 1.0));
    words.push_back(std::move(w));
  }
  return words;
}

void PocketSphinxRecognizer::reset_stream() {
  if (in_utterance_ && streaming_) (void)ps_end_utt(streamed_->ps);
  in_utterance_ = false;
  pending_.clear();
  if (streamed_) streamed_->reset_stream_state();
  if (whole_) whole_->reset_stream_state();
}

std::unique_ptr<SpeechRecognizer> make_recognizer(const std::string& engine) {
  if (engine == "pocketsphinx") return std::make_unique<PocketSphinxRecognizer>();
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown speech recognizer '" + engine + "' (available: pocketsphinx)");
}

}  // namespace hush::asr
