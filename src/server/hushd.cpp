#include "server/hushd.h"

#include <sys/stat.h>
#include <unistd.h>

#include <condition_variable>
#include <ctime>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "server/api_context.h"
#include "server/compute_pool.h"
#include "server/job_worker.h"
#include "server/router.h"
#include "server/static_files.h"
#include "store/blob_store.h"

namespace hush::server {

std::string default_data_dir() {
  if (const char* dir = std::getenv("HUSHD_DATA"); dir && *dir) return dir;
  if (::geteuid() == 0) return "/var/lib/hushd";
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/hushd";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/hushd";
}

std::string default_web_root() {
  if (const char* dir = std::getenv("HUSHD_WEB_ROOT"); dir && *dir) return dir;
#ifdef HUSH_WEB_ROOT
  struct stat st {};
  if (::stat(HUSH_WEB_ROOT "/index.html", &st) == 0) return HUSH_WEB_ROOT;
#endif
  return "";
}

std::string database_url_of(const HushdConfig& config) {
  return config.database_url.empty() ? "sqlite:" + config.data_dir + "/hushd.db" : config.database_url;
}

struct Hushd::Impl {
  HushdConfig config;
  std::unique_ptr<store::SqlPool> pool;
  std::unique_ptr<store::ServerStore> store;
  std::unique_ptr<store::BlobStore> blobs;
  std::unique_ptr<ApiContext> ctx;
  std::unique_ptr<ComputePool> compute;  // live streams' decoding
  Router router;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<JobWorkers> workers;
  std::thread sweeper;
  std::mutex mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  bool started = false;
};

Hushd::Hushd(HushdConfig config) : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.config = std::move(config);
  if (m.config.data_dir.empty()) m.config.data_dir = default_data_dir();
  // Parents too (~/.local/share may not exist on a fresh account).
  for (std::size_t at = 1; at != std::string::npos; at = m.config.data_dir.find('/', at + 1)) {
    ::mkdir(m.config.data_dir.substr(0, at).c_str(), 0700);
  }
  m.blobs = std::make_unique<store::BlobStore>(m.config.data_dir);
  const std::string url = database_url_of(m.config);
  const std::size_t connections = static_cast<std::size_t>(m.config.http.threads + m.config.job_workers + 2);
  m.pool = std::make_unique<store::SqlPool>([url] { return store::open_sql_connection(url); }, connections);
  m.store = std::make_unique<store::ServerStore>(*m.pool, m.config.clock);
  m.ctx = std::make_unique<ApiContext>(
      ApiContext{*m.store, *m.blobs, m.config.recognizer, m.config.external_summarizer_url, {}});
  m.compute = std::make_unique<ComputePool>(m.config.decode_threads);
  m.ctx->compute = m.compute.get();
  m.ctx->max_file_transcriptions = m.config.max_file_transcriptions;
  m.ctx->upload_ttl_s = m.config.upload_ttl.count();
  add_api_routes(m.router, *m.ctx);
  // After the API: its routes have literal segments, so they win over the UI's catch-all ones.
  if (!m.config.web_root.empty()) add_static_routes(m.router, m.config.web_root);
}

Hushd::~Hushd() { stop(); }

void Hushd::start() {
  auto& m = *impl_;
  m.http = std::make_unique<HttpServer>(m.config.http, m.router);
  m.http->start();
  m.workers = std::make_unique<JobWorkers>(*m.ctx, m.config.job_workers);
  m.ctx->jobs_added = [w = m.workers.get()] { w->wake(); };
  if (m.config.sweep_interval.count() > 0) {
    m.sweeper = std::thread([this] {
      Impl& self = *impl_;
      std::unique_lock lock(self.mutex);
      while (!self.stopping) {
        lock.unlock();
        try {
          sweep_now();
          expire_unused_uploads_now();
        } catch (const std::exception& e) {
          std::fprintf(stderr, "hushd: retention sweep failed: %s\n", e.what());
        }
        lock.lock();
        self.stop_cv.wait_for(lock, self.config.sweep_interval, [&] { return self.stopping; });
      }
    });
  }
  m.started = true;
}

void Hushd::stop() {
  auto& m = *impl_;
  {
    std::lock_guard lock(m.mutex);
    if (m.stopping) return;
    m.stopping = true;
  }
  m.stop_cv.notify_all();
  if (m.http) m.http->stop();  // live streams close ...
  m.compute->join();           // ... and save their recordings first
  if (m.workers) m.workers->stop();
  if (m.sweeper.joinable()) m.sweeper.join();
}

std::uint16_t Hushd::port() const { return impl_->http ? impl_->http->port() : 0; }
store::ServerStore& Hushd::store() { return *impl_->store; }
store::BlobStore& Hushd::blobs() { return *impl_->blobs; }

int Hushd::run_jobs_until_idle() {
  JobWorkers inline_worker(*impl_->ctx, 0);
  return inline_worker.run_until_idle();
}

std::size_t Hushd::sweep_now() {
  const auto blobs = impl_->store->sweep_retention();
  for (const auto& blob : blobs) impl_->blobs->remove(blob);
  return blobs.size();
}

std::size_t Hushd::expire_unused_uploads_now() {
  // The hour of grace keeps this clear of a POST /v1/recordings that passed its expiry check
  // (api_recordings.cpp) just before the upload_ttl ran out. A live recording being written
  // keeps its file's time fresh, and a multipart upload becomes a recording within its request.
  const auto& m = *impl_;
  // File ages are on the file system's clock, not the store's (which tests fake).
  const std::int64_t cutoff_s = static_cast<std::int64_t>(std::time(nullptr)) - m.config.upload_ttl.count() - 3600;
  std::size_t removed = 0;
  for (const auto& blob : m.blobs->list()) {
    if (blob.modified_s >= cutoff_s || m.store->blob_in_use(blob.name)) continue;
    m.blobs->remove(blob.name);
    ++removed;
  }
  return removed;
}

}  // namespace hush::server
