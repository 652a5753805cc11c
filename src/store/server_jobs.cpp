// The durable job queue. A job is a row; claiming it sets a short lease (locked_until) that the
// claiming process renews while it works, so a worker that dies (kill -9, power cut) leaves a job
// that another worker takes once the lease runs out (kJobLeaseS after the last renewal).
// PostgreSQL: FOR UPDATE SKIP LOCKED lets many hushd processes claim concurrently without
// waiting on each other. SQLite: BEGIN IMMEDIATE already serializes writers, so the same
// select-then-update is safe without it.
#include <algorithm>

#include "store/server_ids.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

std::string ServerStore::enqueue_job(SqlConnection& db, const std::string& kind, const std::string& target_id) {
  const std::string id = new_id("job");
  db.execute(
      "INSERT INTO jobs (id, kind, target_id, state, attempts, run_after, created_at) "
      "VALUES ($1, $2, $3, 'queued', 0, $4, $4)",
      sql_params(id, kind, target_id, now_s()));
  return id;
}

std::optional<Job> ServerStore::claim_job(const std::string& worker_id) {
  auto db = pool_.acquire();
  SqlTransaction tx(*db);
  std::string select =
      "SELECT id, kind, target_id, attempts FROM jobs "
      "WHERE (state = 'queued' AND run_after <= $1) OR (state = 'running' AND locked_until <= $1) "
      "ORDER BY run_after, created_at, id LIMIT 1";
  if (db->dialect() == SqlDialect::postgres) select += " FOR UPDATE SKIP LOCKED";
  const auto rows = db->query(select, sql_params(now_s()));
  if (rows.empty()) return std::nullopt;
  Job job{rows[0].text(0), rows[0].text(1), rows[0].text(2), static_cast<int>(rows[0].integer(3)) + 1};
  db->execute("UPDATE jobs SET state = 'running', attempts = $1, locked_by = $2, locked_until = $3 WHERE id = $4",
              sql_params(job.attempts, worker_id, now_s() + kJobLeaseS, job.id));
  tx.commit();
  return job;
}

bool ServerStore::renew_job_lease(const std::string& job_id, const std::string& worker_id) {
  auto db = pool_.acquire();
  return db->execute("UPDATE jobs SET locked_until = $1 WHERE id = $2 AND locked_by = $3 AND state = 'running'",
                     sql_params(now_s() + kJobLeaseS, job_id, worker_id)) > 0;
}

void ServerStore::complete_job(const std::string& job_id) {
  auto db = pool_.acquire();
  db->execute("DELETE FROM jobs WHERE id = $1", sql_params(job_id));
}

void ServerStore::fail_job(const std::string& job_id, const std::string& error) {
  auto db = pool_.acquire();
  const auto rows = db->query("SELECT attempts FROM jobs WHERE id = $1", sql_params(job_id));
  if (rows.empty()) return;
  const auto attempts = rows[0].integer(0);
  if (attempts >= kMaxJobAttempts) {
    db->execute("UPDATE jobs SET state = 'failed', last_error = $1 WHERE id = $2",
                sql_params(error.substr(0, 500), job_id));
    return;
  }
  const std::int64_t backoff_s = std::int64_t{1} << std::min<std::int64_t>(attempts, 10);
  db->execute("UPDATE jobs SET state = 'queued', run_after = $1, last_error = $2, locked_by = '' WHERE id = $3",
              sql_params(now_s() + backoff_s, error.substr(0, 500), job_id));
}

std::int64_t ServerStore::pending_jobs() {
  auto db = pool_.acquire();
  return db->query("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")[0].integer(0);
}

}  // namespace hush::store
