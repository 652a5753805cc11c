// The query string of the Deepgram-style live endpoint `GET /v1/listen` (a WebSocket), checked
// before the upgrade is accepted, so a client with a wrong parameter gets a 400 that says what
// is wrong instead of a stream that silently transcribes garbage.
//
// Accepted parameters (anything else is rejected, as Deepgram rejects unknown parameters):
//   encoding         required, "linear16" only: raw 16-bit little-endian PCM. Containers (webm,
//                    ogg, wav) and other codecs cannot be decoded live and are refused.
//   sample_rate      required: 8000, 16000, 22050, 24000, 32000, 44100 or 48000 (Hz)
//   channels         1 (default) or 2; two interleaved channels are mixed down to one and
//                    transcribed once (Deepgram's behaviour without multichannel)
//   multichannel     "false" only (a transcript per channel is not supported live)
//   interim_results  true/false (default false): interim Results while someone speaks
//   punctuate, smart_format  true/false, accepted and ignored: the on-device model
//                    (PocketSphinx en-us) produces lower-case words without punctuation, so
//                    punctuated_word equals word
//   diarize          true/false: words carry "speaker" (see listen_session.h for what it means
//                    live)
//   utterance_end_ms 1000..60000: send UtteranceEnd after this long without words
//   vad_events       true/false: send SpeechStarted when speech begins
//   endpointing      milliseconds (1..10000) or "false" (default: on, Hush's 600 ms pause).
//                    The pause that ends an utterance (and makes speech_final true). Values
//                    under 300 ms are raised to 300 ms: shorter gaps occur between words, and
//                    PocketSphinx is far more accurate on whole phrases. "false" keeps the
//                    default cut but never reports speech_final.
//   denoise          true/false (default false), a Hush extension: Hush's denoiser in front of
//                    the recognizer; "neural" or "spectral" pick its engine (true: the default,
//                    neural). spectral costs far less CPU per stream (README's hushd load table)
//   finals           "fast" (default) or "accurate", a Hush extension. fast: a final's words come
//                    from the decoding done while the audio arrived, so it follows the end of an
//                    utterance by a short, fixed time. accurate: one more pass over the whole
//                    utterance with its own normalisation — the same words as a file upload,
//                    but the final waits for that pass (time grows with the utterance's length
//                    and the server's load; see the README's hushd load table).
//   language         "en" or "en-XX" (default "en"): the only model installed is English
//   model            optional; "hush", "hush-pocketsphinx", "pocketsphinx", or a Deepgram model
//                    family ("nova-3", "nova-2", "nova", "enhanced", "base", with any "-suffix")
//                    so existing clients work unchanged: all run the one on-device engine
//   version          "latest" only (Deepgram's SDKs may send it)
// Booleans are exactly "true" or "false".
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hush.h"

namespace hush::server {

struct ListenOptions {
  int sample_rate_hz = 16000;
  int channels = 1;                  // interleaved in each binary message; 2 is mixed to mono
  bool interim_results = false;
  bool diarize = false;
  bool vad_events = false;
  bool denoise = false;
  int denoise_engine = HUSH_ENGINE_DEFAULT;  // a hush_engine value
  bool accurate_finals = false;      // finals=accurate: a second pass per utterance
  bool punctuate = false;            // recorded only (the model has no punctuation)
  bool smart_format = false;         // recorded only
  std::optional<int> utterance_end_ms;  // nullopt: no UtteranceEnd messages
  bool endpointing = true;           // false: speech_final is never true
  std::optional<int> endpointing_ms; // as asked; nullopt: Hush's default pause
  std::string language = "en";
  std::string model = "hush-pocketsphinx";  // as asked (for Metadata); the engine is always the same
  std::string recognizer = "pocketsphinx";  // asr::make_recognizer's name
};

// Hush's own pause (seconds) when endpointing is not given, and the floor for given values.
inline constexpr double kDefaultEndpointingS = 0.6;
inline constexpr int kMinEndpointingMs = 300;

// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) with a message naming the parameter and what it
// accepts (for an unknown parameter: the list of accepted ones). Thread-safe.
ListenOptions parse_listen_options(const std::map<std::string, std::string>& query);

// The pause (seconds) that ends an utterance for these options.
double endpointing_pause_s(const ListenOptions& options);

}  // namespace hush::server
