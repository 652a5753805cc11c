#include "meeting/recording_file.h"

#include "crypto/encrypted_file.h"

namespace hush::meeting {
namespace {

audio::AudioBuffer decode_encrypted(const std::string& path, const crypto::Keyring& keyring, bool& finalized) {
  const crypto::DecryptedStream stream = crypto::read_encrypted_file(path, keyring);
  finalized = stream.finalized;
  return audio::read_audio_memory(stream.plaintext, path);
}

}  // namespace

bool is_encrypted_recording(const std::string& path) { return crypto::is_encrypted_file(path); }

audio::AudioBuffer read_recording(const std::string& path) {
  if (!is_encrypted_recording(path)) return audio::read_audio(path);
  return read_recording(path, crypto::Keyring::open_default());
}

audio::AudioBuffer read_recording(const std::string& path, const crypto::Keyring& keyring) {
  if (!is_encrypted_recording(path)) return audio::read_audio(path);
  bool finalized = false;
  return decode_encrypted(path, keyring, finalized);
}

audio::AudioInfo probe_recording(const std::string& path) {
  if (!is_encrypted_recording(path)) return audio::probe_audio(path);
  return probe_recording(path, crypto::Keyring::open_default());
}

audio::AudioInfo probe_recording(const std::string& path, const crypto::Keyring& keyring) {
  if (!is_encrypted_recording(path)) return audio::probe_audio(path);
  bool finalized = false;
  const audio::AudioBuffer audio = decode_encrypted(path, keyring, finalized);
  audio::AudioInfo info;
  info.container = finalized ? "Ogg (encrypted)" : "Ogg (encrypted, not finalized)";
  info.codec = "Opus";
  info.sample_rate_hz = audio.sample_rate_hz;
  info.channels = audio.channels;
  info.frames = static_cast<std::int64_t>(audio.frames());
  return info;
}

}  // namespace hush::meeting
