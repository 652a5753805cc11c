// hushd's web UI: the files under a web root (web/ in the source tree) served as they are —
// no build step, no templating. Every GET path that is not an API route comes here:
//   - a file under the root (no "..", no hidden names, symlinks must stay inside the root)
//     is served with its content type, an ETag and Cache-Control: no-cache (the names carry no
//     version hash, so the browser revalidates and gets 304 when nothing changed);
//   - a path whose last segment has no extension is a page of the single-page app: index.html;
//   - anything else (a missing asset, a directory) is 404: there is no directory listing.
// Every response carries a strict Content-Security-Policy (scripts only from hushd itself, no
// inline script or style), X-Content-Type-Options: nosniff and frame-ancestors 'none'.
// Paths under /v1/ are never files: they answer like the router does for an unknown API path.
#pragma once

#include <string>

#include "server/http_types.h"

namespace hush::server {

class Router;

// The security headers every UI response carries (also used by tests).
extern const char* const kWebContentSecurityPolicy;

// The response for GET `request` from the files under `web_root` (an existing directory).
// `request.path_params` may be empty: the path is taken from request.target / request.path.
HttpResponse serve_static(const std::string& web_root, const HttpRequest& request);

// Makes serve_static the router's GET fallback: paths no API route matches. Unknown /v1/...
// paths stay 404 JSON errors, other methods on unknown paths too.
// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) when web_root is not a readable directory
// with an index.html.
void add_static_routes(Router& router, const std::string& web_root);

}  // namespace hush::server
