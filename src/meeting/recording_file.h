// Opening a recording for reading, whether `hush record --encrypt` wrote it or not: a Hush
// encrypted file (crypto/encrypted_file.h) is decrypted in memory with its key from the
// keyring and decoded from there; anything else goes to audio::read_audio. Everything in Hush
// that reads a recording (info, transcribe, the library) should come through here.
#pragma once

#include <string>

#include "audio/audio_file.h"
#include "crypto/keyring.h"

namespace hush::meeting {

// True when `path` starts with the Hush encrypted-file magic.
bool is_encrypted_recording(const std::string& path);

// Throws like audio::read_audio; for an encrypted file also HUSH_ERR_FORMAT "<path>: cannot
// decrypt: ..." when its key is not in the keyring (deleted: the recording is gone for good),
// the key is wrong, or the file was altered. A recording whose writer was killed decodes up to
// where it stops. The one-argument forms use crypto::Keyring::open_default().
audio::AudioBuffer read_recording(const std::string& path);
audio::AudioBuffer read_recording(const std::string& path, const crypto::Keyring& keyring);

// Like audio::probe_audio; an encrypted file is decrypted and decoded to describe it, and its
// container reads "Ogg (encrypted)" (or "Ogg (encrypted, not finalized)").
audio::AudioInfo probe_recording(const std::string& path);
audio::AudioInfo probe_recording(const std::string& path, const crypto::Keyring& keyring);

}  // namespace hush::meeting
