// The OpenAI-style file endpoint `POST /v1/audio/transcriptions`, without networking: the form
// fields in, a checked request out; a Transcript in, the response body out. The multipart
// parsing and the audio bytes (field "file") are the handler's business.
//
// Form fields (anything else is refused with a 400, as OpenAI refuses unknown parameters):
//   model            required. "whisper-1" (so OpenAI clients work unchanged) and
//                    "hush-pocketsphinx" (or just "hush") all run the on-device PocketSphinx
//                    en-us engine; Hush has no Whisper, and says so in the model list, but a
//                    client hard-wired to "whisper-1" gets the same service.
//   language         optional ISO-639-1; only "en" (or "en-XX"): the installed model is English
//   response_format  json (default) | text | srt | verbose_json | vtt
//   temperature      optional number in [0, 1]; checked, then ignored (the decoder is not
//                    sampled)
//   timestamp_granularities[]  "segment" and/or "word" (repeat the field, or one value with
//                    commas); only with verbose_json. Default: segments only. Asking for words
//                    alone gives words without segments, as OpenAI does.
//   prompt           optional; accepted and ignored (PocketSphinx takes no text context)
//   stream           optional; "false" only (live streaming is /v1/listen)
//   file             the audio; skipped here
//
// Responses:
//   json          {"text"}                                        application/json
//   text          the text and a newline                          text/plain; charset=utf-8
//   srt / vtt     meeting::export_transcript's SubRip / WebVTT    text/plain / text/vtt
//                 (segments with a speaker keep their "me:" / <v me> label)
//   verbose_json  {"task":"transcribe","language":"english","duration","text",
//                  "segments":[{"id","seek","start","end","text","tokens":[],"temperature":0,
//                  "avg_logprob","compression_ratio","no_speech_prob"[,"speaker"]}],
//                  "words":[{"word","start","end"}]}
//     seek: the segment start in 10 ms frames; avg_logprob: the mean natural log of the word
//     confidences; compression_ratio: text bytes / zlib-compressed bytes (as Whisper computes
//     it); no_speech_prob: 0 (segments exist only where words were recognized); "speaker": the
//     segment's speaker label, a Hush extension, only when it has one.
// "text" is the segments' texts joined by spaces (Whisper's convention), not one per line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meeting/transcript.h"
#include "server/http_types.h"

namespace hush::server {

enum class TranscriptionFormat { json, text, srt, verbose_json, vtt };

// For error messages and help: the accepted response_format values.
inline constexpr const char* kTranscriptionFormats = "json, text, srt, verbose_json, vtt";

// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) listing kTranscriptionFormats for other names.
TranscriptionFormat transcription_format_from_name(std::string_view name);

struct TranscriptionRequest {
  std::string model;                       // as sent
  std::string recognizer = "pocketsphinx"; // asr::make_recognizer's engine name
  std::string language = "en";
  TranscriptionFormat format = TranscriptionFormat::json;
  bool segment_timestamps = true;          // verbose_json: "segments"
  bool word_timestamps = false;            // verbose_json: "words"
  double temperature = 0.0;                // validated, unused
};

// The text fields of the multipart form, in order; a repeated field keeps every value.
using FormFields = std::vector<std::pair<std::string, std::string>>;

// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) naming the field and what it accepts. Thread-safe.
TranscriptionRequest parse_transcription_form(const FormFields& fields);
TranscriptionRequest parse_transcription_form(const std::map<std::string, std::string>& fields);

// Status 200 and the body in request.format (see above). `duration_s` is the audio's length;
// the language reported is request.language. Thread-safe.
HttpResponse transcription_response(const meeting::Transcript& transcript, double duration_s,
                                    const TranscriptionRequest& request);

}  // namespace hush::server
