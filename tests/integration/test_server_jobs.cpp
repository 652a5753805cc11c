// hushd's recording jobs: durable across restarts and crashed workers, webhooks, polling, and
// the transcript formats, on both database backends.
#include <mutex>

#include "server/http_server.h"
#include "server/router.h"
#include "../policy/server_fixture.h"

namespace hush::test {
namespace {

class ServerJobs : public HushdFixture {
 protected:
  void SetUp() override {
    HushdFixture::SetUp();
    if (IsSkipped()) return;
    set_settings(R"({"recording_enabled": true})");
  }
  std::string status_of(const std::string& id) {
    return call("GET", "/v1/recordings/" + id, admin_key_).json()["status"].get<std::string>();
  }
};

TEST_P(ServerJobs, QueuedJobSurvivesARestart) {
  const std::string id = upload(admin_key_, "before restart").json()["id"];
  EXPECT_EQ(status_of(id), "queued");
  restart();  // as after kill -9: the job is a row in the database, not in memory
  EXPECT_EQ(hushd_->store().pending_jobs(), 1);
  EXPECT_EQ(hushd_->run_jobs_until_idle(), 1);
  EXPECT_EQ(status_of(id), "completed");
  const auto srt = call("GET", "/v1/recordings/" + id + "/srt", admin_key_);
  EXPECT_EQ(srt.status, 200);
  const auto vtt = call("GET", "/v1/recordings/" + id + "/vtt", admin_key_);
  EXPECT_EQ(vtt.status, 200);
  EXPECT_EQ(vtt.body.rfind("WEBVTT", 0), 0u) << vtt.body;
}

TEST_P(ServerJobs, JobOfACrashedWorkerIsRetriedAfterItsLease) {
  const std::string id = upload(admin_key_, "crash").json()["id"];
  const auto claimed = hushd_->store().claim_job("worker-that-died");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(hushd_->run_jobs_until_idle(), 0) << "the lease still holds";
  now_s_ += store::kJobLeaseS + 1;
  EXPECT_EQ(hushd_->run_jobs_until_idle(), 1);
  EXPECT_EQ(status_of(id), "completed");
  EXPECT_EQ(hushd_->store().pending_jobs(), 0);
}

TEST_P(ServerJobs, WebhookIsCalledWhenTheJobEnds) {
  std::mutex mutex;
  std::vector<std::string> bodies;
  server::Router router;
  router.add("POST", "/hook", [&](server::HttpRequest& req) {
    std::lock_guard lock(mutex);
    bodies.push_back(req.body);
    return server::HttpResponse::json(200, "{}");
  });
  server::ServerConfig config;
  config.port = 0;
  config.threads = 1;
  server::HttpServer hook(config, router);
  hook.start();
  const std::string url = "http://127.0.0.1:" + std::to_string(hook.port()) + "/hook";
  const auto r = call("POST", "/v1/recordings", admin_key_,
                      multipart({{"title", "hooked"}, {"consent", "true"}, {"webhook_url", url}}, test_wav()),
                      kMultipartType);
  ASSERT_EQ(r.status, 201) << r.body;
  hushd_->run_jobs_until_idle();
  hook.stop();
  ASSERT_EQ(bodies.size(), 1u);
  const auto body = nlohmann::json::parse(bodies[0]);
  EXPECT_EQ(body["id"], r.json()["id"]);
  EXPECT_EQ(body["status"], "completed");
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_,
                 multipart({{"title", "bad"}, {"consent", "true"}, {"webhook_url", "file:///etc/passwd"}}, test_wav()),
                 kMultipartType)
                .status,
            400);
}

TEST_P(ServerJobs, RecordingDeletedWhileQueuedIsNotProcessed) {
  const std::string id = upload(admin_key_, "gone").json()["id"];
  ASSERT_EQ(call("DELETE", "/v1/recordings/" + id, admin_key_).status, 200);
  hushd_->run_jobs_until_idle();
  EXPECT_EQ(status_of(id), "deleted");
  EXPECT_EQ(hushd_->store().pending_jobs(), 0);
}

TEST_P(ServerJobs, UploadThenCreateAndBadInput) {
  const auto up = call("POST", "/v1/uploads", admin_key_, test_wav(), "audio/wav");
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string url = up.json()["upload_url"];
  const auto created = call("POST", "/v1/recordings", admin_key_,
                            nlohmann::json{{"audio_url", url}, {"title", "two-step"}, {"consent", true}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  hushd_->run_jobs_until_idle();
  EXPECT_EQ(status_of(created.json()["id"]), "completed");
  // Clear errors for bad input; nothing is kept of any of them.
  EXPECT_EQ(call("POST", "/v1/uploads", admin_key_, "this is not audio", "audio/wav").status, 400);
  EXPECT_EQ(call("POST", "/v1/uploads", admin_key_, test_wav().substr(0, 30), "audio/wav").status, 400);
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_, R"({"audio_url": "hush-upload://../../etc/passwd", "consent": true})").status, 400);
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_, R"({"audio_url": 5})").status, 400);
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_, R"({"audio_url": "x", "colour": "red"})").status, 400);
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_, "{not json").status, 400);
  EXPECT_EQ(call("POST", "/v1/recordings", admin_key_, "--x\r\nbroken", "multipart/form-data; boundary=x").status, 400);
  EXPECT_EQ(call("GET", "/v1/recordings/rec_doesnotexist", admin_key_).status, 404);
  EXPECT_EQ(all_files(blob_root()).size(), 1u) << "only the accepted upload is stored";
}

TEST_P(ServerJobs, ListSearchesTitlesAndTranscripts) {
  // The web UI's search box: GET /v1/recordings?q= matches title words, case-insensitively,
  // with LIKE's wildcards taken literally.
  const std::string standup = upload(admin_key_, "Weekly Standup").json()["id"];
  const std::string review = upload(admin_key_, "Design review 100%").json()["id"];
  auto titles = [&](const std::string& q) {
    std::vector<std::string> ids;
    const auto reply = call("GET", "/v1/recordings?q=" + q, admin_key_);
    EXPECT_EQ(reply.status, 200) << q << ": " << reply.body;
    const auto json = reply.json();  // kept: a range-for over a temporary's member would dangle
    for (const auto& r : json["recordings"]) ids.push_back(r["id"]);
    return ids;
  };
  EXPECT_EQ(titles("standup"), std::vector<std::string>{standup});
  EXPECT_EQ(titles("DESIGN%20REVIEW"), std::vector<std::string>{review});
  EXPECT_EQ(titles("100%25"), std::vector<std::string>{review});
  EXPECT_TRUE(titles("%25%25%25").empty()) << "'%' is matched literally";
  EXPECT_EQ(titles("").size(), 2u);
  EXPECT_TRUE(titles("retrospective").empty());
}

HUSHD_BACKENDS(ServerJobs);

}  // namespace
}  // namespace hush::test
