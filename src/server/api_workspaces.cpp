// Workspaces, their settings, members and roles, the audit log and usage statistics:
//   POST /v1/workspaces {name}        GET /v1/workspaces        GET /v1/workspaces/{id}
//   PATCH /v1/workspaces/{id}/settings {recording_enabled, notes_enabled, retention_days,
//                                       legal_hold, external_summarizer}          (admin)
//   GET /v1/workspaces/{id}/members   PUT .../members {email, role}   DELETE .../members/{user}
//   GET /v1/workspaces/{id}/audit (admin, P14)   GET /v1/workspaces/{id}/privacy-requests (admin)
//   GET /v1/stats (server admin, P7: counts only)
#include <nlohmann/json.hpp>

#include "server/api_context.h"
#include "server/api_json.h"
#include "server/router.h"

namespace hush::server {

namespace {

nlohmann::json workspace_json(const store::Workspace& w, const ApiContext& ctx) {
  // P13: third parties that may receive this workspace's data, with whether they are on.
  auto subprocessors = nlohmann::json::array();
  if (!ctx.summarizer_url.empty()) {
    subprocessors.push_back({{"name", "external summarizer"},
                             {"purpose", "abstractive meeting summaries from transcripts"},
                             {"endpoint", ctx.summarizer_url},
                             {"enabled", w.settings.external_summarizer}});
  }
  return {{"id", w.id},
          {"subprocessors", subprocessors},
          {"name", w.name},
          {"created_at", w.created_at_s},
          {"settings",
           {{"recording_enabled", w.settings.recording_enabled},
            {"notes_enabled", w.settings.notes_enabled},
            {"retention_days", w.settings.retention_days},
            {"legal_hold", w.settings.legal_hold},
            {"external_summarizer", w.settings.external_summarizer}}}};
}

}  // namespace

void add_workspace_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/v1/workspaces", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"name"});
               return HttpResponse::json(201, workspace_json(ctx.store.create_workspace(who, required_string(body, "name")), ctx).dump());
             }));
  router.add("GET", "/v1/workspaces", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               auto list = nlohmann::json::array();
               for (const auto& w : ctx.store.list_workspaces(who)) list.push_back(workspace_json(w, ctx));
               return HttpResponse::json(200, nlohmann::json{{"workspaces", list}}.dump());
             }));
  router.add("GET", "/v1/workspaces/{id}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               return HttpResponse::json(200, workspace_json(ctx.store.get_workspace(who, req.path_params.at("id")), ctx).dump());
             }));
  router.add("PATCH", "/v1/workspaces/{id}/settings", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"recording_enabled", "notes_enabled", "retention_days", "legal_hold",
                                            "external_summarizer"});
               const std::string id = req.path_params.at("id");
               store::WorkspaceSettings s = ctx.store.get_workspace(who, id).settings;
               s.recording_enabled = json_bool(body, "recording_enabled").value_or(s.recording_enabled);
               s.notes_enabled = json_bool(body, "notes_enabled").value_or(s.notes_enabled);
               s.retention_days = static_cast<int>(json_int(body, "retention_days").value_or(s.retention_days));
               s.legal_hold = json_bool(body, "legal_hold").value_or(s.legal_hold);
               s.external_summarizer = json_bool(body, "external_summarizer").value_or(s.external_summarizer);
               return HttpResponse::json(200, workspace_json(ctx.store.update_settings(who, id, s), ctx).dump());
             }));
  router.add("GET", "/v1/workspaces/{id}/members", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               auto list = nlohmann::json::array();
               for (const auto& m : ctx.store.list_members(who, req.path_params.at("id"))) {
                 list.push_back({{"user_id", m.user_id}, {"email", m.email}, {"name", m.name}, {"role", store::role_name(m.role)}});
               }
               return HttpResponse::json(200, nlohmann::json{{"members", list}}.dump());
             }));
  router.add("PUT", "/v1/workspaces/{id}/members", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"email", "role"});
               ctx.store.set_member(who, req.path_params.at("id"), required_string(body, "email"),
                                    store::role_from_name(required_string(body, "role")));
               return HttpResponse::json(200, "{}");
             }));
  router.add("DELETE", "/v1/workspaces/{id}/members/{user}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               ctx.store.remove_member(who, req.path_params.at("id"), req.path_params.at("user"));
               return HttpResponse::json(200, "{}");
             }));
  router.add("GET", "/v1/workspaces/{id}/audit", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               auto list = nlohmann::json::array();
               for (const auto& e : ctx.store.audit_log(who, req.path_params.at("id"))) {
                 list.push_back({{"at", e.at_s}, {"actor_id", e.actor_id}, {"action", e.action},
                                 {"target_kind", e.target_kind}, {"target_id", e.target_id}});
               }
               return HttpResponse::json(200, nlohmann::json{{"entries", list}}.dump());
             }));
  router.add("GET", "/v1/workspaces/{id}/privacy-requests",
             authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               auto list = nlohmann::json::array();
               for (const auto& p : ctx.store.privacy_requests(who, req.path_params.at("id"))) {
                 nlohmann::json j = {{"id", p.id}, {"user_id", p.user_id}, {"kind", p.kind},
                                     {"handled_by", p.handled_by}, {"requested_at", p.requested_at_s}};
                 j["completed_at"] = p.completed_at_s ? nlohmann::json(*p.completed_at_s) : nlohmann::json(nullptr);
                 list.push_back(j);
               }
               return HttpResponse::json(200, nlohmann::json{{"requests", list}}.dump());
             }));
  router.add("GET", "/v1/stats", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               const auto s = ctx.store.usage_stats(who);
               return HttpResponse::json(200, nlohmann::json{{"users", s.users},
                                                             {"workspaces", s.workspaces},
                                                             {"recordings", s.recordings},
                                                             {"completed_recordings", s.completed_recordings},
                                                             {"recorded_hours", s.recorded_hours},
                                                             {"jobs_queued", s.jobs_queued}}
                                                  .dump());
             }));
}

}  // namespace hush::server
