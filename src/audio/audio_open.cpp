#include "audio/audio_open.h"

#include "audio/audio_checks.h"
#include "audio/ogg_page.h"
#include "audio/sndfile_names.h"
#include "audio/sniff.h"
#include "audio/vorbis_headers.h"

namespace hush::audio {
namespace {

ByteSource& source_of(void* user) { return *static_cast<ByteSource*>(user); }

sf_count_t sf_length(void* user) { return source_of(user).size(); }
sf_count_t sf_seek(sf_count_t offset, int whence, void* user) {
  return source_of(user).seek(offset, whence);
}
sf_count_t sf_read(void* dst, sf_count_t count, void* user) {
  if (count <= 0) return 0;
  return static_cast<sf_count_t>(source_of(user).read(dst, static_cast<std::size_t>(count)));
}
sf_count_t sf_write(const void*, sf_count_t, void*) { return 0; }
sf_count_t sf_tell(void* user) { return source_of(user).tell(); }

int op_read_bytes(void* stream, unsigned char* dst, int count) {
  if (count <= 0) return 0;
  ByteSource& source = source_of(stream);
  const std::size_t got = source.read(dst, static_cast<std::size_t>(count));
  return got == 0 && source.io_failed() ? -1 : static_cast<int>(got);
}
int op_seek_bytes(void* stream, opus_int64 offset, int whence) {
  return source_of(stream).seek(offset, whence) < 0 ? -1 : 0;
}
opus_int64 op_tell_bytes(void* stream) { return source_of(stream).tell(); }

OpenedOpus try_open_opus(ByteSource& source, int* error) {
  static const OpusFileCallbacks callbacks = {op_read_bytes, op_seek_bytes, op_tell_bytes, nullptr};
  source.rewind();
  return OpenedOpus(op_open_callbacks(&source, &callbacks, nullptr, 0, error));
}

OpenedOpus open_opus(ByteSource& source, const std::string& name) {
  int error = 0;
  OpenedOpus opus = try_open_opus(source, &error);
  if (!opus) fail(HUSH_ERR_FORMAT, name, "bad Ogg Opus stream: " + opus_error_text(error));
  check_layout(name, 48000, op_channel_count(opus.get(), -1));
  return opus;
}

// On failure returns a null file and sets `why` to libsndfile's reason.
OpenedSndfile try_open_sndfile(ByteSource& source, SF_INFO info, std::string* why) {
  SF_VIRTUAL_IO io = {sf_length, sf_seek, sf_read, sf_write, sf_tell};
  source.rewind();
  OpenedSndfile opened;
  opened.info = info;
  opened.file.reset(sf_open_virtual(&io, SFM_READ, &opened.info, &source));
  if (!opened.file) *why = sf_error_number(sf_error(nullptr));
  return opened;
}

}  // namespace

std::string opus_error_text(int error) {
  switch (error) {
    case OP_HOLE: return "hole in the data";
    case OP_EREAD: return "read error";
    case OP_EFAULT: return "out of memory or internal error";
    case OP_EIMPL: return "unsupported Opus feature";
    case OP_EINVAL: return "invalid stream state";
    case OP_ENOTFORMAT: return "no Opus stream found";
    case OP_EBADHEADER: return "bad Opus header";
    case OP_EVERSION: return "unsupported Opus version";
    case OP_EBADPACKET: return "bad Opus packet";
    case OP_EBADLINK: return "inconsistent chained stream";
    case OP_EBADTIMESTAMP: return "bad timestamp";
    default: return "error " + std::to_string(error);
  }
}

OpenedAudio open_audio(ByteSource& source, const std::string& name) {
  const Sniffed sniffed = sniff_container(source);
  if (sniffed.container == Container::ogg_opus || sniffed.container == Container::ogg_other) {
    if (const std::string why = check_single_ogg_stream(source, sniffed.offset); !why.empty()) {
      fail(HUSH_ERR_FORMAT, name, why);
    }
  }
  switch (sniffed.container) {
    case Container::unknown:
      fail(HUSH_ERR_FORMAT, name, "not a WAV, FLAC, Ogg Vorbis or Ogg Opus file");
    case Container::ogg_opus: return open_opus(source, name);
    case Container::ogg_other:
      if (const std::string why = check_vorbis_headers(source, sniffed.offset); !why.empty()) {
        // Opus laid out in a way our first-page sniff does not expect: opusfile decides.
        if (OpenedOpus opus = try_open_opus(source, nullptr)) {
          check_layout(name, 48000, op_channel_count(opus.get(), -1));
          return opus;
        }
        fail(HUSH_ERR_FORMAT, name, why);
      }
      break;
    case Container::wav:
      if (!sniffed.wav_problem.empty()) fail(HUSH_ERR_FORMAT, name, sniffed.wav_problem);
      break;
    case Container::flac: break;
  }

  std::string why;
  OpenedSndfile opened = try_open_sndfile(source, SF_INFO{}, &why);
  if (!opened.file) fail(HUSH_ERR_FORMAT, name, why);
  // The sniff already keeps other parsers away; this catches libsndfile seeing it otherwise.
  const int format = opened.info.format;
  if (!is_supported_container(format) || (format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS) {
    fail(HUSH_ERR_FORMAT, name,
         "unsupported format " + container_name(format) + " " + codec_name(format));
  }
  check_layout(name, opened.info.samplerate, opened.info.channels);
  return opened;
}

OpenedSndfile open_raw_pcm(ByteSource& source, const std::string& name,
                           const RawPcmFormat& format) {
  if (format.sample_rate_hz < kMinFileRateHz || format.sample_rate_hz > kMaxFileRateHz ||
      format.channels < 1 || format.channels > kMaxChannels) {
    fail(HUSH_ERR_INVALID_ARGUMENT, name,
         "raw PCM needs a sample rate of " + std::to_string(kMinFileRateHz) + ".." +
             std::to_string(kMaxFileRateHz) + " Hz and 1.." + std::to_string(kMaxChannels) +
             " channels, not " + std::to_string(format.sample_rate_hz) + " Hz, " +
             std::to_string(format.channels) + " channels");
  }
  SF_INFO info{};
  info.samplerate = format.sample_rate_hz;
  info.channels = format.channels;
  info.format = SF_FORMAT_RAW | SF_ENDIAN_LITTLE | raw_subformat(format.sample_format);
  std::string why;
  OpenedSndfile opened = try_open_sndfile(source, info, &why);
  if (!opened.file) fail(HUSH_ERR_FORMAT, name, why);
  return opened;
}

}  // namespace hush::audio
