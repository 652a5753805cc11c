// P9: data-subject rights end to end: access and portability (a ZIP with CSV and JSON plus the
// recordings), rectification, restriction, erasure; a member's request handled by the
// workspace admin is logged with when it was completed. P14: those actions are in the audit log.
#include "server_fixture.h"

namespace hush::test {
namespace {

class P9Rights : public HushdFixture {};

TEST_P(P9Rights, ExportRectifyRestrictErase) {
  set_settings(R"({"recording_enabled": true})");
  const std::string key = member_key("mia@example.com", store::Role::member);
  const std::string marker = unique_marker("p9title");
  const auto created = upload(key, marker, 5);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  run_jobs();

  // Access / portability: a ZIP holding CSV and JSON and the audio.
  const auto zip = call("GET", "/v1/me/export", key);
  ASSERT_EQ(zip.status, 200) << zip.body;
  EXPECT_EQ(zip.body.substr(0, 2), "PK");
  for (const char* name : {"account.json", "account.csv", "recordings.json", "recordings.csv", "consents.csv"}) {
    EXPECT_NE(zip.body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(zip.body.find("recordings/" + id), std::string::npos) << "the recording's audio is in the export";

  // Rectification.
  ASSERT_EQ(call("PATCH", "/v1/me", key, R"({"name":"Mia Corrected"})").status, 200);
  EXPECT_EQ(call("GET", "/v1/me", key).json()["name"], "Mia Corrected");
  EXPECT_EQ(call("PATCH", "/v1/me", key, R"({"nmae":"typo"})").status, 400);

  // Restriction: no new processing while restricted.
  ASSERT_EQ(call("POST", "/v1/me/restrict", key, R"({"restricted": true})").status, 200);
  EXPECT_EQ(upload(key, "while restricted", 6).status, 403);
  EXPECT_EQ(call("POST", "/v1/audio/transcriptions", key, multipart({}, test_wav()), kMultipartType).status, 403);
  ASSERT_EQ(call("POST", "/v1/me/restrict", key, R"({"restricted": false})").status, 200);

  // Erasure, requested through the admin: account and recordings go; the request is logged.
  const auto mia = hushd_->store().find_user_by_email("mia@example.com");
  ASSERT_TRUE(mia);
  const auto erase = call("POST", "/v1/workspaces/" + workspace_ + "/members/" + mia->id + "/erase", admin_key_);
  ASSERT_EQ(erase.status, 200) << erase.body;
  EXPECT_EQ(call("GET", "/v1/me", key).status, 401);
  EXPECT_FALSE(hushd_->store().find_user_by_email("mia@example.com"));
  EXPECT_EQ(call("GET", "/v1/recordings/" + id, admin_key_).json()["status"], "deleted");
  const auto requests = call("GET", "/v1/workspaces/" + workspace_ + "/privacy-requests", admin_key_).json()["requests"];
  bool erasure_logged = false;
  for (const auto& r : requests) {
    if (r["kind"] == "erasure") erasure_logged = !r["completed_at"].is_null() && r["handled_by"] == admin_.id;
  }
  EXPECT_TRUE(erasure_logged) << requests.dump();
  shutdown();
  EXPECT_FALSE(stored_anywhere(marker));
  EXPECT_FALSE(stored_anywhere("mia@example.com"));
}

TEST_P(P9Rights, AuditLogRecordsViewsExportsSharesDeletes) {
  set_settings(R"({"recording_enabled": true})");
  make_user("sam@example.com", "Sam Shared");
  const std::string id = upload(admin_key_, "audited").json()["id"];
  run_jobs();
  call("GET", "/v1/recordings/" + id, admin_key_);
  call("POST", "/v1/recordings/" + id + "/shares", admin_key_, R"({"email":"sam@example.com"})");
  call("GET", "/v1/recordings/" + id + "/audio", admin_key_);
  call("DELETE", "/v1/recordings/" + id, admin_key_);
  const auto entries = call("GET", "/v1/workspaces/" + workspace_ + "/audit", admin_key_).json()["entries"];
  std::set<std::string> actions;
  for (const auto& e : entries) {
    if (e["target_id"] == id && e["actor_id"] == admin_.id) actions.insert(e["action"].get<std::string>());
  }
  for (const char* a : {"recording.create", "recording.view", "recording.share", "recording.download", "recording.delete"}) {
    EXPECT_TRUE(actions.count(a)) << a << " missing from " << entries.dump();
  }
  EXPECT_EQ(entries.dump().find("127.0.0.1"), std::string::npos);
}

HUSHD_BACKENDS(P9Rights);

}  // namespace
}  // namespace hush::test
