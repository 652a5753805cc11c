// One running hushd: database pool, store, blob store, API routes, HTTP server, job workers
// and the retention sweeper, wired together. apps/hushd runs one; tests start one in-process
// on an ephemeral port against SQLite or PostgreSQL.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "server/http_server.h"
#include "store/blob_store.h"
#include "store/server_store.h"

namespace hush::server {

struct HushdConfig {
  std::string data_dir;      // blobs, keyring and (by default) the SQLite database; created 0700
  std::string database_url;  // "" = sqlite:<data_dir>/hushd.db; or postgresql://...
  ServerConfig http;
  int job_workers = 1;       // threads transcribing recordings
  int decode_threads = 0;    // threads decoding live streams (compute_pool.h); 0 = one per core
  int max_file_transcriptions = 0;  // POST /v1/audio/transcriptions at once; 0 = one per core
  std::chrono::seconds sweep_interval{3600};  // retention sweep (P6); 0 = never
  // An upload_url (POST /v1/uploads) must become a recording within this time; the sweep
  // deletes uploads no recording uses an hour after it (P6: nothing lingers unowned).
  std::chrono::seconds upload_ttl{24 * 3600};
  store::ServerClock clock;  // default: the system clock (tests pass a fake one)
  std::string recognizer = "pocketsphinx";
  // An OpenAI-compatible chat-completions URL for abstractive summaries (privacy P13): used
  // only for workspaces whose admin turned external_summarizer on; "" = never.
  std::string external_summarizer_url;
  // The web UI's files (web/ in the source tree), served at every non-API GET path; "" = no UI.
  std::string web_root;
};

// The data directory used when none is given: $HUSHD_DATA, else /var/lib/hushd for root, else
// $XDG_DATA_HOME/hushd or ~/.local/share/hushd.
std::string default_data_dir();
// The web UI's folder when none is given: $HUSHD_WEB_ROOT, else the source tree's web/ this
// binary was built from (the compile definition HUSH_WEB_ROOT) when it exists, else "".
std::string default_web_root();
// The database the config names, as a URL open_sql_connection understands.
std::string database_url_of(const HushdConfig& config);

class Hushd {
 public:
  // Opens the data directory and the database (migrating the schema). Throws hush::Error.
  explicit Hushd(HushdConfig config);
  ~Hushd();
  Hushd(const Hushd&) = delete;
  Hushd& operator=(const Hushd&) = delete;

  void start();  // listens and starts the workers and the sweeper
  void stop();   // graceful: see HttpServer::stop, then the workers finish their job
  std::uint16_t port() const;

  store::ServerStore& store();
  store::BlobStore& blobs();
  // Runs the queued jobs now on the calling thread (tests, `hushd jobs run`).
  int run_jobs_until_idle();
  // One retention sweep now; returns how many recordings with audio were deleted.
  std::size_t sweep_now();
  // Deletes uploads no recording uses, older than upload_ttl + 1 h; returns how many.
  std::size_t expire_unused_uploads_now();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hush::server
