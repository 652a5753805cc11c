// POST /v1/audio/transcriptions, the OpenAI shape: a multipart form with `file` and text fields
// (model, language, response_format, temperature, timestamp_granularities[]). The audio is
// decoded and transcribed in memory and dropped: nothing of it is stored (privacy P2).
//
// The transcription runs on the I/O thread that read the request (the router's handlers answer
// synchronously), so only so many run at once (ApiContext::max_file_transcriptions, default one
// per core): more would only share the same cores more slowly, and would take every I/O thread,
// stalling live streams. A request over the limit is answered at once with 503 and Retry-After.
#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

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
// Holds one of the limited transcription slots, or none when all are taken.
class TranscriptionSlot {
 public:
  TranscriptionSlot(std::atomic<int>& busy, int limit) : busy_(busy) { held_ = busy_.fetch_add(1) < limit; }
  ~TranscriptionSlot() { busy_.fetch_sub(1); }
  TranscriptionSlot(const TranscriptionSlot&) = delete;
  TranscriptionSlot& operator=(const TranscriptionSlot&) = delete;
  bool held() const { return held_; }

 private:
  std::atomic<int>& busy_;
  bool held_ = false;
};

}  // namespace

void add_transcription_routes(Router& router, ApiContext& ctx) {
  const int limit = ctx.max_file_transcriptions > 0
                        ? ctx.max_file_transcriptions
                        : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  auto busy = std::make_shared<std::atomic<int>>(0);
  router.add("POST", "/v1/audio/transcriptions", authed(ctx, [busy, limit](HttpRequest& req, const store::Principal& who) {
               if (who.user.restricted) throw store::Forbidden("your account is restricted: no new processing of your data");
               const TranscriptionSlot slot(*busy, limit);
               if (!slot.held()) {
                 HttpResponse r = HttpResponse::error(
                     503, "the server is transcribing as many files as it has cores; retry in a second", "server_busy");
                 r.headers.emplace_back("Retry-After", "1");
                 return r;
               }
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
