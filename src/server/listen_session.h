// One Deepgram-style live transcription stream (`GET /v1/listen`), without networking: the
// WebSocket handler passes each message in and sends what `emit` gets out.
//
//   binary messages: linear16 little-endian PCM at options.sample_rate_hz, options.channels
//     interleaved (two are mixed to mono); a message may end mid-sample, the rest waits for the
//     next one. An empty binary message is Deepgram's older way of saying CloseStream.
//   text messages: {"type":"KeepAlive"} (nothing to do), {"type":"Finalize"} (decode what is
//     buffered now: final Results with from_finalize=true, then the stream goes on),
//     {"type":"CloseStream"} (flush, UtteranceEnd if one is due, Metadata, then closed() is true
//     and the caller closes the socket with code 1000). Anything else: an Error message, and the
//     stream goes on.
//   out: Results (interim ones only with interim_results), SpeechStarted (vad_events),
//     UtteranceEnd (utterance_end_ms), Metadata at the end. See listen_messages.h for shapes.
//
// Results: each final covers the audio since the previous final, so start/duration tile the
// stream. is_final comes at the end of each utterance (a pause of endpointing_pause_s(), a 20 s
// hard cut, Finalize or the end); speech_final is true when a pause ended it and endpointing is
// on. Interim Results carry the transcript so far, confidence 0 and no words (the recognizer
// times words only at the end of an utterance). An utterance that turns out to hold no words
// after an interim was shown gets an empty final, so clients clear what they displayed. A
// Finalize that finds nothing to decode still answers with one empty from_finalize final, so a
// client waiting for it is never left hanging.
//
// Diarize: a live stream cannot cluster voices it has not heard yet, and clustering a few
// seconds at a time would renumber speakers as the stream goes on. So every word gets
// "speaker": 0 — a stable, honest answer for the one channel a stream carries. Who-spoke-when
// comes from the recording afterwards (meeting::diarize on the whole audio), when the caller
// records.
//
// Privacy (P2): audio is recognized and dropped. keep_audio, when given, receives every chunk
// (interleaved as received) because the caller records this call; without it nothing is kept.
// Memory stays bounded however long the stream runs: the Transcriber keeps at most one
// utterance, and this class keeps a few samples of carry plus per-message scratch.
//
// Not thread-safe: calls for one stream must not overlap (WebSocketHandler guarantees it).
// Callbacks run on the calling thread, inside the call.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "asr/energy_vad.h"
#include "asr/transcriber.h"
#include "server/listen_messages.h"
#include "server/listen_options.h"

namespace hush::server {

class ListenSession {
 public:
  using Emit = std::function<void(std::string json_text)>;
  using KeepAudio = std::function<void(std::span<const std::int16_t> interleaved)>;

  // request_id "" = a new random UUID. Throws what asr::Transcriber throws (HUSH_ERR_IO when
  // the recognizer's model files are missing, HUSH_ERR_INVALID_ARGUMENT for bad options).
  ListenSession(const ListenOptions& options, Emit emit, KeepAudio keep_audio = {}, std::string request_id = {});
  ~ListenSession();
  ListenSession(const ListenSession&) = delete;
  ListenSession& operator=(const ListenSession&) = delete;

  // Ignored once closed().
  void on_binary(std::span<const std::byte> message);
  void on_text(std::string_view message);
  // The connection ended without CloseStream (or the server shuts down): flushes and emits like
  // CloseStream. Does nothing when already closed.
  void finish();

  // CloseStream was handled (or finish() called): close the socket, send nothing more.
  bool closed() const { return closed_; }
  const std::string& request_id() const { return request_id_; }
  // Seconds of audio received so far.
  double audio_seconds() const { return double(frames_in_) / options_.sample_rate_hz; }

 private:
  void accept_samples(std::span<const std::int16_t> interleaved);
  void track_speech(std::span<const float> mono);
  void flush(bool from_finalize);
  void on_final(const meeting::Segment& segment);
  void on_interim(const asr::InterimResult& interim);
  void emit_final(ResultsMessage results);
  void close();
  double stream_time_s() const { return stream_offset_s_ + transcriber_.seconds_accepted(); }

  ListenOptions options_;
  Emit emit_;
  KeepAudio keep_audio_;
  std::string request_id_;
  asr::Transcriber transcriber_;

  std::array<std::byte, 4> carry_{};  // bytes of an incomplete sample frame
  std::size_t carry_size_ = 0;
  std::vector<std::int16_t> pcm_;     // per-message scratch
  std::vector<float> mono_;
  long long frames_in_ = 0;           // sample frames received

  // Finalize restarts the Transcriber's clock at 0; this is where its time 0 lies in the stream.
  double stream_offset_s_ = 0.0;
  double results_end_s_ = 0.0;        // where the last final Results' span ended
  bool flushing_ = false;             // finals now come from Finalize / CloseStream
  bool finalize_flush_ = false;      // ... and that flush is a Finalize (not the close)
  bool final_during_flush_ = false;

  // Speech activity on the input audio, for SpeechStarted and for holding UtteranceEnd while
  // someone still talks (the Transcriber's own detector is internal to it).
  asr::EnergyVad vad_;
  std::vector<float> vad_frame_;
  std::size_t vad_frame_samples_ = 0;
  long long vad_frames_ = 0;
  long long quiet_vad_frames_ = 0;
  bool speaking_ = false;
  bool utterance_end_due_ = false;    // words were finalized, UtteranceEnd not sent yet
  double last_word_end_s_ = 0.0;

  bool closed_ = false;
};

}  // namespace hush::server
