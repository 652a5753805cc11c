#include "meeting/diarize_transcript.h"

#include <algorithm>

#include "audio/resample.h"
#include "meeting/diarize.h"

namespace hush::meeting {

DiarizedTrack diarize_transcript(Transcript& transcript, const audio::AudioBuffer& audio, int speakers,
                                 const std::string& label_prefix) {
  DiarizedTrack track;
  // asr::transcribe labels a two-channel recording "me" and "others" (two speakers).
  track.meeting_channels = transcript.speakers.size() == 2 && audio.channels == 2;
  track.channel = track.meeting_channels ? 1 : 0;
  // Identical or more than two channels were transcribed mixed down: diarize the mix.
  const std::vector<float> samples = track.meeting_channels ? audio.channel(track.channel) : audio.mono();
  track.mono_16k = audio::resample(samples, 1, audio.sample_rate_hz, 16000);
  DiarizeOptions options;
  if (speakers > 0) options.num_speakers = track.meeting_channels ? std::max(1, speakers - 1) : speakers;
  assign_speakers(transcript, diarize(track.mono_16k, options), track.channel, label_prefix);
  return track;
}

}  // namespace hush::meeting
