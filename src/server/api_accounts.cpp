// Sign-in, the caller's own account and API keys:
//   POST /v1/auth/login {email, password} -> {token, expires_in}    POST /v1/auth/logout
//   GET /v1/me    PATCH /v1/me {name}                               (P9 access, rectification)
//   GET /v1/keys  POST /v1/keys {workspace_id, name, expires_at}    DELETE /v1/keys/{id}
#include <nlohmann/json.hpp>

#include "server/api_context.h"
#include "server/api_json.h"
#include "server/router.h"

namespace hush::server {

namespace {

nlohmann::json user_json(const store::User& u) {
  return {{"id", u.id}, {"email", u.email}, {"name", u.name}, {"server_admin", u.server_admin},
          {"restricted", u.restricted}, {"created_at", u.created_at_s}};
}

nlohmann::json key_json(const store::ApiKeyInfo& k) {
  nlohmann::json j = {{"id", k.id}, {"workspace_id", k.workspace_id}, {"name", k.name}, {"created_at", k.created_at_s}};
  j["expires_at"] = k.expires_at_s ? nlohmann::json(*k.expires_at_s) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

void add_account_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/v1/auth/login", public_handler([&ctx](HttpRequest& req) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"email", "password"});
               const auto token = ctx.store.login(required_string(body, "email"), required_string(body, "password"));
               if (!token) throw Unauthorized("wrong e-mail address or password");
               return HttpResponse::json(
                   200, nlohmann::json{{"token", *token}, {"expires_in", store::kSessionLifetimeS}}.dump());
             }));
  router.add("POST", "/v1/auth/logout", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               if (!who.api_key_id.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "API keys are revoked, not logged out");
               std::string header = req.header("authorization");
               ctx.store.logout(header.substr(header.find(' ') + 1));
               return HttpResponse::json(200, "{}");
             }));
  router.add("GET", "/v1/me", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               nlohmann::json j = user_json(who.user);
               j["consents"] = ctx.store.consents(who.user.id);
               return HttpResponse::json(200, j.dump());
             }));
  router.add("PATCH", "/v1/me", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"name"});
               if (auto name = json_string(body, "name")) ctx.store.rename_user(who, *name);
               return HttpResponse::json(200, user_json(ctx.store.get_user(who.user.id)).dump());
             }));
  router.add("GET", "/v1/keys", authed(ctx, [&ctx](HttpRequest&, const store::Principal& who) {
               auto list = nlohmann::json::array();
               for (const auto& k : ctx.store.list_api_keys(who)) list.push_back(key_json(k));
               return HttpResponse::json(200, nlohmann::json{{"keys", list}}.dump());
             }));
  router.add("POST", "/v1/keys", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               const auto body = json_body(req);
               reject_unknown_fields(body, {"workspace_id", "name", "expires_at"});
               const std::string workspace = json_string(body, "workspace_id").value_or(request_workspace(ctx, req, who));
               auto [info, key] = ctx.store.create_api_key(who, workspace, json_string(body, "name").value_or("api key"),
                                                           json_int(body, "expires_at"));
               nlohmann::json j = key_json(info);
               j["key"] = key;  // shown once: only its hash is stored
               return HttpResponse::json(201, j.dump());
             }));
  router.add("DELETE", "/v1/keys/{id}", authed(ctx, [&ctx](HttpRequest& req, const store::Principal& who) {
               ctx.store.revoke_api_key(who, req.path_params.at("id"));
               return HttpResponse::json(200, "{}");
             }));
}

}  // namespace hush::server
