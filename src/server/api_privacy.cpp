// Data-subject rights (privacy P9-P11), for the user themself and, per workspace member, for
// the workspace's admins. Each request is logged with when it was completed.
//   GET /v1/me/export (ZIP: CSV + JSON of everything stored about the user, and their audio)
//   DELETE /v1/me (erasure)     POST /v1/me/restrict {restricted}
//   GET /v1/me/consents         PUT /v1/me/consents/{kind} {granted}
//   PUT /v1/me/voice-profile {embedding: [...]} (needs speaker_identification consent, P10)
//   POST /v1/workspaces/{id}/members/{user}/export | erase | restrict {restricted}   (admin)
//   GET /v1/training/feedback (server admin: only feedback given with permission, P11)
#include <nlohmann/json.hpp>

#include "server/api_context.h"
#include "server/api_json.h"
#include "server/export_zip.h"
#include "server/router.h"

namespace hush::server {

namespace {

HttpResponse export_user(ApiContext& ctx, const std::string& user_id, const std::string& handled_by) {
  const std::string request = ctx.store.log_privacy_request(user_id, "export", handled_by);
  const auto tables = ctx.store.export_user_data(user_id);
  std::vector<ExportFile> audio;
  for (const auto& [name, json] : tables) {
    if (name != "recordings") continue;
    for (const auto& r : nlohmann::json::parse(json)) {
      const std::string blob = r.value("audio_blob", "");
      if (blob.empty()) continue;
      const auto bytes = ctx.blobs.get(blob);
      audio.push_back({"recordings/" + r.value("id", "recording") + ".audio", std::string(bytes.begin(), bytes.end())});
    }
  }
  HttpResponse response = HttpResponse::text(200, build_export_zip(tables, audio), "application/zip");
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"hush-export.zip\"");
  ctx.store.complete_privacy_request(request);
  return response;
}

HttpResponse erase_user(ApiContext& ctx, const std::string& user_id, const std::string& handled_by) {
  const std::string request = ctx.store.log_privacy_request(user_id, "erasure", handled_by);
  for (const auto& blob : ctx.store.erase_user(user_id)) ctx.blobs.remove(blob);
  ctx.store.complete_privacy_request(request);
  return HttpResponse::json(200, nlohmann::json{{"erased", true}, {"request_id", request}}.dump());
}

HttpResponse restrict_user(ApiContext& ctx, HttpRequest& req, const std::string& user_id, const std::string& handled_by) {
  const auto body = json_body(req);
  reject_unknown_fields(body, {"restricted"});
  const auto restricted = json_bool(body, "restricted");
  if (!restricted) throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'restricted' is required");
  const std::string request =
      ctx.store.log_privacy_request(user_id, *restricted ? "restriction" : "restriction_lifted", handled_by);
  ctx.store.set_restricted(user_id, *restricted);
  ctx.store.complete_privacy_request(request);
  return HttpResponse::json(200, nlohmann::json{{"restricted", *restricted}}.dump());
}

// An admin acting for a member of their workspace.
std::string member_for_admin(ApiContext& ctx, HttpRequest& req, const store::Principal& who) {
  const std::string workspace = req.path_params.at("id"), user = req.path_params.at("user");
  ctx.store.require_role(who, workspace, store::Role::admin);
  if (!ctx.store.role_in(user, workspace)) throw store::NotFound("member");
  return user;
}

}  // namespace

void add_privacy_routes(Router& router, ApiContext& ctx) {
  router.add("GET", "/v1/me/export", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               return export_user(ctx, who.user.id, who.user.id);
             }));
  router.add("DELETE", "/v1/me", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               return erase_user(ctx, who.user.id, who.user.id);
             }));
  router.add("POST", "/v1/me/restrict", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return restrict_user(ctx, req, who.user.id, who.user.id);
             }));
  router.add("GET", "/v1/me/consents", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               return HttpResponse::json(200, nlohmann::json{{"consents", ctx.store.consents(who.user.id)}}.dump());
             }));
  router.add("PUT", "/v1/me/consents/{kind}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"granted"});
               const auto granted = json_bool(body, "granted");
               if (!granted) throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'granted' is required");
               ctx.store.set_consent(who.user.id, req.path_params.at("kind"), *granted);
               return HttpResponse::json(200, nlohmann::json{{"consents", ctx.store.consents(who.user.id)}}.dump());
             }));
  router.add("PUT", "/v1/me/voice-profile", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"embedding"});
               if (!body.contains("embedding") || !body["embedding"].is_array()) {
                 throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'embedding' must be an array of numbers");
               }
               std::vector<float> embedding;
               for (const auto& v : body["embedding"]) {
                 if (!v.is_number()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "field 'embedding' must be an array of numbers");
                 embedding.push_back(v.get<float>());
               }
               ctx.store.store_voice_profile(who.user.id, embedding);
               return HttpResponse::json(200, "{}");
             }));
  router.add("POST", "/v1/workspaces/{id}/members/{user}/export", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return export_user(ctx, member_for_admin(ctx, req, who), who.user.id);
             }));
  router.add("POST", "/v1/workspaces/{id}/members/{user}/erase", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return erase_user(ctx, member_for_admin(ctx, req, who), who.user.id);
             }));
  router.add("POST", "/v1/workspaces/{id}/members/{user}/restrict", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return restrict_user(ctx, req, member_for_admin(ctx, req, who), who.user.id);
             }));
  router.add("GET", "/v1/training/feedback", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               if (!who.user.server_admin) throw store::Forbidden("training data is for server administrators");
               auto list = nlohmann::json::array();
               for (const auto& item : ctx.store.training_feedback_json()) list.push_back(nlohmann::json::parse(item));
               return HttpResponse::json(200, nlohmann::json{{"feedback", list}}.dump());
             }));
}

}  // namespace hush::server
