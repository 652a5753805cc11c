#include "audio/audio_decode.h"

#include <algorithm>

#include "audio/audio_checks.h"
#include "audio/sndfile_names.h"

namespace hush::audio {
namespace {

constexpr sf_count_t kSndfileChunkFrames = 16384;
constexpr int kOpusRateHz = 48000;           // libopusfile always decodes at 48 kHz
constexpr int kOpusChunkFrames = 48000 / 8;  // 120 ms, the longest Opus packet

// Reserving from the header saves copies on long files, but the header is input too: a
// 100-byte file must not be able to claim gigabytes up front, so trust it only as far as the
// file's size could back it (uncompressed float is the least dense a real file gets) and let
// the vector grow past that on its own.
void reserve_frames(AudioBuffer& out, std::int64_t header_frames, std::int64_t source_bytes,
                    std::int64_t max_frames) {
  const std::int64_t plausible = std::max<std::int64_t>(source_bytes / 4, 0);
  const std::int64_t frames = std::min({header_frames, max_frames, plausible});
  if (frames > 0) out.samples.reserve(static_cast<std::size_t>(frames) * out.channels);
}

// A failed pread shows up as a short read inside the codec; name it for what it was.
void check_source(const ByteSource& source, const std::string& name) {
  if (source.io_failed()) fail(HUSH_ERR_IO, name, "read error");
}

AudioBuffer finish(AudioBuffer out, const std::string& name) {
  if (out.samples.empty()) fail(HUSH_ERR_FORMAT, name, "no audio samples");
  sanitize_samples(out.samples);
  return out;
}

}  // namespace

AudioBuffer decode_sndfile(OpenedSndfile& opened, const ByteSource& source,
                           const std::string& name, std::int64_t max_frames) {
  SNDFILE* file = opened.file.get();
  const SF_INFO& info = opened.info;
  // SF_COUNT_MAX means "length unknown"; the loop below enforces the limit then.
  if (info.frames != SF_COUNT_MAX) check_length(name, info.frames, max_frames);

  AudioBuffer out;
  out.sample_rate_hz = info.samplerate;
  out.channels = info.channels;
  reserve_frames(out, info.frames, source.size(), max_frames);
  const auto chunk = static_cast<std::size_t>(kSndfileChunkFrames) * out.channels;
  std::int64_t frames = 0;
  for (;;) {
    const std::size_t old_size = out.samples.size();
    out.samples.resize(old_size + chunk);
    const sf_count_t got = sf_readf_float(file, out.samples.data() + old_size, kSndfileChunkFrames);
    out.samples.resize(old_size + static_cast<std::size_t>(std::max<sf_count_t>(got, 0)) * out.channels);
    if (got <= 0) break;
    frames += got;
    check_length(name, frames, max_frames);
  }
  check_source(source, name);
  // A short file simply ends early (libsndfile trims the header's length to the bytes there);
  // an error mid-stream means the codec found garbage, which is not something to half-trust.
  if (sf_error(file) != SF_ERR_NO_ERROR) {
    std::string why = sf_strerror(file);
    if (why.rfind("Error : ", 0) == 0) why.erase(0, 8);  // libsndfile's codec errors carry this
    fail(HUSH_ERR_FORMAT, name, "decode error: " + why);
  }
  return finish(std::move(out), name);
}

AudioBuffer decode_opus(OggOpusFile* opus, const ByteSource& source, const std::string& name,
                        std::int64_t max_frames) {
  const int channels = op_channel_count(opus, -1);
  const opus_int64 total = op_pcm_total(opus, -1);
  if (total >= 0) check_length(name, total, max_frames);

  AudioBuffer out;
  out.sample_rate_hz = kOpusRateHz;
  out.channels = channels;
  reserve_frames(out, total, source.size() * 64, max_frames);  // Opus packs ~100x below float
  const int chunk = kOpusChunkFrames * channels;
  std::int64_t frames = 0;
  for (;;) {
    const std::size_t old_size = out.samples.size();
    out.samples.resize(old_size + static_cast<std::size_t>(chunk));
    int link = 0;
    const int got = op_read_float(opus, out.samples.data() + old_size, chunk, &link);
    out.samples.resize(old_size + static_cast<std::size_t>(std::max(got, 0)) * channels);
    if (got == OP_HOLE) continue;  // lost pages: the decoder resyncs, keep what follows
    if (got < 0) {
      check_source(source, name);
      fail(HUSH_ERR_FORMAT, name, "Opus decode error: " + opus_error_text(got));
    }
    if (got == 0) break;
    // A chained stream may switch layout; interleaved output cannot follow it.
    if (op_channel_count(opus, link) != channels) {
      fail(HUSH_ERR_FORMAT, name, "channel count changes mid-stream");
    }
    frames += got;
    check_length(name, frames, max_frames);
  }
  check_source(source, name);
  return finish(std::move(out), name);
}

AudioBuffer decode_audio(OpenedAudio& opened, const ByteSource& source, const std::string& name,
                         std::int64_t max_frames) {
  if (auto* opus = std::get_if<OpenedOpus>(&opened)) {
    return decode_opus(opus->get(), source, name, max_frames);
  }
  return decode_sndfile(std::get<OpenedSndfile>(opened), source, name, max_frames);
}

AudioInfo describe_audio(const OpenedAudio& opened, const std::string& name) {
  AudioInfo info;
  if (const auto* opus = std::get_if<OpenedOpus>(&opened)) {
    info.container = "Ogg";
    info.codec = "Opus";
    info.sample_rate_hz = kOpusRateHz;
    info.channels = op_channel_count(opus->get(), -1);
    info.frames = std::max<opus_int64>(op_pcm_total(opus->get(), -1), -1);
  } else {
    const SF_INFO& sf = std::get<OpenedSndfile>(opened).info;
    info.container = container_name(sf.format);
    info.codec = codec_name(sf.format);
    info.sample_rate_hz = sf.samplerate;
    info.channels = sf.channels;
    info.frames = sf.frames == SF_COUNT_MAX ? -1 : sf.frames;
  }
  if (info.frames == 0) fail(HUSH_ERR_FORMAT, name, "no audio samples");
  return info;
}

}  // namespace hush::audio
