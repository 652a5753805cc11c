// POST /v1/audio/transcriptions, the OpenAI shape: a multipart form with `file` and text fields
// (model, language, response_format, temperature, timestamp_granularities[]). The audio is
// decoded and transcribed in memory and dropped: nothing of it is stored (privacy P2).
#include "asr/transcribe.h"
#include "audio/audio_file.h"
#include "server/api_context.h"
#include "server/multipart.h"
#include "server/router.h"
#include "server/transcription_response.h"

namespace hush::server {

namespace {
// At most this much audio per request (the body limit bounds the bytes, this the samples).
constexpr std::int64_t kMaxTranscriptionFrames = std::int64_t{2} * 3600 * 48000;
}

void add_transcription_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/v1/audio/transcriptions", authed(ctx, [](HttpRequest& req, const store::Principal& who) {
               if (who.user.restricted) throw store::Forbidden("your account is restricted: no new processing of your data");
               const auto parts = parse_multipart(req.body, multipart_boundary(req.header("content-type")));
               FormFields fields;
               const MultipartPart* file = nullptr;
               for (const auto& p : parts) {
                 if (p.name == "file") file = &p;
                 else fields.emplace_back(p.name, std::string(p.data));
               }
               const TranscriptionRequest request = parse_transcription_form(fields);
               if (!file || file->data.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the form needs a non-empty 'file' part");
               const auto audio = audio::read_audio_memory(
                   std::span(reinterpret_cast<const std::uint8_t*>(file->data.data()), file->data.size()),
                   file->filename.empty() ? "file" : file->filename, kMaxTranscriptionFrames);
               asr::TranscribeOptions options;
               options.recognizer = request.recognizer;
               const auto transcript = asr::transcribe(audio, options);
               return transcription_response(transcript, audio.duration_s(), request);
             }));
}

}  // namespace hush::server
