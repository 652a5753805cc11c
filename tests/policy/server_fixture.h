// A real hushd in-process for the privacy suite: HTTP on an ephemeral port, a fake clock, the
// job queue run on demand, and the database chosen by the test parameter — "sqlite" (a file in
// a scratch data directory) or "postgres" (a schema of the test's own in the server that
// scripts/pg_test_server.sh started: HUSH_TEST_PG_URL or the file HUSH_TEST_PG_URL_FILE; the
// postgres cases skip when neither is set, and ctest always sets it).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../support/postgres_test_url.h"
#include "policy_support.h"
#include "server/http_client.h"
#include "server/hushd.h"
#include "store/sql_connection.h"

namespace hush::test {

struct Reply {
  int status = 0;
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

// A WAV of espeak-free synthetic "speech-like" audio is not needed: the recognizer runs on
// anything. A 1.5 s 16 kHz mono WAV with a recognisable byte pattern in its samples.
inline std::string test_wav(std::uint32_t seed = 1) {
  const std::uint32_t rate = 16000, n = 24000;
  std::string wav(44 + n * 2, '\0');
  auto put32 = [&](std::size_t at, std::uint32_t v) { for (int i = 0; i < 4; ++i) wav[at + i] = char(v >> (8 * i)); };
  auto put16 = [&](std::size_t at, std::uint16_t v) { wav[at] = char(v); wav[at + 1] = char(v >> 8); };
  wav.replace(0, 4, "RIFF"); put32(4, 36 + n * 2); wav.replace(8, 8, "WAVEfmt ");
  put32(16, 16); put16(20, 1); put16(22, 1); put32(24, rate); put32(28, rate * 2); put16(32, 2); put16(34, 16);
  wav.replace(36, 4, "data"); put32(40, n * 2);
  std::uint32_t x = seed * 2654435761u + 12345u;
  for (std::uint32_t i = 0; i < n; ++i) {
    x = x * 1664525u + 1013904223u;
    put16(44 + 2 * i, static_cast<std::uint16_t>(static_cast<std::int16_t>((x >> 16) % 8000) - 4000));
  }
  return wav;
}
// 64 bytes from the middle of test_wav's samples: finding them in a file means plaintext audio.
inline std::string audio_needle(const std::string& wav) { return wav.substr(44 + 20000, 64); }

class HushdFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server::HushdConfig config;
    config.data_dir = data_.path() + "/hushd";
    config.http.port = 0;
    config.http.threads = 4;
    config.job_workers = 0;  // tests run the queue themselves: run_jobs()
    config.sweep_interval = std::chrono::seconds(0);
    config.clock = [this] { return now_s_.load(); };
    if (GetParam() == "postgres") {
      const std::string url = postgres_test_url();
      if (url.empty()) GTEST_SKIP() << "no PostgreSQL: set HUSH_TEST_PG_URL (scripts/pg_test_server.sh start DIR)";
      const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
      schema_ = "p_";
      for (char c : std::string(info->name())) schema_ += std::isalnum(static_cast<unsigned char>(c)) ? char(std::tolower(c)) : '_';
      schema_ = schema_.substr(0, 40) + "_" + std::to_string(::getpid());
      auto admin = store::open_sql_connection(url);
      admin->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE; CREATE SCHEMA " + schema_);
      config.database_url = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
      pg_admin_url_ = url;
    }
    configure(config);
    config_ = config;
    hushd_ = std::make_unique<server::Hushd>(config);
    hushd_->start();
    admin_ = make_user("admin@example.com", "Ada Admin", true);
    workspace_ = hushd_->store().create_workspace(principal(admin_), "Team").id;
    admin_key_ = key_for(admin_, workspace_);
  }

  void TearDown() override {
    if (hushd_) hushd_->stop();
    hushd_.reset();
    if (!schema_.empty()) {
      try {
        store::open_sql_connection(pg_admin_url_)->execute_script("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
      } catch (...) {
      }
    }
  }

  // A test may adjust the config before hushd starts.
  virtual void configure(server::HushdConfig&) {}
  // Stops hushd and starts a new one on the same data directory and database (a restart).
  void restart() {
    hushd_->stop();
    hushd_.reset();
    hushd_ = std::make_unique<server::Hushd>(config_);
    hushd_->start();
  }

  store::User make_user(const std::string& email, const std::string& name, bool server_admin = false) {
    return hushd_->store().create_user(email, name, "correct horse battery", server_admin);
  }
  static store::Principal principal(const store::User& user) { return store::Principal{user, "", ""}; }
  std::string key_for(const store::User& user, const std::string& workspace) {
    return hushd_->store().create_api_key(principal(user), workspace, "test", std::nullopt).second;
  }
  // A user with `role` in the test workspace and an API key there.
  std::string member_key(const std::string& email, store::Role role) {
    const auto user = make_user(email, "Member " + email);
    hushd_->store().set_member(principal(admin_), workspace_, email, role);
    return key_for(user, workspace_);
  }

  Reply call(const std::string& method, const std::string& target, const std::string& key,
             const std::string& body = "", const std::string& content_type = "application/json",
             server::HeaderList extra = {}) {
    server::HeaderList headers = std::move(extra);
    if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
    if (!body.empty()) headers.emplace_back("Content-Type", content_type);
    const auto r = server::http_request("127.0.0.1", hushd_->port(), method, target, headers, body);
    return {r.status, r.body};
  }

  static std::string multipart(const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& file_bytes, const std::string& boundary = "hushtestboundary") {
    std::string body;
    for (const auto& [name, value] : fields) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"call.wav\"\r\n"
            "Content-Type: audio/wav\r\n\r\n" + file_bytes + "\r\n--" + boundary + "--\r\n";
    return body;
  }
  static constexpr const char* kMultipartType = "multipart/form-data; boundary=hushtestboundary";

  void set_settings(const std::string& json) {
    const auto r = call("PATCH", "/v1/workspaces/" + workspace_ + "/settings", admin_key_, json);
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Uploads test_wav(seed) as a recording; returns the reply.
  Reply upload(const std::string& key, const std::string& title, std::uint32_t seed = 1, bool consent = true) {
    return call("POST", "/v1/recordings", key,
                multipart({{"title", title}, {"consent", consent ? "true" : "false"}}, test_wav(seed)), kMultipartType);
  }
  void run_jobs() { hushd_->run_jobs_until_idle(); }
  // Stops hushd and closes its database, so SQLite checkpoints and removes its WAL as it does
  // on a real shutdown; the scans run after this.
  void shutdown() {
    hushd_->stop();
    hushd_.reset();
  }
  std::string blob_root() const { return data_.path() + "/hushd/blobs"; }

  // Every stored byte: files under the data directory, and for PostgreSQL every text/bytea
  // value in the test's schema (its files belong to the database server, not to hushd).
  bool stored_anywhere(const std::string& needle) {
    if (!files_containing(data_.path(), needle).empty()) return true;
    if (schema_.empty()) return false;
    auto db = store::open_sql_connection(pg_admin_url_);
    for (const auto& table : db->query("SELECT table_name FROM information_schema.tables WHERE table_schema = $1",
                                       std::vector<store::SqlValue>{schema_})) {
      const auto rows = db->query("SELECT t::text FROM " + schema_ + "." + table.text(0) + " t");
      for (const auto& row : rows) {
        if (row.text(0).find(needle) != std::string::npos) return true;
      }
    }
    return false;
  }

  ScratchDir data_;
  server::HushdConfig config_;
  std::atomic<std::int64_t> now_s_{1'800'000'000};
  std::unique_ptr<server::Hushd> hushd_;
  std::string schema_, pg_admin_url_;
  store::User admin_;
  std::string workspace_, admin_key_;
};

// Reads a stream's messages until the server closes it (at most 60 s).
inline void read_until_closed(server::WebSocketClient& ws) {
  for (int i = 0; i < 600; ++i) {
    const auto m = ws.read(std::chrono::milliseconds(100));
    if (m && m->kind == server::WebSocketMessage::Kind::close) return;
  }
  ADD_FAILURE() << "the stream was not closed";
}

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace hush::test

#define HUSHD_BACKENDS(suite) \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgres"), hush::test::backend_name)
