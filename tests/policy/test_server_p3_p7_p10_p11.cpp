// P3: with notes off no transcript or notes are stored.  P7: statistics are counts only.
// P10: voice profiles need consent; withdrawal deletes them.  P11: feedback reaches the
// training export only with permission.
#include "server_fixture.h"

namespace hush::test {
namespace {

class ServerPrivacy : public HushdFixture {};

TEST_P(ServerPrivacy, P3NotesOffStoresNoTranscriptOrNotes) {
  set_settings(R"({"recording_enabled": true, "notes_enabled": false})");
  const std::string id = upload(admin_key_, "quiet", 4).json()["id"];
  run_jobs();
  const auto rec = call("GET", "/v1/recordings/" + id, admin_key_).json();
  EXPECT_EQ(rec["status"], "completed");
  EXPECT_FALSE(rec.contains("transcript"));
  EXPECT_FALSE(rec.contains("notes"));
  EXPECT_EQ(call("GET", "/v1/recordings/" + id + "/srt", admin_key_).status, 409);
  // Positive control: with notes on, the same audio gets a transcript.
  set_settings(R"({"notes_enabled": true})");
  const std::string id2 = upload(admin_key_, "loud", 4).json()["id"];
  run_jobs();
  EXPECT_TRUE(call("GET", "/v1/recordings/" + id2, admin_key_).json().contains("transcript"));
}

TEST_P(ServerPrivacy, P7StatisticsAreAnonymous) {
  set_settings(R"({"recording_enabled": true})");
  const std::string title = unique_marker("p7title");
  upload(admin_key_, title);
  run_jobs();
  const auto stats = call("GET", "/v1/stats", admin_key_);
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.json()["recordings"], 1);
  for (const std::string& s : {admin_.email, admin_.name, admin_.id, title, workspace_, std::string("Team")}) {
    EXPECT_EQ(stats.body.find(s), std::string::npos) << s;
  }
}

TEST_P(ServerPrivacy, P10VoiceProfileNeedsConsent) {
  const std::string body = R"({"embedding": [0.25, -0.5, 0.125]})";
  EXPECT_EQ(call("PUT", "/v1/me/voice-profile", admin_key_, body).status, 403);
  EXPECT_FALSE(hushd_->store().voice_profile(admin_.id));
  ASSERT_EQ(call("PUT", "/v1/me/consents/speaker_identification", admin_key_, R"({"granted": true})").status, 200);
  ASSERT_EQ(call("PUT", "/v1/me/voice-profile", admin_key_, body).status, 200);
  ASSERT_TRUE(hushd_->store().voice_profile(admin_.id));
  ASSERT_EQ(call("PUT", "/v1/me/consents/speaker_identification", admin_key_, R"({"granted": false})").status, 200);
  EXPECT_FALSE(hushd_->store().voice_profile(admin_.id)) << "withdrawal deletes the profile";
}

TEST_P(ServerPrivacy, P11FeedbackForTrainingOnlyWithPermission) {
  set_settings(R"({"recording_enabled": true})");
  const std::string id = upload(admin_key_, "rated").json()["id"];
  run_jobs();
  const std::string plain = unique_marker("p11plain"), permitted = unique_marker("p11ok");
  ASSERT_EQ(call("POST", "/v1/recordings/" + id + "/feedback", admin_key_,
                 R"({"rating": 4, "comment": ")" + plain + R"("})").status, 201);
  EXPECT_EQ(call("POST", "/v1/recordings/" + id + "/feedback", admin_key_,
                 R"({"rating": 5, "comment": "x", "training_permission": true})").status, 403)
      << "permission needs the training_feedback consent first";
  ASSERT_EQ(call("PUT", "/v1/me/consents/training_feedback", admin_key_, R"({"granted": true})").status, 200);
  ASSERT_EQ(call("POST", "/v1/recordings/" + id + "/feedback", admin_key_,
                 R"({"rating": 5, "comment": ")" + permitted + R"(", "training_permission": true})").status, 201);
  auto training = call("GET", "/v1/training/feedback", admin_key_).body;
  EXPECT_EQ(training.find(plain), std::string::npos);
  EXPECT_NE(training.find(permitted), std::string::npos);
  ASSERT_EQ(call("PUT", "/v1/me/consents/training_feedback", admin_key_, R"({"granted": false})").status, 200);
  training = call("GET", "/v1/training/feedback", admin_key_).body;
  EXPECT_EQ(training.find(permitted), std::string::npos) << "withdrawn permission removes it from training data";
}

HUSHD_BACKENDS(ServerPrivacy);

}  // namespace
}  // namespace hush::test
