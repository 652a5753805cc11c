// Accounts, sessions and API-key authentication.
#include <algorithm>

#include "store/meeting_library.h"  // system_clock_now_s
#include "store/server_ids.h"
#include "store/server_schema.h"
#include "store/server_store.h"
#include "store/sql_params.h"

namespace hush::store {

namespace {

const char* kUserColumns = "id, email, name, server_admin, restricted, created_at";

User user_from(const SqlRow& row) {
  User user;
  user.id = row.text(0);
  user.email = row.text(1);
  user.name = row.text(2);
  user.server_admin = row.integer(3) != 0;
  user.restricted = row.integer(4) != 0;
  user.created_at_s = row.integer(5);
  return user;
}

std::string normalized_email(const std::string& email) {
  std::string lower = email;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  const auto at = lower.find('@');
  if (lower.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= lower.size() ||
      lower.find_first_of(" \t\r\n<>\"", 0) != std::string::npos) {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "not an e-mail address: '" + email.substr(0, 80) + "'");
  }
  return lower;
}

}  // namespace

ServerStore::ServerStore(SqlPool& pool, ServerClock clock) : pool_(pool), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return system_clock_now_s(); };
  auto db = pool_.acquire();
  migrate_server_schema(*db);
}

bool ServerStore::has_users() {
  auto db = pool_.acquire();
  return !db->query("SELECT 1 FROM users LIMIT 1").empty();
}

User ServerStore::create_user(const std::string& email, const std::string& name, const std::string& password,
                              bool server_admin) {
  const std::string address = normalized_email(email);
  if (name.empty() || name.size() > 200) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a name must have 1 to 200 characters");
  const std::string hash = hash_password(password);
  const std::string id = new_id("usr");
  auto db = pool_.acquire();
  try {
    db->execute(
        "INSERT INTO users (id, email, name, password_hash, server_admin, restricted, created_at) "
        "VALUES ($1, $2, $3, $4, $5, 0, $6)",
        sql_params(id, address, name, hash, server_admin, now_s()));
  } catch (const SqlConstraintError&) {
    throw Conflict("an account with this e-mail address exists already");
  }
  return get_user(id);
}

std::optional<std::string> ServerStore::login(const std::string& email, const std::string& password) {
  std::string address;
  try {
    address = normalized_email(email);
  } catch (const Error&) {
    return std::nullopt;
  }
  auto db = pool_.acquire();
  const auto rows = db->query("SELECT id, password_hash FROM users WHERE email = $1", sql_params(address));
  if (rows.empty()) {
    // Spend the same time as a real check, so response times do not reveal which e-mail
    // addresses have accounts.
    static const std::string dummy = hash_password("not-a-real-password-0");
    verify_password(password, dummy);
    return std::nullopt;
  }
  if (!verify_password(password, rows[0].text(1))) return std::nullopt;
  const std::string token = new_secret("hs");
  db->execute("DELETE FROM sessions WHERE expires_at <= $1", sql_params(now_s()));
  db->execute("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
              sql_params(hash_secret(token), rows[0].text(0), now_s() + kSessionLifetimeS));
  return token;
}

void ServerStore::logout(const std::string& session_token) {
  auto db = pool_.acquire();
  db->execute("DELETE FROM sessions WHERE token_hash = $1", sql_params(hash_secret(session_token)));
}

std::optional<Principal> ServerStore::authenticate(const std::string& secret) {
  if (secret.empty() || secret.size() > 200) return std::nullopt;
  const std::string hash = hash_secret(secret);
  auto db = pool_.acquire();
  Principal who;
  auto rows = db->query("SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
                        sql_params(hash, now_s()));
  if (rows.empty()) {
    rows = db->query(
        "SELECT k.user_id, k.workspace_id, k.id FROM api_keys k "
        "JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id "
        "WHERE k.key_hash = $1 AND (k.expires_at IS NULL OR k.expires_at > $2)",
        sql_params(hash, now_s()));
    if (rows.empty()) return std::nullopt;
    who.workspace_id = rows[0].text(1);
    who.api_key_id = rows[0].text(2);
  }
  const auto users = db->query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1",
                               sql_params(rows[0].text(0)));
  if (users.empty()) return std::nullopt;
  who.user = user_from(users[0]);
  return who;
}

User ServerStore::get_user(const std::string& user_id) {
  auto db = pool_.acquire();
  const auto rows =
      db->query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", sql_params(user_id));
  if (rows.empty()) throw NotFound("user");
  return user_from(rows[0]);
}

std::optional<User> ServerStore::find_user_by_email(const std::string& email) {
  const std::string address = normalized_email(email);
  auto db = pool_.acquire();
  const auto rows =
      db->query(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = $1", sql_params(address));
  if (rows.empty()) return std::nullopt;
  return user_from(rows[0]);
}

void ServerStore::rename_user(const Principal& who, const std::string& name) {
  if (name.empty() || name.size() > 200) throw Error(HUSH_ERR_INVALID_ARGUMENT, "a name must have 1 to 200 characters");
  auto db = pool_.acquire();
  db->execute("UPDATE users SET name = $1 WHERE id = $2", sql_params(name, who.user.id));
}

void ServerStore::set_restricted(const std::string& user_id, bool restricted) {
  auto db = pool_.acquire();
  if (db->execute("UPDATE users SET restricted = $1 WHERE id = $2", sql_params(restricted, user_id)) == 0) {
    throw NotFound("user");
  }
}

}  // namespace hush::store
