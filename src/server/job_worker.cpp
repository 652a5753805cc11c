#include "server/job_worker.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "asr/transcribe.h"
#include "audio/audio_file.h"
#include "meeting/diarize_transcript.h"
#include "meeting/external_summarizer.h"
#include "meeting/notes.h"
#include "meeting/notes_maker.h"
#include "server/http_client.h"
#include "store/server_ids.h"

namespace hush::server {

namespace {

constexpr auto kPollInterval = std::chrono::seconds(2);

struct WebhookUrl {
  std::string host, target;
  std::uint16_t port = 80;
  bool tls = false;
};

// "http[s]://host[:port][/path]"; throws for anything else.
WebhookUrl parse_webhook_url(const std::string& url) {
  WebhookUrl out;
  std::string rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
    out.tls = true;
    out.port = 443;
  } else {
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "webhook URL is not http(s)");
  }
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.port = static_cast<std::uint16_t>(std::stoi(authority.substr(colon + 1)));
    authority.resize(colon);
  }
  out.host = authority;
  if (out.host.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "webhook URL has no host");
  return out;
}

}  // namespace

JobWorkers::JobWorkers(ApiContext& ctx, int threads) : ctx_(ctx), process_tag_(store::new_id("wrk")) {
  // The heartbeat also covers run_until_idle(), so it runs even without worker threads.
  threads_.emplace_back([this] { heartbeat(); });
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { loop(i); });
}

JobWorkers::~JobWorkers() { stop(); }

void JobWorkers::wake() { wake_.notify_all(); }

void JobWorkers::stop() {
  stopping_ = true;
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

int JobWorkers::run_until_idle() {
  int ran = 0;
  while (run_one(process_tag_ + "-inline")) ++ran;
  return ran;
}

void JobWorkers::loop(int index) {
  const std::string worker_id = process_tag_ + "-" + std::to_string(index);
  while (!stopping_) {
    bool ran = false;
    try {
      ran = run_one(worker_id);
    } catch (const std::exception& e) {
      // The database is away (PostgreSQL restarting): wait and try again.
      std::fprintf(stderr, "hushd: job worker: %s\n", e.what());
    }
    if (!ran) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, kPollInterval, [this] { return stopping_.load(); });
    }
  }
}

// Renews the leases of the jobs running here, every kJobLeaseRenewS. A process that dies stops
// renewing, and its jobs are free for any worker kJobLeaseS later.
void JobWorkers::heartbeat() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(store::kJobLeaseRenewS), [this] { return stopping_.load(); });
    if (stopping_) break;
    const auto jobs = running_;
    lock.unlock();
    for (const auto& [job_id, worker_id] : jobs) {
      try {
        ctx_.store.renew_job_lease(job_id, worker_id);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "hushd: job lease renewal: %s\n", e.what());  // the database is away
      }
    }
    lock.lock();
  }
}

bool JobWorkers::run_one(const std::string& worker_id) {
  const auto job = ctx_.store.claim_job(worker_id);
  if (!job) return false;
  {
    std::lock_guard lock(mutex_);
    running_[job->id] = worker_id;
  }
  struct Done {
    JobWorkers& self;
    const std::string& id;
    ~Done() {
      std::lock_guard lock(self.mutex_);
      self.running_.erase(id);
    }
  } done{*this, job->id};
  try {
    if (job->kind != "transcribe") throw Error(HUSH_ERR_INTERNAL, "unknown job kind " + job->kind);
    transcribe(job->target_id);
    ctx_.store.complete_job(job->id);
  } catch (const std::exception& e) {
    ctx_.store.fail_job(job->id, e.what());
    if (job->attempts >= store::kMaxJobAttempts) {
      ctx_.store.fail_recording(job->target_id, e.what());
      const auto r = ctx_.store.load_recording_for_job(job->target_id);
      if (!r.webhook_url.empty()) call_webhook(r.webhook_url, r.id, "error");
    }
  }
  return true;
}

void JobWorkers::transcribe(const std::string& recording_id) {
  if (!ctx_.store.start_processing(recording_id)) return;  // deleted meanwhile
  const store::Recording r = ctx_.store.load_recording_for_job(recording_id);
  const auto settings = ctx_.store.workspace_settings(r.workspace_id);
  if (!r.owner_id.empty() && ctx_.store.get_user(r.owner_id).restricted) {
    ctx_.store.fail_recording(recording_id, "not processed: the owner has restricted processing of their data");
    return;
  }
  const auto bytes = ctx_.blobs.get(r.blob_name);
  const auto audio = audio::read_audio_memory(bytes, r.id);
  std::string transcript_json, notes_json;
  // P3: with notes off, neither the transcript nor notes are stored; the recording keeps audio.
  if (settings.notes_enabled) {
    asr::TranscribeOptions options;
    options.recognizer = ctx_.recognizer;
    auto transcript = asr::transcribe(audio, options);
    transcript.source = r.title;
    // Who spoke when, for the transcript's speakers and the UI's timeline. Voices are clustered
    // only, never named: naming speakers needs their opt-in consent and a profile (privacy P10).
    (void)meeting::diarize_transcript(transcript, audio, 0, "Speaker ");
    transcript_json = meeting::to_json(transcript).dump();
    auto notes = meeting::make_notes(transcript);
    // P13: the transcript leaves the machine only when the workspace's admin turned the
    // external summarizer on and the server has one configured.
    if (settings.external_summarizer && !ctx_.summarizer_url.empty()) {
      meeting::ExternalSummarizerOptions summarizer;
      summarizer.url = ctx_.summarizer_url;
      const std::string warning = meeting::apply_external_summary(notes, transcript, summarizer);
      if (!warning.empty()) std::fprintf(stderr, "hushd: %s\n", warning.c_str());
    }
    notes_json = meeting::to_json(notes).dump();
  }
  ctx_.store.finish_recording(recording_id, audio.duration_s(), transcript_json, notes_json);
  if (!r.webhook_url.empty()) call_webhook(r.webhook_url, r.id, "completed");
}

void call_webhook(const std::string& url, const std::string& recording_id, const std::string& status) {
  try {
    const auto parsed = parse_webhook_url(url);
    http_request(parsed.host, parsed.port, "POST", parsed.target, {{"Content-Type", "application/json"}},
                 nlohmann::json{{"id", recording_id}, {"status", status}}.dump(), parsed.tls,
                 std::chrono::milliseconds(10'000));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hushd: webhook for %s failed: %s\n", recording_id.c_str(), e.what());
  }
}

}  // namespace hush::server
