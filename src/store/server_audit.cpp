// The audit log (P14) and anonymous usage statistics (P7). Entries name users by id, never by
// IP address (P8: the server never hands one to the store).
#include "store/server_ids.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

void ServerStore::audit(const std::string& actor_id, const std::string& workspace_id, const std::string& action,
                        const std::string& target_kind, const std::string& target_id) {
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO audit_log (id, at, actor_id, workspace_id, action, target_kind, target_id) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      sql_params(new_id("aud"), now_s(), actor_id, workspace_id, action, target_kind, target_id));
}

std::vector<AuditEntry> ServerStore::audit_log(const Principal& who, const std::string& workspace_id) {
  require_role(who, workspace_id, Role::admin);
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT at, actor_id, workspace_id, action, target_kind, target_id FROM audit_log "
      "WHERE workspace_id = $1 ORDER BY at, id",
      sql_params(workspace_id));
  std::vector<AuditEntry> out;
  for (const auto& r : rows) out.push_back({r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5)});
  return out;
}

UsageStats ServerStore::usage_stats(const Principal& who) {
  if (!who.user.server_admin) throw Forbidden("usage statistics are for server administrators");
  auto db = pool_.acquire();
  UsageStats s;
  s.users = db->query("SELECT COUNT(*) FROM users")[0].integer(0);
  s.workspaces = db->query("SELECT COUNT(*) FROM workspaces")[0].integer(0);
  s.recordings = db->query("SELECT COUNT(*) FROM recordings WHERE status <> 'deleted'")[0].integer(0);
  s.completed_recordings = db->query("SELECT COUNT(*) FROM recordings WHERE status = 'completed'")[0].integer(0);
  s.recorded_hours =
      db->query("SELECT COALESCE(SUM(duration_s), 0) FROM recordings WHERE status <> 'deleted'")[0].real(0) / 3600.0;
  s.jobs_queued = db->query("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')")[0].integer(0);
  return s;
}

}  // namespace hush::store
