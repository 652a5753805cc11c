// Whole-file transcription, built on the streaming Transcriber (same segmentation, same
// decoding, so a file and a live stream of it give the same words).
//
// Channels: one channel is transcribed as is. Two channels are a Hush meeting recording
// (channel 0 = the microphone = "me", channel 1 = system audio = everyone else): each is
// transcribed on its own and the segments are merged by time, with speakers {0 "me"} and
// {1 "others"} (diarization may split "others" later). A stereo file whose channels are the
// same signal (an ordinary stereo export) is transcribed once, as mono. More than two channels
// are mixed down to mono.
#pragma once

#include <functional>
#include <string>

#include "asr/transcriber.h"
#include "audio/audio_file.h"
#include "meeting/transcript.h"

namespace hush::asr {

struct TranscribeOptions {
  DenoiseFrontEnd denoise;
  std::string recognizer = kDefaultRecognizer;
  std::function<void(double fraction_done)> on_progress;  // called every ~1 s of audio
  // Passed to each channel's Transcriber (interim results are never used here).
  VadOptions vad;
  double max_utterance_s = 20.0;
  bool streamed_finals = false;  // as a live stream decodes (benchmarks compare the two)
};

inline constexpr int kMeSpeaker = 0;
inline constexpr int kOthersSpeaker = 1;

// Throws hush::Error: HUSH_ERR_FORMAT for an empty buffer (no samples or no channels), and what
// Transcriber throws. `source` is left empty for the caller to fill in.
meeting::Transcript transcribe(const audio::AudioBuffer& audio, const TranscribeOptions& options = {});

// Whether the two channels of a stereo buffer carry the same signal (within -40 dB).
bool channels_are_identical(const audio::AudioBuffer& stereo);

}  // namespace hush::asr
