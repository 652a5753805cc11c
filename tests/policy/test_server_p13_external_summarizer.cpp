// P13: third-party processing is opt-in. An external summarization endpoint, even when the
// server has one configured, receives nothing until a workspace admin turns it on, and it is
// listed as a subprocessor.
#include <atomic>

#include "server/http_server.h"
#include "server/router.h"
#include "server_fixture.h"

namespace hush::test {
namespace {

const std::string kSpeech = std::string(HUSH_DATA_DIR) + "/speech/librispeech-mini/6272/70171/6272-70171-0021.flac";

class P13ExternalSummarizer : public HushdFixture {
 protected:
  // A stand-in summarizer: counts the requests that reach it and answers like an
  // OpenAI-compatible chat-completions server.
  void SetUp() override {
    router_.add("POST", "/v1/chat/completions", [this](server::HttpRequest&) {
      ++requests_;
      return server::HttpResponse::json(200, R"({"choices":[{"message":{"content":"External summary line."}}]})");
    });
    server::ServerConfig config;
    config.port = 0;
    config.threads = 1;
    summarizer_ = std::make_unique<server::HttpServer>(config, router_);
    summarizer_->start();
    summarizer_url_ = "http://127.0.0.1:" + std::to_string(summarizer_->port()) + "/v1/chat/completions";
    HushdFixture::SetUp();
  }
  void TearDown() override {
    HushdFixture::TearDown();
    summarizer_->stop();
  }
  void configure(server::HushdConfig& config) override { config.external_summarizer_url = summarizer_url_; }

  server::Router router_;
  std::unique_ptr<server::HttpServer> summarizer_;
  std::string summarizer_url_;
  std::atomic<int> requests_{0};
};

TEST_P(P13ExternalSummarizer, NothingLeavesUntilAnAdminTurnsItOn) {
  if (!std::filesystem::exists(kSpeech)) GTEST_SKIP() << "no speech data at " << kSpeech;
  const std::string speech = read_file_bytes(kSpeech);
  auto upload_speech = [&](const std::string& title) {
    const auto r = call("POST", "/v1/recordings", admin_key_,
                        multipart({{"title", title}, {"consent", "true"}}, speech), kMultipartType);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::string>();
  };
  set_settings(R"({"recording_enabled": true})");
  const auto ws = call("GET", "/v1/workspaces/" + workspace_, admin_key_).json();
  ASSERT_EQ(ws["subprocessors"].size(), 1u) << "the configured summarizer is listed";
  EXPECT_EQ(ws["subprocessors"][0]["enabled"], false) << "and off by default";

  const std::string off_id = upload_speech("off");
  run_jobs();
  const auto off = call("GET", "/v1/recordings/" + off_id, admin_key_).json();
  ASSERT_EQ(off["status"], "completed") << off.dump();
  EXPECT_FALSE(off["transcript"]["segments"].empty()) << "there was text that could have been sent";
  EXPECT_EQ(requests_.load(), 0) << "the transcript left the machine while the workspace had not opted in";

  // A member cannot turn it on; an admin can, and then the summarizer is used.
  const std::string member = member_key("mo@example.com", store::Role::member);
  EXPECT_EQ(call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", member, R"({"external_summarizer": true})").status, 403);
  set_settings(R"({"external_summarizer": true})");
  const std::string on_id = upload_speech("on");
  run_jobs();
  EXPECT_GE(requests_.load(), 1);
  const auto on = call("GET", "/v1/recordings/" + on_id, admin_key_).json();
  EXPECT_NE(on["notes"].dump().find("External summary line."), std::string::npos) << on["notes"].dump();
}

HUSHD_BACKENDS(P13ExternalSummarizer);

}  // namespace
}  // namespace hush::test
