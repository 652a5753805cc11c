// The workers that run queued jobs (transcribing uploaded recordings, then their notes). Jobs
// live in the database (store/server_jobs.cpp), so a hushd killed mid-job loses nothing: the
// job's lease runs out and any worker, in this process or another, takes it again. The lease is
// short (store::kJobLeaseS); a heartbeat thread renews it for the jobs this process is running.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/api_context.h"

namespace hush::server {

class JobWorkers {
 public:
  // Starts `threads` workers (0: none, jobs wait for another process).
  JobWorkers(ApiContext& ctx, int threads);
  ~JobWorkers();  // stop()
  JobWorkers(const JobWorkers&) = delete;
  JobWorkers& operator=(const JobWorkers&) = delete;

  void wake();  // a job was added
  // Lets running jobs finish, then joins. Idempotent.
  void stop();
  // Runs queued jobs on the calling thread until none is ready (for tools and tests).
  int run_until_idle();

 private:
  void loop(int index);
  void heartbeat();
  bool run_one(const std::string& worker_id);
  void transcribe(const std::string& recording_id);

  ApiContext& ctx_;
  std::string process_tag_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::map<std::string, std::string> running_;  // job id -> worker id, guarded by mutex_
  std::vector<std::thread> threads_;
};

// Called after a recording job ends: POSTs {"id", "status"} to the recording's webhook URL
// (failures are reported to stderr without the URL's query and ignored).
void call_webhook(const std::string& url, const std::string& recording_id, const std::string& status);

}  // namespace hush::server
