// P5: deletion on request is complete (database, WAL, free pages, blob folder).
// P6: retention limits are enforced with a fake clock; a legal hold pauses deletion; uploads
// that never became a recording are deleted after their expiry.
#include <fcntl.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>

#include "server_fixture.h"

namespace hush::test {
namespace {

class P5P6Deletion : public HushdFixture {};

TEST_P(P5P6Deletion, DeletedRecordingLeavesNothingButATombstone) {
  set_settings(R"({"recording_enabled": true})");
  const std::string marker = unique_marker("p5title");
  const auto created = upload(admin_key_, marker, 11);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  run_jobs();
  ASSERT_TRUE(stored_anywhere(marker)) << "the marker must be findable before deletion";
  const auto del = call("DELETE", "/v1/recordings/" + id, admin_key_);
  ASSERT_EQ(del.status, 200) << del.body;
  EXPECT_EQ(del.json()["status"], "deleted");
  EXPECT_EQ(call("GET", "/v1/recordings/" + id, admin_key_).json()["status"], "deleted");
  EXPECT_EQ(call("GET", "/v1/recordings/" + id + "/audio", admin_key_).status, 404);
  shutdown();
  EXPECT_FALSE(stored_anywhere(marker));
  EXPECT_TRUE(all_files(blob_root()).empty());
}

TEST_P(P5P6Deletion, RetentionSweepDeletesExpiredUnlessHeld) {
  set_settings(R"({"recording_enabled": true, "retention_days": 7})");
  const std::string old_marker = unique_marker("p6old"), held_marker = unique_marker("p6held");
  const std::string old_id = upload(admin_key_, old_marker, 1).json()["id"];
  const std::string held_id = upload(admin_key_, held_marker, 2).json()["id"];
  run_jobs();
  ASSERT_EQ(call("PUT", "/v1/recordings/" + held_id + "/hold", admin_key_, R"({"hold": true})").status, 200);
  now_s_ += 6 * 86400;
  EXPECT_EQ(hushd_->sweep_now(), 0u) << "nothing is older than 7 days yet";
  const std::string fresh_id = upload(admin_key_, "fresh", 3).json()["id"];
  now_s_ += 2 * 86400;
  EXPECT_EQ(hushd_->sweep_now(), 1u);
  EXPECT_EQ(call("GET", "/v1/recordings/" + old_id, admin_key_).json()["status"], "deleted");
  EXPECT_NE(call("GET", "/v1/recordings/" + held_id, admin_key_).json()["status"], "deleted");
  EXPECT_NE(call("GET", "/v1/recordings/" + fresh_id, admin_key_).json()["status"], "deleted");
  // A workspace-wide legal hold pauses everything; lifting it lets the sweep go on.
  set_settings(R"({"legal_hold": true})");
  ASSERT_EQ(call("PUT", "/v1/recordings/" + held_id + "/hold", admin_key_, R"({"hold": false})").status, 200);
  EXPECT_EQ(hushd_->sweep_now(), 0u);
  set_settings(R"({"legal_hold": false})");
  EXPECT_EQ(hushd_->sweep_now(), 1u);
  shutdown();
  EXPECT_FALSE(stored_anywhere(old_marker));
  EXPECT_FALSE(stored_anywhere(held_marker));
}

// Sets a blob file's modification time `hours` into the past (file ages use the real clock).
void age_blob(const std::string& path, int hours) {
  const std::time_t at = std::time(nullptr) - hours * 3600;
  const struct timespec times[2] = {{at, 0}, {at, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

TEST_P(P5P6Deletion, UnusedUploadsExpireAndUsedOnesStay) {
  set_settings(R"({"recording_enabled": true})");
  auto upload_url = [&](std::uint32_t seed) {
    const auto r = call("POST", "/v1/uploads", admin_key_, test_wav(seed), "audio/wav");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["upload_url"].get<std::string>();
  };
  const std::string used = upload_url(1), unused = upload_url(2), late = upload_url(3), fresh = upload_url(4);
  const auto path_of = [&](const std::string& url) { return blob_root() + "/" + url.substr(url.find("://") + 3); };
  const auto create = [&](const std::string& url) {
    return call("POST", "/v1/recordings", admin_key_,
                nlohmann::json{{"audio_url", url}, {"title", "t"}, {"consent", true}}.dump());
  };
  ASSERT_EQ(create(used).status, 201);
  for (const auto* url : {&used, &unused, &late}) age_blob(path_of(*url), 26);
  // Past 24 h an upload_url no longer makes a recording, even before the sweep removed it.
  const auto refused = create(late);
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_NE(refused.body.find("expire 24 hours"), std::string::npos) << refused.body;
  EXPECT_EQ(hushd_->expire_unused_uploads_now(), 2u) << "the unused and the refused upload";
  EXPECT_FALSE(std::filesystem::exists(path_of(unused)));
  EXPECT_FALSE(std::filesystem::exists(path_of(late)));
  EXPECT_TRUE(std::filesystem::exists(path_of(used))) << "a recording's audio is never an orphan";
  EXPECT_TRUE(std::filesystem::exists(path_of(fresh)));
  EXPECT_EQ(create(unused).status, 404) << "a swept upload_url is gone";
  ASSERT_EQ(create(fresh).status, 201);
  run_jobs();
  EXPECT_EQ(hushd_->expire_unused_uploads_now(), 0u);
}

HUSHD_BACKENDS(P5P6Deletion);

}  // namespace
}  // namespace hush::test
