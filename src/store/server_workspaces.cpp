// Workspaces, memberships and roles, API keys.
#include "store/server_ids.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

namespace {

Workspace workspace_from(const SqlRow& row) {
  Workspace w;
  w.id = row.text(0);
  w.name = row.text(1);
  w.created_at_s = row.integer(2);
  w.settings.recording_enabled = row.integer(3) != 0;
  w.settings.notes_enabled = row.integer(4) != 0;
  w.settings.retention_days = static_cast<int>(row.integer(5));
  w.settings.legal_hold = row.integer(6) != 0;
  w.settings.external_summarizer = row.integer(7) != 0;
  return w;
}

const char* kWorkspaceColumns =
    "w.id, w.name, w.created_at, w.recording_enabled, w.notes_enabled, w.retention_days, w.legal_hold, "
    "w.external_summarizer";

void check_name(const std::string& name, const char* what) {
  if (name.empty() || name.size() > 200) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, std::string(what) + " must have 1 to 200 characters");
  }
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::viewer: return "viewer";
    case Role::member: return "member";
    case Role::admin: return "admin";
    case Role::owner: return "owner";
  }
  return "viewer";
}

Role role_from_name(const std::string& name) {
  for (Role r : {Role::viewer, Role::member, Role::admin, Role::owner}) {
    if (name == role_name(r)) return r;
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "unknown role '" + name.substr(0, 40) + "' (owner, admin, member, viewer)");
}

std::optional<Role> ServerStore::role_in(const std::string& user_id, const std::string& workspace_id) {
  auto db = pool_.acquire();
  const auto rows = db->query("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2",
                              sql_params(workspace_id, user_id));
  if (rows.empty()) return std::nullopt;
  return role_from_name(rows[0].text(0));
}

Role ServerStore::require_role(const Principal& who, const std::string& workspace_id, Role at_least) {
  // An API key acts only inside its own workspace.
  if (!who.workspace_id.empty() && who.workspace_id != workspace_id) throw NotFound("workspace");
  const auto role = role_in(who.user.id, workspace_id);
  if (!role) throw NotFound("workspace");
  if (*role < at_least) {
    throw Forbidden(std::string("this needs the ") + role_name(at_least) + " role or above in the workspace");
  }
  return *role;
}

Workspace ServerStore::create_workspace(const Principal& who, const std::string& name) {
  check_name(name, "a workspace name");
  if (!who.api_key_id.empty()) throw Forbidden("workspaces are created by signed-in users, not API keys");
  const std::string id = new_id("ws");
  auto db = pool_.acquire();
  SqlTransaction tx(*db);
  db->execute("INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)", sql_params(id, name, now_s()));
  db->execute("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')",
              sql_params(id, who.user.id));
  tx.commit();
  return get_workspace(who, id);
}

Workspace ServerStore::get_workspace(const Principal& who, const std::string& workspace_id) {
  require_role(who, workspace_id, Role::viewer);
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces w WHERE w.id = $1",
                              sql_params(workspace_id));
  if (rows.empty()) throw NotFound("workspace");
  return workspace_from(rows[0]);
}

std::vector<Workspace> ServerStore::list_workspaces(const Principal& who) {
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kWorkspaceColumns +
                                  " FROM workspaces w JOIN memberships m ON m.workspace_id = w.id "
                                  "WHERE m.user_id = $1 AND ($2 = '' OR w.id = $2) ORDER BY w.created_at, w.id",
                              sql_params(who.user.id, who.workspace_id));
  std::vector<Workspace> out;
  for (const auto& row : rows) out.push_back(workspace_from(row));
  return out;
}

WorkspaceSettings ServerStore::workspace_settings(const std::string& workspace_id) {
  auto db = pool_.acquire();
  const auto rows = db->query(std::string("SELECT ") + kWorkspaceColumns + " FROM workspaces w WHERE w.id = $1",
                              sql_params(workspace_id));
  if (rows.empty()) throw NotFound("workspace");
  return workspace_from(rows[0]).settings;
}

Workspace ServerStore::update_settings(const Principal& who, const std::string& workspace_id,
                                       const WorkspaceSettings& s) {
  require_role(who, workspace_id, Role::admin);
  if (s.retention_days < 0 || s.retention_days > 36500) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "retention_days must be 0 (keep) to 36500");
  }
  {
    auto db = pool_.acquire();
    db->execute(
        "UPDATE workspaces SET recording_enabled = $1, notes_enabled = $2, retention_days = $3, legal_hold = $4, "
        "external_summarizer = $5 WHERE id = $6",
        sql_params(s.recording_enabled, s.notes_enabled, s.retention_days, s.legal_hold, s.external_summarizer,
                   workspace_id));
  }
  audit(who.user.id, workspace_id, "settings.update", "workspace", workspace_id);
  return get_workspace(who, workspace_id);
}

std::vector<Member> ServerStore::list_members(const Principal& who, const std::string& workspace_id) {
  require_role(who, workspace_id, Role::viewer);
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.workspace_id = $1 ORDER BY u.email",
      sql_params(workspace_id));
  std::vector<Member> out;
  for (const auto& row : rows) out.push_back({row.text(0), row.text(1), row.text(2), role_from_name(row.text(3))});
  return out;
}

void ServerStore::set_member(const Principal& who, const std::string& workspace_id, const std::string& email,
                             Role role) {
  const Role mine = require_role(who, workspace_id, Role::admin);
  if (role == Role::owner && mine != Role::owner) throw Forbidden("only an owner can make another owner");
  const auto user = find_user_by_email(email);
  if (!user) throw NotFound("user");
  const auto current = role_in(user->id, workspace_id);
  if (current == Role::owner && mine != Role::owner) throw Forbidden("only an owner can change an owner's role");
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3) "
      "ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role",
      sql_params(workspace_id, user->id, role_name(role)));
  audit(who.user.id, workspace_id, "member.set", "user", user->id);
}

void ServerStore::remove_member(const Principal& who, const std::string& workspace_id, const std::string& user_id) {
  const Role mine = require_role(who, workspace_id, Role::admin);
  const auto theirs = role_in(user_id, workspace_id);
  if (!theirs) throw NotFound("member");
  if (*theirs == Role::owner && mine != Role::owner) throw Forbidden("only an owner can remove an owner");
  auto db = pool_.acquire();
  if (*theirs == Role::owner &&
      db->query("SELECT 1 FROM memberships WHERE workspace_id = $1 AND role = 'owner' AND user_id <> $2",
                sql_params(workspace_id, user_id))
          .empty()) {
    throw Conflict("a workspace keeps at least one owner");
  }
  db->execute("DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2", sql_params(workspace_id, user_id));
  audit(who.user.id, workspace_id, "member.remove", "user", user_id);
}

std::pair<ApiKeyInfo, std::string> ServerStore::create_api_key(const Principal& who, const std::string& workspace_id,
                                                               const std::string& name,
                                                               std::optional<std::int64_t> expires_at_s) {
  check_name(name, "a key name");
  require_role(who, workspace_id, Role::viewer);
  const std::string key = new_secret("hk");
  ApiKeyInfo info{new_id("key"), workspace_id, name, now_s(), expires_at_s};
  auto db = pool_.acquire();
  db->execute(
      "INSERT INTO api_keys (id, key_hash, user_id, workspace_id, name, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      sql_params(info.id, hash_secret(key), who.user.id, workspace_id, name, info.created_at_s, expires_at_s));
  return {info, key};
}

std::vector<ApiKeyInfo> ServerStore::list_api_keys(const Principal& who) {
  auto db = pool_.acquire();
  const auto rows = db->query(
      "SELECT id, workspace_id, name, created_at, expires_at FROM api_keys WHERE user_id = $1 ORDER BY created_at, id",
      sql_params(who.user.id));
  std::vector<ApiKeyInfo> out;
  for (const auto& row : rows) {
    ApiKeyInfo info{row.text(0), row.text(1), row.text(2), row.integer(3), std::nullopt};
    if (!row.is_null(4)) info.expires_at_s = row.integer(4);
    out.push_back(info);
  }
  return out;
}

void ServerStore::revoke_api_key(const Principal& who, const std::string& key_id) {
  auto db = pool_.acquire();
  if (db->execute("DELETE FROM api_keys WHERE id = $1 AND user_id = $2", sql_params(key_id, who.user.id)) == 0) {
    throw NotFound("API key");
  }
}

}  // namespace hush::store
