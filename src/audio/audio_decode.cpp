#include "audio/audio_decode.h"

#include <algorithm>
#include <span>
#include <vector>

#include "audio/audio_checks.h"
#include "audio/sndfile_names.h"

namespace hush::audio {
namespace {

constexpr std::size_t kSndfileChunkFrames = 16384;
constexpr int kOpusRateHz = 48000;                   // libopusfile always decodes at 48 kHz
constexpr std::size_t kOpusChunkFrames = 48000 / 8;  // 120 ms, the longest Opus packet

// Reserving from the header saves copies and, on a 4-hour file, gigabytes of slack; but the
// header is input too, and a 100-byte file must not claim gigabytes up front. So trust it only
// as far as the file's size could back it, at `frames_per_byte` (a generous bound for the
// codec), and let the buffer grow past that on its own.
void reserve_frames(AudioBuffer& out, std::int64_t header_frames, std::int64_t source_bytes,
                    std::int64_t frames_per_byte, std::int64_t max_frames) {
  const std::int64_t plausible = source_bytes * frames_per_byte;
  const std::int64_t frames = std::min({header_frames, max_frames, plausible});
  if (frames > 0) out.samples.reserve(static_cast<std::size_t>(frames) * out.channels);
}

// Hands out space to decode into: the reserved tail while there is some (never asking for
// more than fits, so an exact reserve is never doubled by a final read that finds EOF), then a
// scratch chunk that is appended only for frames actually decoded.
class SampleSink {
 public:
  SampleSink(std::vector<float>& samples, int channels, std::size_t chunk_frames)
      : samples_(samples), channels_(static_cast<std::size_t>(channels)), chunk_(chunk_frames) {}

  std::span<float> next() {
    start_ = samples_.size();
    const std::size_t spare = (samples_.capacity() - start_) / channels_;
    in_scratch_ = spare == 0;
    if (in_scratch_) {
      scratch_.resize(chunk_ * channels_);
      return scratch_;
    }
    samples_.resize(start_ + std::min(spare, chunk_) * channels_);
    return std::span<float>(samples_).subspan(start_);
  }

  // Keeps the first `frames` frames written into the last next().
  void commit(std::size_t frames) {
    const std::size_t values = frames * channels_;
    if (in_scratch_) {
      samples_.insert(samples_.end(), scratch_.begin(),
                      scratch_.begin() + static_cast<std::ptrdiff_t>(values));
    } else {
      samples_.resize(start_ + values);
    }
  }

 private:
  std::vector<float>& samples_;
  std::size_t channels_;
  std::size_t chunk_;
  std::vector<float> scratch_;
  std::size_t start_ = 0;
  bool in_scratch_ = false;
};

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

AudioBuffer decode_sndfile(OpenedSndfile& opened, const ByteSource& source, const std::string& name,
                           std::int64_t max_frames) {
  SNDFILE* file = opened.file.get();
  const SF_INFO& info = opened.info;
  // SF_COUNT_MAX means "length unknown"; the loop below enforces the limit then.
  if (info.frames != SF_COUNT_MAX) check_length(name, info.frames, max_frames);

  AudioBuffer out;
  out.sample_rate_hz = info.samplerate;
  out.channels = info.channels;
  // 8 frames a byte: GSM 6.10 packs 160 frames in 33 bytes; PCM and ADPCM are denser.
  reserve_frames(out, info.frames, source.size(), 8, max_frames);
  SampleSink sink(out.samples, out.channels, kSndfileChunkFrames);
  std::int64_t frames = 0;
  for (;;) {
    const std::span<float> space = sink.next();
    const auto want = static_cast<sf_count_t>(space.size() / out.channels);
    const sf_count_t got = sf_readf_float(file, space.data(), want);
    sink.commit(static_cast<std::size_t>(std::max<sf_count_t>(got, 0)));
    if (got <= 0) break;
    frames += got;
    check_length(name, frames, max_frames);
  }
  check_source(source, name);
  // An error mid-stream means the codec found garbage, which is not something to half-trust;
  // fewer frames than the header promised means the file was cut short (WAV truncation is
  // caught earlier, by the sniffer, because libsndfile trims a WAV's length silently).
  if (sf_error(file) != SF_ERR_NO_ERROR) {
    std::string why = sf_strerror(file);
    if (why.rfind("Error : ", 0) == 0) why.erase(0, 8);  // libsndfile's codec errors carry this
    if (why.find("lost sync") != std::string::npos) why = "truncated or corrupt (" + why + ")";
    fail(HUSH_ERR_FORMAT, name, "decode error: " + why);
  }
  const bool is_flac = (info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC;
  if (is_flac && info.frames > 0 && info.frames != SF_COUNT_MAX && frames < info.frames) {
    fail(HUSH_ERR_FORMAT, name,
         "truncated: the header promises " + std::to_string(info.frames) + " samples per channel, the file holds " +
             std::to_string(frames));
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
  // 64 frames a byte: Opus at 6 kbit/s, its lowest useful rate, gives 64 frames a byte.
  reserve_frames(out, total, source.size(), 64, max_frames);
  SampleSink sink(out.samples, channels, kOpusChunkFrames);
  std::int64_t frames = 0;
  for (;;) {
    const std::span<float> space = sink.next();
    int link = 0;
    const int got = op_read_float(opus, space.data(), static_cast<int>(space.size()), &link);
    sink.commit(static_cast<std::size_t>(std::max(got, 0)));
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
