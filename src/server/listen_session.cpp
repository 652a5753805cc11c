#include "server/listen_session.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "util/error.h"

namespace hush::server {
namespace {

asr::TranscriberOptions transcriber_options(const ListenOptions& o) {
  asr::TranscriberOptions t;
  t.input_rate_hz = o.sample_rate_hz;
  t.interim_results = o.interim_results;
  t.streamed_finals = !o.accurate_finals;
  t.denoise.enabled = o.denoise;
  t.denoise.engine = o.denoise_engine;
  t.hangover_s = endpointing_pause_s(o);
  t.recognizer = o.recognizer;
  t.speaker = o.diarize ? 0 : meeting::kNoSpeaker;  // see "Diarize" in listen_session.h
  return t;
}

// Long enough for "CloseStream" and a typo, short enough that an error never echoes a megabyte.
std::string excerpt(std::string_view text) {
  constexpr std::size_t kMax = 64;
  return text.size() <= kMax ? std::string(text) : std::string(text.substr(0, kMax)) + "...";
}

}  // namespace

ListenSession::ListenSession(const ListenOptions& options, Emit emit, KeepAudio keep_audio, std::string request_id)
    : options_(options),
      emit_(std::move(emit)),
      keep_audio_(std::move(keep_audio)),
      request_id_(request_id.empty() ? new_request_id() : std::move(request_id)),
      transcriber_(
          transcriber_options(options), [this](const meeting::Segment& s) { on_final(s); },
          [this](const asr::InterimResult& r) { on_interim(r); }),
      // EnergyVad works on 10 ms frames at any rate (22050 Hz: 220 samples, 9.98 ms).
      vad_frame_samples_(static_cast<std::size_t>(options.sample_rate_hz / 100)) {
  if (options_.channels < 1 || options_.channels > 2)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "listen: channels must be 1 or 2, not " + std::to_string(options_.channels));
  vad_frame_.reserve(vad_frame_samples_);
}

ListenSession::~ListenSession() = default;

void ListenSession::on_binary(std::span<const std::byte> message) {
  if (closed_) return;
  if (message.empty()) {  // Deepgram's pre-CloseStream way of ending a stream
    close();
    return;
  }
  const std::size_t frame_bytes = 2 * static_cast<std::size_t>(options_.channels);
  const std::size_t total = carry_size_ + message.size();
  const std::size_t samples = total / frame_bytes * static_cast<std::size_t>(options_.channels);
  const auto byte_at = [&](std::size_t i) {
    return std::to_integer<unsigned>(i < carry_size_ ? carry_[i] : message[i - carry_size_]);
  };
  pcm_.resize(samples);
  for (std::size_t k = 0; k < samples; ++k)  // little-endian, whatever the host's order
    pcm_[k] = static_cast<std::int16_t>(static_cast<std::uint16_t>(byte_at(2 * k) | (byte_at(2 * k + 1) << 8)));
  const std::size_t used = samples * 2;
  std::array<std::byte, 4> rest{};
  for (std::size_t i = used; i < total; ++i) rest[i - used] = static_cast<std::byte>(byte_at(i));
  carry_ = rest;
  carry_size_ = total - used;
  if (!pcm_.empty()) accept_samples(pcm_);
}

void ListenSession::accept_samples(std::span<const std::int16_t> interleaved) {
  if (keep_audio_) keep_audio_(interleaved);
  const std::size_t channels = static_cast<std::size_t>(options_.channels);
  const std::size_t frames = interleaved.size() / channels;
  mono_.resize(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    float sum = 0.0f;
    for (std::size_t c = 0; c < channels; ++c) sum += static_cast<float>(interleaved[f * channels + c]);
    mono_[f] = sum / (32768.0f * static_cast<float>(channels));
  }
  frames_in_ += static_cast<long long>(frames);
  track_speech(mono_);
  transcriber_.accept(mono_);
  if (options_.utterance_end_ms && utterance_end_due_ && !speaking_ &&
      audio_seconds() - last_word_end_s_ >= *options_.utterance_end_ms / 1000.0) {
    emit_(utterance_end_message(last_word_end_s_));
    utterance_end_due_ = false;
  }
}

void ListenSession::track_speech(std::span<const float> mono) {
  if (!options_.vad_events && !options_.utterance_end_ms) return;
  const long long pause_frames = std::llround(endpointing_pause_s(options_) * 100.0);
  const double frame_s = double(vad_frame_samples_) / options_.sample_rate_hz;
  for (const float x : mono) {
    vad_frame_.push_back(x);
    if (vad_frame_.size() < vad_frame_samples_) continue;
    const bool speech = vad_.process(vad_frame_);
    vad_frame_.clear();
    if (speech) {
      quiet_vad_frames_ = 0;
      if (!speaking_) {
        speaking_ = true;
        // The detector needs a few frames to decide; speech began at the first of them.
        const long long onset = std::max(0LL, vad_frames_ - (asr::VadOptions{}.onset_frames - 1));
        if (options_.vad_events) emit_(speech_started_message(double(onset) * frame_s));
      }
    } else if (speaking_ && ++quiet_vad_frames_ >= pause_frames) {
      speaking_ = false;
    }
    ++vad_frames_;
  }
}

void ListenSession::on_text(std::string_view message) {
  if (closed_) return;
  const nlohmann::json json = nlohmann::json::parse(message, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("type") || !json["type"].is_string()) {
    emit_(error_message("expected a JSON object such as {\"type\":\"KeepAlive\"}, {\"type\":\"Finalize\"} or "
                        "{\"type\":\"CloseStream\"}; got: " + excerpt(message)));
    return;
  }
  const std::string type = json["type"].get<std::string>();
  if (type == "KeepAlive") return;  // it only keeps the connection's idle timer from firing
  if (type == "Finalize") {
    flush(true);
  } else if (type == "CloseStream") {
    close();
  } else {
    emit_(error_message("unknown message type '" + excerpt(type) + "'; accepted: KeepAlive, Finalize, CloseStream"));
  }
}

void ListenSession::finish() { close(); }

void ListenSession::flush(bool from_finalize) {
  flushing_ = true;
  final_during_flush_ = false;
  finalize_flush_ = from_finalize;
  transcriber_.finish();  // the next accept() starts the Transcriber's clock at 0 again
  flushing_ = false;
  stream_offset_s_ = audio_seconds();
  if (from_finalize && !final_during_flush_) {
    ResultsMessage r;
    r.is_final = true;
    r.from_finalize = true;
    r.start_s = results_end_s_;
    r.duration_s = std::max(0.0, audio_seconds() - results_end_s_);
    emit_final(std::move(r));
  }
}

void ListenSession::close() {
  if (closed_) return;
  flush(false);
  if (options_.utterance_end_ms && utterance_end_due_) emit_(utterance_end_message(last_word_end_s_));
  utterance_end_due_ = false;
  emit_(metadata_message(request_id_, audio_seconds(), options_.channels, options_.model));
  closed_ = true;
}

void ListenSession::on_final(const meeting::Segment& segment) {
  ResultsMessage r;
  r.is_final = true;
  r.speech_final = !flushing_ && options_.endpointing;
  r.from_finalize = flushing_ && finalize_flush_;
  r.transcript = segment.text;
  r.confidence = segment.confidence;
  r.with_speaker = options_.diarize;
  r.words = segment.words;
  for (meeting::Word& w : r.words) {
    w.start_s += stream_offset_s_;
    w.end_s += stream_offset_s_;
  }
  const double now = stream_time_s();
  r.start_s = r.words.empty() ? results_end_s_ : std::min(results_end_s_, r.words.front().start_s);
  const double end = r.words.empty() ? now : std::max(now, r.words.back().end_s);
  r.duration_s = std::max(0.0, end - r.start_s);
  if (!r.words.empty()) {
    last_word_end_s_ = r.words.back().end_s;
    utterance_end_due_ = true;
  }
  emit_final(std::move(r));
}

void ListenSession::on_interim(const asr::InterimResult& interim) {
  const double now = stream_time_s();
  if (interim.text.empty()) {  // the utterance held no words after all: clear what was shown
    ResultsMessage r;
    r.is_final = true;
    r.from_finalize = flushing_ && finalize_flush_;
    r.start_s = results_end_s_;
    r.duration_s = std::max(0.0, now - results_end_s_);
    emit_final(std::move(r));
    return;
  }
  utterance_end_due_ = false;  // words go on: the gap before them was no utterance end
  ResultsMessage r;
  r.start_s = results_end_s_;
  r.duration_s = std::max(0.0, now - results_end_s_);
  r.transcript = interim.text;
  emit_(results_message(r, request_id_, options_.model));
}

void ListenSession::emit_final(ResultsMessage results) {
  if (flushing_) final_during_flush_ = true;
  results_end_s_ = results.start_s + results.duration_s;
  emit_(results_message(results, request_id_, options_.model));
}

}  // namespace hush::server
