// A streaming Ogg Opus encoder (libopusenc) that keeps the file playable at all times: it
// forces out an Ogg page group at least every `page_interval_s` of audio and commits it to its
// ByteSink, so a process killed at any moment leaves a file that opusfile plays up to at most
// page_interval_s + the encoder's decision delay (together < 1 s) before the kill. The sink is
// also asked to fdatasync, at most once per `sync_interval_s` of wall-clock time.
//
// Not thread-safe; one writer per thread. Allocates and makes system calls: not for an audio
// callback (the recorder calls it from its own thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "audio/byte_sink.h"

struct OggOpusEnc;

namespace hush::audio {

inline constexpr int kOpusRateHz = 48000;  // Opus's internal rate; the writer takes only this

struct OpusWriterConfig {
  int channels = 1;                 // 1 or 2 (interleaved input)
  int bitrate_bps = 0;              // 0: 32 kb/s per channel, plenty for speech
  double page_interval_s = 0.5;     // a page group (and sink commit) at least this often, of audio
  double sync_interval_s = 1.0;     // fdatasync at most this often
  std::string title;                // TITLE comment, if not empty
  std::string date;                 // DATE comment (ISO 8601), if not empty
};

class OpusWriter {
 public:
  // Writes the Ogg Opus headers at once (so even an empty recording has them). Throws
  // HUSH_ERR_INVALID_ARGUMENT for a bad config, HUSH_ERR_IO for sink failures.
  OpusWriter(ByteSink& sink, const OpusWriterConfig& config);
  // Without finish() the stream is left as a crash would leave it (no end-of-stream page).
  ~OpusWriter();
  OpusWriter(const OpusWriter&) = delete;
  OpusWriter& operator=(const OpusWriter&) = delete;

  // Interleaved 48 kHz frames in [-1, 1]; size must be a multiple of channels.
  void write(std::span<const float> interleaved);
  // Encodes what is buffered, writes the end-of-stream page and finishes the sink.
  void finish();

  std::int64_t frames_written() const { return frames_written_; }
  int channels() const { return config_.channels; }

 private:
  void pull_pages(bool force);
  void commit();

  ByteSink& sink_;
  OpusWriterConfig config_;
  OggOpusEnc* enc_ = nullptr;
  std::int64_t frames_written_ = 0;
  std::int64_t frames_since_commit_ = 0;
  std::int64_t page_interval_frames_ = 0;
  std::chrono::steady_clock::time_point last_sync_{};
  bool finished_ = false;
};

}  // namespace hush::audio
