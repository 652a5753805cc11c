// Decoding and probing an opened stream (see audio_open.h) into Hush's types.
#pragma once

#include <cstdint>
#include <string>

#include "audio/audio_file.h"
#include "audio/audio_open.h"

namespace hush::audio {

// Decodes everything, checking length, read errors and emptiness; `source` is the stream the
// file was opened on (its I/O errors become HUSH_ERR_IO).
AudioBuffer decode_sndfile(OpenedSndfile& opened, const ByteSource& source, const std::string& name,
                           std::int64_t max_frames);
AudioBuffer decode_opus(OggOpusFile* opus, const ByteSource& source, const std::string& name,
                        std::int64_t max_frames);

AudioBuffer decode_audio(OpenedAudio& opened, const ByteSource& source, const std::string& name,
                         std::int64_t max_frames);
AudioInfo describe_audio(const OpenedAudio& opened, const std::string& name);

}  // namespace hush::audio
