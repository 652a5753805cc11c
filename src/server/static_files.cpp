#include "server/static_files.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/router.h"
#include "server/url.h"
#include "util/error.h"

namespace hush::server {

// No inline script or style anywhere in web/ (the UI sets styles through CSSOM, which CSP
// allows); audio is played from blob: URLs made of fetched bytes; the live page's WebSocket
// goes back to hushd ('self' covers ws:/wss: to the same host in CSP level 3).
const char* const kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

namespace {

// The UI's files are small; anything bigger is not something the UI should serve.
constexpr std::uintmax_t kMaxFileBytes = 8u * 1024 * 1024;

std::string content_type_of(const std::string& name) {
  static constexpr std::array<std::pair<const char*, const char*>, 13> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".wav", "audio/wav"},
      {".webmanifest", "application/manifest+json"},
  }};
  const auto dot = name.rfind('.');
  if (dot != std::string::npos) {
    const std::string ext = ascii_lower(std::string_view(name).substr(dot));
    for (const auto& [suffix, type] : kTypes)
      if (ext == suffix) return type;
  }
  return "application/octet-stream";
}

void add_security_headers(HttpResponse& response) {
  response.headers.emplace_back("Content-Security-Policy", kWebContentSecurityPolicy);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  response.headers.emplace_back("X-Frame-Options", "DENY");
}

HttpResponse not_found(const std::string& path) {
  HttpResponse response = HttpResponse::error(404, "no such file: " + path.substr(0, 200), "not_found_error");
  add_security_headers(response);
  return response;
}

// A decoded path segment that may name a file: not empty, not "." or "..", not hidden
// (.git, .env), and no separators or NUL smuggled in through percent-encoding.
bool safe_segment(const std::string& segment) {
  if (segment.empty() || segment.front() == '.') return false;
  return segment.find_first_of(std::string_view("/\\\0", 3)) == std::string::npos;
}

std::optional<std::vector<std::string>> decoded_segments(const HttpRequest& request) {
  auto parsed = parse_target(request.target.empty() ? (request.path.empty() ? "/" : request.path) : request.target);
  if (!parsed) return std::nullopt;
  std::vector<std::string> segments;
  for (const auto& raw : parsed->raw_segments) {
    auto decoded = percent_decode(raw, false);
    if (!decoded) return std::nullopt;
    segments.push_back(std::move(*decoded));
  }
  if (segments.size() == 1 && segments[0].empty()) segments.clear();  // "/"
  return segments;
}

// The canonical path of `candidate` when it is a regular file inside `root` (after resolving
// symlinks), else nullopt.
std::optional<std::filesystem::path> file_inside(const std::filesystem::path& root,
                                                 const std::filesystem::path& candidate) {
  std::error_code ec;
  const auto real = std::filesystem::canonical(candidate, ec);
  if (ec || !std::filesystem::is_regular_file(real, ec) || ec) return std::nullopt;
  const auto rel = real.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return real;
}

HttpResponse file_response(const std::filesystem::path& file, const HttpRequest& request) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || static_cast<std::uintmax_t>(st.st_size) > kMaxFileBytes) {
    return not_found(request.path);
  }
  // A weak validator from size and modification time: enough to revalidate unchanged files.
  char etag[64];
  std::snprintf(etag, sizeof etag, "W/\"%llx-%llx\"", static_cast<unsigned long long>(st.st_size),
                static_cast<unsigned long long>(st.st_mtim.tv_sec) * 1000000000ull +
                    static_cast<unsigned long long>(st.st_mtim.tv_nsec));
  HttpResponse response;
  response.content_type = content_type_of(file.filename().string());
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("ETag", etag);
  add_security_headers(response);
  if (request.header("if-none-match") == etag) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return not_found(request.path);
  response.status = 200;
  response.body = std::move(bytes).str();
  return response;
}

}  // namespace

HttpResponse serve_static(const std::string& web_root, const HttpRequest& request) {
  const auto segments = decoded_segments(request);
  if (!segments) return HttpResponse::error(400, "malformed percent-encoding in the request target");
  std::error_code ec;
  const auto root = std::filesystem::canonical(web_root, ec);
  if (ec) return HttpResponse::error(500, "the web UI's files are missing", "server_error");
  for (const auto& segment : *segments)
    if (!safe_segment(segment)) return not_found(request.path);

  std::filesystem::path candidate = root;
  for (const auto& segment : *segments) candidate /= segment;
  if (!segments->empty()) {
    if (auto file = file_inside(root, candidate)) return file_response(*file, request);
    // A name with an extension is an asset that does not exist; without one it is a page.
    if (segments->back().find('.') != std::string::npos) return not_found(request.path);
  }
  if (auto index = file_inside(root, root / "index.html")) return file_response(*index, request);
  return not_found(request.path);
}

void add_static_routes(Router& router, const std::string& web_root) {
  std::error_code ec;
  if (!std::filesystem::is_directory(web_root, ec) || !std::filesystem::is_regular_file(web_root + "/index.html", ec)) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "--web-root " + web_root + " is not a directory with an index.html");
  }
  router.set_get_fallback([web_root](HttpRequest& request) {
    if (request.path == "/v1" || request.path.starts_with("/v1/")) {
      return HttpResponse::error(404, "no such endpoint: " + request.path, "not_found_error");  // not a file
    }
    return serve_static(web_root, request);
  });
}

}  // namespace hush::server
