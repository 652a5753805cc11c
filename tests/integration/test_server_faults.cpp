// hushd's fault handling in-process (the real binary under kill -9, a full disk and a PostgreSQL
// restart is tests/integration/hushd_faults.sh): job leases that a live process renews and a
// dead one lets run out, the HTTP status of storage failures, and PostgreSQL connections that a
// restart killed being replaced without failing a request.
#include <cerrno>
#include <system_error>

#include "server/router.h"
#include "store/store_errors.h"
#include "../policy/server_fixture.h"

namespace hush::test {
namespace {

class ServerFaults : public HushdFixture {
 protected:
  // hushd's PostgreSQL connections carry a name of their own, so a test kills only those (other
  // tests may share the cluster at the same time).
  void configure(server::HushdConfig& config) override {
    if (!config.database_url.empty()) config.database_url += "&application_name=" + app_name();
  }
  static std::string app_name() { return "hushd_faults_" + std::to_string(::getpid()); }
  void SetUp() override {
    HushdFixture::SetUp();
    if (IsSkipped()) return;
    set_settings(R"({"recording_enabled": true})");
  }
};

TEST_P(ServerFaults, RenewedLeaseKeepsTheJobAndAnExpiredOneFreesIt) {
  ASSERT_EQ(upload(admin_key_, "long job").status, 201);
  const auto job = hushd_->store().claim_job("wrk_alive-0");
  ASSERT_TRUE(job);
  // The owner renews before the lease runs out, again and again: nobody else gets the job.
  for (int i = 0; i < 5; ++i) {
    now_s_ += store::kJobLeaseS - 1;
    EXPECT_TRUE(hushd_->store().renew_job_lease(job->id, "wrk_alive-0"));
    EXPECT_FALSE(hushd_->store().claim_job("wrk_other-0")) << "a renewed lease was taken";
  }
  EXPECT_FALSE(hushd_->store().renew_job_lease(job->id, "wrk_other-0")) << "only the holder renews";
  // The owner dies (no more renewals): after kJobLeaseS the job is free, not after 600 s.
  now_s_ += store::kJobLeaseS + 1;
  const auto taken = hushd_->store().claim_job("wrk_restarted-0");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->id, job->id);
  EXPECT_EQ(taken->attempts, 2);
  EXPECT_FALSE(hushd_->store().renew_job_lease(job->id, "wrk_alive-0")) << "the old holder lost it";
  EXPECT_LE(store::kJobLeaseS, 60);
  EXPECT_LT(store::kJobLeaseRenewS * 2, store::kJobLeaseS);
}

TEST_P(ServerFaults, StorageFailuresHaveTheirOwnStatus) {
  auto answer = [](auto thrower) {
    try {
      thrower();
    } catch (...) {
      return server::response_for_current_exception("test");
    }
    return server::HttpResponse{};
  };
  const auto full = answer([] { throw store::StorageFull("/data/blobs/x.enc: cannot write: No space left on device"); });
  EXPECT_EQ(full.status, 507);
  EXPECT_NE(full.body.find("disk is full"), std::string::npos) << full.body;
  EXPECT_EQ(full.body.find("/data/blobs"), std::string::npos) << "no server path in the answer: " << full.body;
  const auto down = answer([] { throw store::DatabaseUnavailable("cannot connect to PostgreSQL: refused"); });
  EXPECT_EQ(down.status, 503);
  EXPECT_NE(down.body.find("database is unavailable"), std::string::npos) << down.body;
  bool retry_after = false;
  for (const auto& [name, value] : down.headers) retry_after = retry_after || name == "Retry-After";
  EXPECT_TRUE(retry_after);
  EXPECT_TRUE(store::names_disk_full("x: cannot write: " + std::generic_category().message(ENOSPC)));
  EXPECT_FALSE(store::names_disk_full("x: cannot write: " + std::generic_category().message(EACCES)));
}

// As after a PostgreSQL restart: every backend of hushd's pool is gone. The very next requests
// succeed (the pool finds the dead connections when it hands them out) and jobs still run.
TEST_P(ServerFaults, PostgresBackendsKilledUnderARunningServer) {
  if (GetParam() != "postgres") GTEST_SKIP() << "SQLite has no server to lose";
  for (int i = 0; i < 4; ++i) ASSERT_EQ(call("GET", "/v1/recordings", admin_key_).status, 200);
  auto admin = store::open_sql_connection(pg_admin_url_);
  const std::vector<store::SqlValue> name = {app_name()};
  const auto killed = admin->query(
      "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", name);
  ASSERT_GE(killed.at(0).integer(0), 1);
  for (int i = 0; i < 200; ++i) {
    if (admin->query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1", name).empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int i = 0; i < 6; ++i) {
    const auto r = call("GET", "/v1/recordings", admin_key_);
    EXPECT_EQ(r.status, 200) << "request " << i << " after the restart: " << r.body;
  }
  const auto up = upload(admin_key_, "after the restart");
  ASSERT_EQ(up.status, 201) << up.body;
  run_jobs();
  EXPECT_EQ(call("GET", "/v1/recordings/" + up.json()["id"].get<std::string>(), admin_key_).json()["status"], "completed");
}

HUSHD_BACKENDS(ServerFaults);

}  // namespace
}  // namespace hush::test
