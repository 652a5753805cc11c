// Retention (P6): recordings older than their workspace's limit become tombstones, unless the
// workspace or the recording is on legal hold. hushd runs the sweep periodically; tests drive
// it with a fake clock.
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

std::vector<std::string> ServerStore::sweep_retention() {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT r.id, r.blob_name, r.workspace_id FROM recordings r JOIN workspaces w ON w.id = r.workspace_id "
      "WHERE r.status <> 'deleted' AND w.retention_days > 0 AND w.legal_hold = 0 AND r.legal_hold = 0 "
      "AND r.created_at < $1 - w.retention_days * 86400",
      sql_params(now_s()));
  std::vector<std::string> blobs;
  for (const auto& row : rows) {
    const std::string id = row.text(0);
    {
      SqlTransaction tx(*db);
      tombstone(*db, id);
      tx.commit();
    }
    if (!row.text(1).empty()) blobs.push_back(row.text(1));
  }
  // Written on this connection: audit() would take a second one from the pool.
  for (const auto& row : rows) {
    db->execute(
        "INSERT INTO audit_log (id, at, actor_id, workspace_id, action, target_kind, target_id) "
        "VALUES ($1, $2, 'system', $3, 'recording.expire', 'recording', $4)",
        sql_params("aud_" + row.text(0), now_s(), row.text(2), row.text(0)));
  }
  return blobs;
}

}  // namespace hush::store
