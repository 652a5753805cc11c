// Opening an audio stream: sniffs the container, screens Ogg input for what the decoders
// mishandle, then opens Ogg Opus with libopusfile and WAV, FLAC and Ogg Vorbis with
// libsndfile. Decoding and probing both start here.
#pragma once

#include <opusfile.h>
#include <sndfile.h>

#include <memory>
#include <string>
#include <variant>

#include "audio/audio_file.h"
#include "audio/byte_source.h"

namespace hush::audio {

struct SndfileCloser {
  void operator()(SNDFILE* file) const { sf_close(file); }
};
struct OpusFileCloser {
  void operator()(OggOpusFile* file) const { op_free(file); }
};

struct OpenedSndfile {
  std::unique_ptr<SNDFILE, SndfileCloser> file;
  SF_INFO info{};
};
using OpenedOpus = std::unique_ptr<OggOpusFile, OpusFileCloser>;
using OpenedAudio = std::variant<OpenedSndfile, OpenedOpus>;

// Both keep a pointer to `source`, which must outlive the result. Throw hush::Error
// (HUSH_ERR_FORMAT) naming `name` when the bytes are not audio Hush can read; the sample
// rate and channel count are checked too.
OpenedAudio open_audio(ByteSource& source, const std::string& name);
OpenedSndfile open_raw_pcm(ByteSource& source, const std::string& name, const RawPcmFormat& format);

// libopusfile's error codes (OP_E*) in words.
std::string opus_error_text(int error);

}  // namespace hush::audio
