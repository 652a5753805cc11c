#include "asr/transcriber.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "audio/audio_file.h"
#include "util/error.h"

namespace hush::asr {
namespace {

constexpr std::size_t kFrameSamples = kRecognizerRateHz / 100;  // 10 ms at 16 kHz
constexpr int kInterimEveryFrames = 20;  // ask the decoder for a new hypothesis every 200 ms
constexpr long long kShortPauseFrames = 15;  // 150 ms: cut here once an utterance runs long

long long frames_for(double seconds) { return std::llround(seconds * 100.0); }

}  // namespace

Transcriber::Transcriber(const TranscriberOptions& options, FinalCallback on_final, InterimCallback on_interim)
    : options_(options), on_final_(std::move(on_final)), on_interim_(std::move(on_interim)), vad_(options.vad) {
  if (options_.input_rate_hz < audio::kMinFileRateHz || options_.input_rate_hz > audio::kMaxFileRateHz) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "transcriber: input rate " + std::to_string(options_.input_rate_hz) +
                                               " Hz is outside 8000..192000 Hz");
  }
  if (!(options_.max_utterance_s >= 1.0) || !(options_.hangover_s > 0.0) || !(options_.preroll_s >= 0.0)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "transcriber: max_utterance_s must be >= 1 s, hangover_s > 0, preroll_s >= 0");
  }
  recognizer_ = make_recognizer(options_.recognizer);
  recognizer_->set_streamed_finals(options_.streamed_finals);
}

Transcriber::~Transcriber() = default;

void Transcriber::start_stream() {
  const DenoiseFrontEnd& dn = options_.denoise;
  denoiser_.reset();
  if (dn.enabled) {
    // At the input rate when the denoiser runs there (it sees the full band), else at 16 kHz.
    denoise_before_resampling_ = StreamDenoiser::supports_rate(options_.input_rate_hz);
    const int rate = denoise_before_resampling_ ? options_.input_rate_hz : kRecognizerRateHz;
    denoiser_ = std::make_unique<StreamDenoiser>(rate, dn.engine, dn.strength_db, dn.model);
  }
  resampler_ = std::make_unique<StreamResampler>(options_.input_rate_hz, kRecognizerRateHz);
  recognizer_->reset_stream();
  vad_.reset();
  pcm16k_.clear();
  preroll_.clear();
  samples_in_ = 0;
  frame_index_ = 0;
  in_utterance_ = false;
  last_interim_.clear();
  stream_open_ = true;
}

void Transcriber::accept(std::span<const float> samples) {
  if (!stream_open_) start_stream();
  samples_in_ += static_cast<long long>(samples.size());
  denoise_and_resample(samples, false);
  consume_16k(false);
}

void Transcriber::finish() {
  if (!stream_open_) return;
  denoise_and_resample({}, true);
  consume_16k(true);
  if (in_utterance_) end_utterance();
  stream_open_ = false;
}

void Transcriber::denoise_and_resample(std::span<const float> samples, bool flush) {
  scratch_.clear();
  if (denoiser_ && denoise_before_resampling_) {
    denoiser_->process(samples, scratch_);
    if (flush) denoiser_->flush(scratch_);
    resampler_->process(scratch_, pcm16k_);
    if (flush) resampler_->flush(pcm16k_);
  } else if (denoiser_) {
    resampler_->process(samples, scratch_);
    if (flush) resampler_->flush(scratch_);
    denoiser_->process(scratch_, pcm16k_);
    if (flush) denoiser_->flush(pcm16k_);
  } else {
    resampler_->process(samples, pcm16k_);
    if (flush) resampler_->flush(pcm16k_);
  }
}

void Transcriber::consume_16k(bool flush) {
  std::size_t pos = 0;
  for (; pos + kFrameSamples <= pcm16k_.size(); pos += kFrameSamples) {
    process_frame(std::span<const float>(pcm16k_).subspan(pos, kFrameSamples));
  }
  pcm16k_.erase(pcm16k_.begin(), pcm16k_.begin() + static_cast<std::ptrdiff_t>(pos));
  if (flush && !pcm16k_.empty()) {
    pcm16k_.resize(kFrameSamples, 0.0f);  // the last partial frame, padded with silence
    process_frame(pcm16k_);
    pcm16k_.clear();
  }
}

void Transcriber::process_frame(std::span<const float> frame) {
  const bool speech = vad_.process(frame);
  if (!in_utterance_) {
    if (speech) {
      begin_utterance();
      recognizer_->accept(frame);
      utterance_frames_ = static_cast<long long>(preroll_.size()) + 1;
      preroll_.clear();
    } else {
      preroll_.emplace_back(frame.begin(), frame.end());
      if (static_cast<long long>(preroll_.size()) > frames_for(options_.preroll_s)) preroll_.pop_front();
    }
    ++frame_index_;
    return;
  }

  recognizer_->accept(frame);
  ++utterance_frames_;
  ++frame_index_;
  quiet_frames_ = speech ? 0 : quiet_frames_ + 1;
  const long long max_frames = frames_for(options_.max_utterance_s);
  const bool pause = quiet_frames_ >= frames_for(options_.hangover_s);
  const bool long_enough_for_short_pause = utterance_frames_ >= max_frames * 3 / 4 && quiet_frames_ >= kShortPauseFrames;
  if (pause || long_enough_for_short_pause || utterance_frames_ >= max_frames) {
    end_utterance();
    return;
  }
  if (options_.interim_results && on_interim_ && utterance_frames_ % kInterimEveryFrames == 0) {
    std::string text = recognizer_->interim();
    if (!text.empty() && text != last_interim_) {
      last_interim_ = text;
      on_interim_({double(utterance_start_frame_) / 100.0, std::move(text), options_.channel});
    }
  }
}

void Transcriber::begin_utterance() {
  in_utterance_ = true;
  quiet_frames_ = 0;
  utterance_start_frame_ = frame_index_ - static_cast<long long>(preroll_.size());
  recognizer_->begin_utterance(options_.interim_results && static_cast<bool>(on_interim_));
  for (const auto& f : preroll_) recognizer_->accept(f);
}

void Transcriber::end_utterance() {
  in_utterance_ = false;
  const std::vector<RecognizedWord> words = recognizer_->end_utterance();
  const double offset_s = double(utterance_start_frame_) / 100.0;
  const double stream_end_s = seconds_accepted();
  meeting::Segment segment;
  segment.channel = options_.channel;
  segment.speaker = options_.speaker;
  double confidence_sum = 0.0;
  for (const RecognizedWord& w : words) {
    meeting::Word word;
    word.text = w.text;
    // The last frame was padded with silence: no word may end after the audio does.
    word.start_s = std::min(offset_s + w.start_s, stream_end_s);
    word.end_s = std::clamp(offset_s + w.end_s, word.start_s, stream_end_s);
    word.confidence = w.confidence;
    word.speaker = options_.speaker;
    if (!segment.text.empty()) segment.text += ' ';
    segment.text += word.text;
    confidence_sum += word.confidence;
    segment.words.push_back(std::move(word));
  }
  const bool had_interim = !last_interim_.empty();
  last_interim_.clear();
  if (segment.words.empty()) {
    if (had_interim && on_interim_) on_interim_({offset_s, "", options_.channel});
    return;
  }
  segment.start_s = segment.words.front().start_s;
  segment.end_s = segment.words.back().end_s;
  segment.confidence = static_cast<float>(confidence_sum / double(segment.words.size()));
  if (on_final_) on_final_(segment);
}

}  // namespace hush::asr
