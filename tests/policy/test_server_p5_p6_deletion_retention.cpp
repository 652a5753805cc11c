// P5: deletion on request is complete (database, WAL, free pages, blob folder).
// P6: retention limits are enforced with a fake clock; a legal hold pauses deletion.
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

HUSHD_BACKENDS(P5P6Deletion);

}  // namespace
}  // namespace hush::test
