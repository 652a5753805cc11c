// What every hushd API handler needs: the store, the blob store and a few settings, plus the
// glue every handler shares: authenticate the caller, map the store's refusals to HTTP codes,
// read and write JSON bodies.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "server/http_types.h"
#include "store/blob_store.h"
#include "store/server_store.h"

namespace hush::server {

class ComputePool;
class Router;

struct ApiContext {
  store::ServerStore& store;
  store::BlobStore& blobs;
  std::string recognizer = "pocketsphinx";
  // The external summarizer (a subprocessor, P13); "" when none is configured.
  std::string summarizer_url;
  // Wakes the job workers after a job was enqueued (they also poll).
  std::function<void()> jobs_added;
  // Where live streams decode (compute_pool.h); nullptr: on the I/O thread that read them.
  ComputePool* compute = nullptr;
  // POST /v1/audio/transcriptions running at once; 0 = one per core (api_transcriptions.cpp).
  int max_file_transcriptions = 0;
  // How long an upload_url stays usable (HushdConfig::upload_ttl).
  std::int64_t upload_ttl_s = 24 * 3600;
};

// 401: no credentials, or unknown / expired ones.
class Unauthorized : public Error {
 public:
  explicit Unauthorized(const std::string& why) : Error(HUSH_ERR_INVALID_ARGUMENT, why) {}
};

using AuthedHandler = std::function<HttpResponse(HttpRequest& request, const store::Principal& who)>;

// Wraps a handler: authenticates "Authorization: Bearer <secret>" or "Token <secret>" (OpenAI
// and Deepgram clients send one or the other), then maps NotFound -> 404, Forbidden -> 403,
// Conflict -> 409, Unauthorized -> 401 and hush::Error -> 400/500, all as JSON errors.
HttpHandlerFn authed(ApiContext& ctx, AuthedHandler handler);
// The same mapping for handlers that need no caller (login).
HttpHandlerFn public_handler(std::function<HttpResponse(HttpRequest& request)> handler);
store::Principal authenticate_request(ApiContext& ctx, const HttpRequest& request);

// The request body as a JSON object; 400 with a clear message for anything else.
nlohmann::json json_body(const HttpRequest& request);
// The workspace a request acts in: the API key's, else ?workspace_id=, else the caller's only
// workspace; 400 when a signed-in user with several workspaces does not say which.
std::string request_workspace(ApiContext& ctx, const HttpRequest& request, const store::Principal& who);

void add_account_routes(Router& router, ApiContext& ctx);
void add_workspace_routes(Router& router, ApiContext& ctx);
void add_recording_routes(Router& router, ApiContext& ctx);
void add_transcription_routes(Router& router, ApiContext& ctx);
void add_listen_route(Router& router, ApiContext& ctx);
void add_privacy_routes(Router& router, ApiContext& ctx);

// Every route above.
void add_api_routes(Router& router, ApiContext& ctx);

}  // namespace hush::server
