// The web UI's file server: content types, the single-page-app fallback, security headers, and
// no way out of the web root (.., encoded separators, hidden files, symlinks, directories).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "server/router.h"
#include "server/static_files.h"
#include "util/error.h"

namespace hush::server {
namespace {

class StaticFiles : public ::testing::Test {
 protected:
  using HeaderListForTest = std::vector<std::pair<std::string, std::string>>;
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() / ("hush-static-" + std::to_string(::getpid()));
    std::filesystem::remove_all(base_);
    root_ = base_ / "web";
    std::filesystem::create_directories(root_ / "js" / "pages");
    write(root_ / "index.html", "<!doctype html><title>hush</title>");
    write(root_ / "js" / "app.js", "export const x = 1;");
    write(root_ / "js" / "pages" / "login.js", "export const y = 2;");
    write(root_ / "app.css", "body{}");
    write(root_ / ".env", "SECRET=1");
    write(base_ / "secret.txt", "outside");
    std::filesystem::create_symlink(base_ / "secret.txt", root_ / "link.txt");
    router_.add("GET", "/v1/recordings", [](HttpRequest&) { return HttpResponse::json(200, "{\"api\":true}"); });
    router_.add_websocket("/v1/listen", [](const HttpRequest&, std::shared_ptr<WebSocketSender>, HttpResponse&) {
      return std::unique_ptr<WebSocketHandler>();
    });
    add_static_routes(router_, root_.string());
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  static void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

  HttpResponse get(const std::string& target, HeaderListForTest headers = {}) {
    HttpRequest request;
    request.method = "GET";
    request.target = target;
    request.path = target.substr(0, target.find('?'));
    for (auto& h : headers) request.headers.push_back(h);
    return router_.dispatch(request);
  }
  static std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers)
      if (n == name) return v;
    return "";
  }

  std::filesystem::path base_, root_;
  Router router_;
};

TEST_F(StaticFiles, ServesFilesWithTheirTypesAndSecurityHeaders) {
  const auto index = get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("<title>hush"), std::string::npos);
  const std::string csp = header(index, "Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(header(index, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");

  const auto js = get("/js/pages/login.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "export const y = 2;");
  EXPECT_EQ(get("/app.css").content_type, "text/css; charset=utf-8");
}

TEST_F(StaticFiles, RevalidationGets304) {
  const auto first = get("/js/app.js");
  const std::string etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  const auto again = get("/js/app.js", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticFiles, PagesFallBackToIndexAndMissingAssetsAre404) {
  for (const char* page : {"/recordings", "/recordings/rec_123", "/settings?tab=members"}) {
    const auto r = get(page);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_NE(r.body.find("<title>hush"), std::string::npos) << page;
  }
  EXPECT_EQ(get("/js/missing.js").status, 404);
  EXPECT_EQ(get("/favicon.ico").status, 404);
}

TEST_F(StaticFiles, NothingOutsideTheRootNorHiddenNorDirectories) {
  for (const char* evil : {"/../secret.txt", "/js/../../secret.txt", "/%2e%2e/secret.txt", "/js/%2e%2e%2f%2e%2e%2fsecret.txt",
                           "/..%2fsecret.txt", "/.env", "/js/.%2e/.env", "/link.txt", "/js%00.js", "/js/pages.x"}) {
    const auto r = get(evil);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << evil << " -> " << r.status;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << evil;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << evil;
  }
  // A directory is not listed: without an extension it is a page (index.html), never a listing.
  const auto dir = get("/js");
  EXPECT_EQ(dir.body.find("app.js"), std::string::npos);
}

TEST_F(StaticFiles, ApiPathsKeepTheirAnswers) {
  EXPECT_EQ(get("/v1/recordings").body, "{\"api\":true}");
  EXPECT_EQ(get("/v1/nothing").status, 404);
  EXPECT_EQ(get("/v1/nothing").content_type, "application/json");
  EXPECT_EQ(get("/v1/listen").status, 426);
  // The UI only answers GET: other methods keep the router's 404 / 405.
  HttpRequest post;
  post.method = "POST";
  post.target = post.path = "/some/page";
  EXPECT_EQ(router_.dispatch(post).status, 404);
  post.target = post.path = "/v1/recordings";
  EXPECT_EQ(router_.dispatch(post).status, 405);
  // Deeper than any fixed pattern would reach: still a page.
  EXPECT_EQ(get("/a/b/c/d/e/f/g/h/i/j").status, 200);
}

TEST_F(StaticFiles, AWebRootWithoutIndexIsRefused) {
  Router other;
  EXPECT_THROW(add_static_routes(other, (root_ / "js").string()), Error);
  EXPECT_THROW(add_static_routes(other, (base_ / "nope").string()), Error);
}

}  // namespace
}  // namespace hush::server
