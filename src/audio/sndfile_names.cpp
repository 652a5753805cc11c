#include "audio/sndfile_names.h"

#include <sndfile.h>

#include <cstdio>

namespace hush::audio {
namespace {

// libsndfile's own description, for formats without a short name of ours.
std::string library_name(int format) {
  SF_FORMAT_INFO info{};
  info.format = format;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name) {
    return info.name;
  }
  char hex[32];
  std::snprintf(hex, sizeof hex, "format 0x%x", static_cast<unsigned>(format));
  return hex;
}

std::string bit_depth(int subformat) {
  switch (subformat) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8: return "8-bit";
    case SF_FORMAT_PCM_16: return "16-bit";
    case SF_FORMAT_PCM_24: return "24-bit";
    case SF_FORMAT_PCM_32: return "32-bit";
    default: return "";
  }
}

}  // namespace

std::string container_name(int sf_format) {
  switch (sf_format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX: return "WAV";
    case SF_FORMAT_RF64: return "RF64";
    case SF_FORMAT_W64: return "W64";
    case SF_FORMAT_FLAC: return "FLAC";
    case SF_FORMAT_OGG: return "Ogg";
    case SF_FORMAT_RAW: return "raw";
    default: return library_name(sf_format & SF_FORMAT_TYPEMASK);
  }
}

std::string codec_name(int sf_format) {
  const int sub = sf_format & SF_FORMAT_SUBMASK;
  if ((sf_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_FLAC) return "FLAC " + bit_depth(sub);
  switch (sub) {
    case SF_FORMAT_PCM_U8: return "PCM 8-bit unsigned";
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32: return "PCM " + bit_depth(sub);
    case SF_FORMAT_FLOAT: return "float 32-bit";
    case SF_FORMAT_DOUBLE: return "float 64-bit";
    case SF_FORMAT_ULAW: return "u-law";
    case SF_FORMAT_ALAW: return "A-law";
    case SF_FORMAT_IMA_ADPCM: return "IMA ADPCM";
    case SF_FORMAT_MS_ADPCM: return "MS ADPCM";
    case SF_FORMAT_GSM610: return "GSM 6.10";
    case SF_FORMAT_VORBIS: return "Vorbis";
    case SF_FORMAT_OPUS: return "Opus";
    default: return library_name(sub);
  }
}

bool is_supported_container(int sf_format) {
  switch (sf_format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_RF64:
    case SF_FORMAT_W64:
    case SF_FORMAT_FLAC:
    case SF_FORMAT_OGG: return true;
    default: return false;
  }
}

int raw_subformat(RawSampleFormat format) {
  switch (format) {
    case RawSampleFormat::s16le: return SF_FORMAT_PCM_16;
    case RawSampleFormat::s24le: return SF_FORMAT_PCM_24;
    case RawSampleFormat::s32le: return SF_FORMAT_PCM_32;
    case RawSampleFormat::f32le: return SF_FORMAT_FLOAT;
    case RawSampleFormat::u8: return SF_FORMAT_PCM_U8;
  }
  return SF_FORMAT_PCM_16;
}

}  // namespace hush::audio
