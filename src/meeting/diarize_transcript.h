// Who spoke when, applied to a transcript of a recording: what `hush transcribe --speakers` and
// hushd's recording jobs both do after transcription.
#pragma once

#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "meeting/transcript.h"

namespace hush::meeting {

struct DiarizedTrack {
  std::vector<float> mono_16k;  // the audio that was diarized, at 16 kHz
  int channel = 0;              // the transcript channel its speakers were assigned in
  bool meeting_channels = false;  // a two-channel meeting: channel 1 ("others") was split
};

// Splits the transcript's speech among speakers (diarize + assign_speakers with label_prefix):
// the whole recording for mono audio or channels transcribed mixed down, the "others" channel
// of a two-channel meeting recording (me + others; "me" stays one speaker). speakers > 0 fixes
// the number of speakers (counting "me" in a meeting recording), 0 decides automatically.
DiarizedTrack diarize_transcript(Transcript& transcript, const audio::AudioBuffer& audio, int speakers,
                                 const std::string& label_prefix);

}  // namespace hush::meeting
