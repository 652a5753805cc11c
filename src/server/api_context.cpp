#include "server/api_context.h"

#include <nlohmann/json.hpp>

#include "server/router.h"

namespace hush::server {

namespace {

template <typename F>
HttpResponse mapped(F&& f) {
  try {
    return f();
  } catch (const Unauthorized& e) {
    HttpResponse r = HttpResponse::error(401, e.what(), "authentication_error");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  } catch (const store::NotFound& e) {
    return HttpResponse::error(404, e.what(), "not_found");
  } catch (const store::Forbidden& e) {
    return HttpResponse::error(403, e.what(), "permission_error");
  } catch (const store::Conflict& e) {
    return HttpResponse::error(409, e.what(), "conflict");
  } catch (...) {
    return response_for_current_exception("api");
  }
}

}  // namespace

store::Principal authenticate_request(ApiContext& ctx, const HttpRequest& request) {
  const std::string header = request.header("authorization");
  if (header.empty()) throw Unauthorized("missing Authorization header (Bearer <key> or Token <key>)");
  std::string secret;
  for (const char* scheme : {"Bearer ", "Token ", "bearer ", "token "}) {
    if (header.starts_with(scheme)) secret = header.substr(std::string(scheme).size());
  }
  if (secret.empty()) throw Unauthorized("the Authorization header must be 'Bearer <key>' or 'Token <key>'");
  auto who = ctx.store.authenticate(secret);
  if (!who) throw Unauthorized("invalid or expired credentials");
  return *who;
}

HttpHandlerFn authed(ApiContext& ctx, AuthedHandler handler) {
  return [&ctx, handler = std::move(handler)](HttpRequest& request) {
    return mapped([&] {
      const store::Principal who = authenticate_request(ctx, request);
      return handler(request, who);
    });
  };
}

HttpHandlerFn public_handler(std::function<HttpResponse(HttpRequest& request)> handler) {
  return [handler = std::move(handler)](HttpRequest& request) { return mapped([&] { return handler(request); }); };
}

nlohmann::json json_body(const HttpRequest& request) {
  if (request.body.empty()) return nlohmann::json::object();
  nlohmann::json json = nlohmann::json::parse(request.body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "the request body must be a JSON object");
  }
  return json;
}

std::string request_workspace(ApiContext& ctx, const HttpRequest& request, const store::Principal& who) {
  const auto it = request.query.find("workspace_id");
  if (!who.workspace_id.empty()) {
    // An API key acts in its own workspace only; naming another one is refused, not ignored.
    if (it != request.query.end() && it->second != who.workspace_id) throw store::NotFound("workspace");
    return who.workspace_id;
  }
  if (it != request.query.end()) return it->second;
  const auto workspaces = ctx.store.list_workspaces(who);
  if (workspaces.size() == 1) return workspaces[0].id;
  if (workspaces.empty()) throw store::NotFound("workspace");
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "you belong to several workspaces: add ?workspace_id=");
}

void add_api_routes(Router& router, ApiContext& ctx) {
  add_account_routes(router, ctx);
  add_workspace_routes(router, ctx);
  add_recording_routes(router, ctx);
  add_transcription_routes(router, ctx);
  add_listen_route(router, ctx);
  add_privacy_routes(router, ctx);
}

}  // namespace hush::server
