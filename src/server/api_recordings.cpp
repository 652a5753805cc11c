// The Call Recording API (AssemblyAI-style jobs):
//   POST /v1/uploads (raw audio body) -> {upload_url}, usable for 24 h (HushdConfig::upload_ttl)
//   POST /v1/recordings  JSON {audio_url, title, consent, webhook_url}, or multipart with a
//                        `file` part and the same fields -> 201 {id, status: queued}
//   GET /v1/recordings[?q=words]   GET /v1/recordings/{id}   .../srt  .../vtt  .../audio
//   DELETE /v1/recordings/{id} -> tombstone      POST .../shares {email}
//   PUT .../transcript (corrections, P9)   PUT .../hold {hold} (admin)   POST .../feedback
// The transcription itself runs on the job workers (server/job_worker.h).
#include <ctime>
#include <nlohmann/json.hpp>

#include "audio/audio_file.h"
#include "meeting/transcript.h"
#include "meeting/transcript_export.h"
#include "server/api_context.h"
#include "server/api_json.h"
#include "server/multipart.h"
#include "server/router.h"

namespace hush::server {

namespace {

constexpr const char* kUploadScheme = "hush-upload://";
// A recording may be at most this long (decoding is bounded by it before anything is stored).
constexpr std::int64_t kMaxRecordingFrames = std::int64_t{4} * 3600 * 48000;

nlohmann::json recording_json(const store::Recording& r) {
  nlohmann::json j = {{"id", r.id}, {"workspace_id", r.workspace_id}, {"status", store::status_name(r.status)},
                      {"created_at", r.created_at_s}};
  if (r.status == store::RecordingStatus::deleted) {
    j["deleted_at"] = r.deleted_at_s.value_or(0);
    return j;
  }
  j["title"] = r.title;
  j["owner_id"] = r.owner_id;
  j["duration_s"] = r.duration_s;
  j["legal_hold"] = r.legal_hold;
  if (!r.error.empty()) j["error"] = r.error;
  if (!r.transcript_json.empty()) {
    const auto t = meeting::transcript_from_json(nlohmann::json::parse(r.transcript_json));
    j["text"] = t.text();
    j["transcript"] = nlohmann::json::parse(r.transcript_json);
  }
  if (!r.notes_json.empty()) j["notes"] = nlohmann::json::parse(r.notes_json);
  return j;
}

// Decodes enough to know the bytes are audio Hush can transcribe (400 otherwise) and returns
// the duration.
double checked_duration_s(std::string_view bytes) {
  if (bytes.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the audio is empty");
  const auto audio = audio::read_audio_memory(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), "upload", kMaxRecordingFrames);
  return double(audio.frames()) / audio.sample_rate_hz;
}

std::string store_audio(ApiContext& ctx, const store::Principal& who, const std::string& workspace,
                        std::string_view bytes) {
  // Checked before anything is written: with recording off no audio byte reaches the disk (P2).
  ctx.store.require_role(who, workspace, store::Role::member);
  if (!ctx.store.workspace_settings(workspace).recording_enabled) {
    throw store::Forbidden("recording is turned off in this workspace");
  }
  if (who.user.restricted) throw store::Forbidden("your account is restricted: no new processing of your data");
  return ctx.blobs.put(workspace, std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

HttpResponse create_recording(ApiContext& ctx, HttpRequest& req, const store::Principal& who) {
  const std::string workspace = request_workspace(ctx, req, who);
  store::NewRecording in;
  std::string blob;
  if (req.header("content-type").starts_with("multipart/")) {
    const auto parts = parse_multipart(req.body, multipart_boundary(req.header("content-type")));
    nlohmann::json fields = nlohmann::json::object();
    const MultipartPart* file = nullptr;
    for (const auto& p : parts) {
      // A field given twice is ambiguous (which title?): refused rather than last-one-wins.
      if ((p.name == "file" && file) || fields.contains(p.name))
        throw Error(HUSH_ERR_INVALID_ARGUMENT, "the form has the field '" + p.name.substr(0, 60) + "' twice");
      if (p.name == "file") {
        file = &p;
        require_text(p.filename, "the file name");
        continue;
      }
      require_text(p.name, "a form field name");
      require_text(p.data, "the form field '" + p.name.substr(0, 60) + "'");
      if (p.name == "consent") fields["consent"] = p.data == "true";
      else fields[p.name] = std::string(p.data);
    }
    reject_unknown_fields(fields, {"title", "consent", "webhook_url"});
    if (!file) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the form needs a 'file' part with the audio");
    in.title = json_string(fields, "title").value_or(file->filename);
    in.consent = json_bool(fields, "consent").value_or(false);
    in.webhook_url = json_string(fields, "webhook_url").value_or("");
    in.duration_s = checked_duration_s(file->data);
    if (!in.consent) throw store::Forbidden("a recording needs consent: set consent to true once the people recorded agreed");
    blob = store_audio(ctx, who, workspace, file->data);
  } else {
    const auto body = json_body(req);
    reject_unknown_fields(body, {"audio_url", "title", "consent", "webhook_url"});
    const std::string url = required_string(body, "audio_url");
    if (!url.starts_with(kUploadScheme) || !url.substr(std::string(kUploadScheme).size()).starts_with(workspace + "/")) {
      throw Error(HUSH_ERR_INVALID_ARGUMENT, "audio_url must be an upload_url from POST /v1/uploads in this workspace");
    }
    blob = url.substr(std::string(kUploadScheme).size());
    ctx.blobs.path_of(blob);  // validates the name
    // A missing file and an expired one read the same: the sweep may have removed it already.
    const std::string expired = "the upload (upload_urls expire " + std::to_string(ctx.upload_ttl_s / 3600) +
                                " hours after the upload)";
    std::int64_t written_s = 0;
    try {
      written_s = ctx.blobs.modified_s(blob);
    } catch (const Error&) {
      throw store::NotFound(expired);
    }
    // The file system's clock, not the store's: the age is the file's.
    if (static_cast<std::int64_t>(std::time(nullptr)) - written_s > ctx.upload_ttl_s) throw store::NotFound(expired);
    in.title = json_string(body, "title").value_or("");
    in.consent = json_bool(body, "consent").value_or(false);
    in.webhook_url = json_string(body, "webhook_url").value_or("");
  }
  if (!in.webhook_url.empty() && !in.webhook_url.starts_with("http://") && !in.webhook_url.starts_with("https://")) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "webhook_url must be an http:// or https:// URL");
  }
  in.blob_name = blob;
  try {
    const auto rec = ctx.store.create_recording(who, workspace, in);
    if (ctx.jobs_added) ctx.jobs_added();
    return HttpResponse::json(201, recording_json(rec).dump());
  } catch (...) {
    ctx.blobs.remove(blob);  // refused (consent, settings): keep nothing
    throw;
  }
}

meeting::Transcript transcript_of(const store::Recording& r) {
  if (r.transcript_json.empty()) {
    throw store::Conflict(std::string("the recording has no transcript (status ") + store::status_name(r.status) + ")");
  }
  return meeting::transcript_from_json(nlohmann::json::parse(r.transcript_json));
}

}  // namespace

void add_recording_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/v1/uploads", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               checked_duration_s(req.body);
               const std::string blob = store_audio(ctx, who, request_workspace(ctx, req, who), req.body);
               return HttpResponse::json(201, nlohmann::json{{"upload_url", kUploadScheme + blob}}.dump());
             }));
  router.add("POST", "/v1/recordings", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return create_recording(ctx, req, who);
             }));
  router.add("GET", "/v1/recordings", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto q = req.query.find("q");
               auto list = nlohmann::json::array();
               for (const auto& r : ctx.store.list_recordings(who, request_workspace(ctx, req, who),
                                                              q == req.query.end() ? "" : q->second)) {
                 auto j = recording_json(r);
                 j.erase("transcript");
                 j.erase("notes");
                 list.push_back(j);
               }
               return HttpResponse::json(200, nlohmann::json{{"recordings", list}}.dump());
             }));
  router.add("GET", "/v1/recordings/{id}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto r = ctx.store.get_recording(who, req.path_params.at("id"));
               ctx.store.audit(who.user.id, r.workspace_id, "recording.view", "recording", r.id);
               return HttpResponse::json(200, recording_json(r).dump());
             }));
  for (const char* format : {"srt", "vtt"}) {
    router.add("GET", std::string("/v1/recordings/{id}/") + format,
               authed(ctx, [&ctx, format](HttpRequest& req, const store::Principal& who) {
                 const auto r = ctx.store.get_recording(who, req.path_params.at("id"));
                 ctx.store.audit(who.user.id, r.workspace_id, "recording.view", "recording", r.id);
                 const auto text = meeting::export_transcript(transcript_of(r), meeting::export_format_from_name(format));
                 return HttpResponse::text(200, text, std::string(format) == "srt" ? "application/x-subrip" : "text/vtt");
               }));
  }
  router.add("GET", "/v1/recordings/{id}/audio", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto r = ctx.store.get_recording(who, req.path_params.at("id"));
               if (r.blob_name.empty()) throw store::NotFound("audio");
               ctx.store.audit(who.user.id, r.workspace_id, "recording.download", "recording", r.id);
               const auto bytes = ctx.blobs.get(r.blob_name);
               return HttpResponse::text(200, std::string(bytes.begin(), bytes.end()), "application/octet-stream");
             }));
  router.add("DELETE", "/v1/recordings/{id}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const std::string blob = ctx.store.delete_recording(who, req.path_params.at("id"));
               if (!blob.empty()) ctx.blobs.remove(blob);
               return HttpResponse::json(200, recording_json(ctx.store.load_recording_for_job(req.path_params.at("id"))).dump());
             }));
  router.add("POST", "/v1/recordings/{id}/shares", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"email"});
               ctx.store.share_recording(who, req.path_params.at("id"), required_string(body, "email"));
               return HttpResponse::json(200, "{}");
             }));
  router.add("PUT", "/v1/recordings/{id}/transcript", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               meeting::transcript_from_json(body);  // validates the shape (400 naming the field)
               ctx.store.correct_transcript(who, req.path_params.at("id"), body.dump());
               return HttpResponse::json(200, "{}");
             }));
  router.add("PUT", "/v1/recordings/{id}/hold", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"hold"});
               const auto hold = json_bool(body, "hold");
               if (!hold) throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'hold' is required");
               ctx.store.set_recording_hold(who, req.path_params.at("id"), *hold);
               return HttpResponse::json(200, "{}");
             }));
  router.add("POST", "/v1/recordings/{id}/feedback", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"rating", "comment", "training_permission"});
               const auto rating = json_int(body, "rating");
               if (!rating) throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'rating' is required");
               ctx.store.add_feedback(who, req.path_params.at("id"), static_cast<int>(*rating),
                                      json_string(body, "comment").value_or(""),
                                      json_bool(body, "training_permission").value_or(false));
               return HttpResponse::json(201, "{}");
             }));
}

}  // namespace hush::server
