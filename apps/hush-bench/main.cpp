// hush-bench: builds the dev set and measures quality and speed of the noise engines.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "apps/hush-bench/asr.h"
#include "apps/hush-bench/call.h"
#include "apps/hush-bench/file_load.h"
#include "apps/hush-bench/listen.h"
#include "apps/hush-bench/devset.h"
#include "apps/hush-bench/independent_set.h"
#include "apps/hush-bench/diarize.h"
#include "apps/hush-bench/notes.h"
#include "apps/hush-bench/quality.h"
#include "apps/hush-bench/speaker_id.h"
#include "apps/hush-bench/speaker_stats.h"
#include "apps/hush-bench/speed.h"
#include "enhance/offline_denoise.h"
#include "util/error.h"

namespace {

std::string default_data_dir() {
  if (const char* env = std::getenv("HUSH_DATA")) return env;
  return "../shared/data";
}

// --audio (required), --host, --port and --key (default $HUSHD_KEY) for a hushd load bench.
void add_hushd_target_options(CLI::App* command, hush::bench::HushdTarget& target, const char* audio_help) {
  if (const char* key = std::getenv("HUSHD_KEY")) target.key = key;
  command->add_option("--audio", target.audio_path, audio_help)->required();
  command->add_option("--host", target.host, "hushd address")->capture_default_str();
  command->add_option("--port", target.port, "hushd port")->capture_default_str();
  command->add_option("--key", target.key, "API key (default $HUSHD_KEY)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hush-bench: quality and speed of Hush's noise engines"};
  app.require_subcommand(1);

  hush::bench::DevSetOptions dev;
  dev.data_dir = default_data_dir();
  dev.out_dir = "build/devset";
  auto* devset = app.add_subcommand("devset", "Build the deterministic dev set from HUSH_DATA");
  devset->add_option("--data", dev.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  devset->add_option("--out", dev.out_dir, "Output folder")->capture_default_str();
  devset->add_option("--clips-per-snr", dev.clips_per_snr, "Clips per SNR")->capture_default_str();

  hush::bench::IndependentSetOptions indep;
  indep.data_dir = default_data_dir();
  indep.out_dir = "build/independent-set";
  auto* independent = app.add_subcommand(
      "independent-set", "Build the independent evaluation set: speakers and noises neither training nor the dev set scores");
  independent->add_option("--data", indep.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  independent->add_option("--out", indep.out_dir, "Output folder")->capture_default_str();
  independent->add_option("--clips-per-snr", indep.clips_per_snr, "Clips per SNR")->capture_default_str();

  hush::bench::QualityOptions q;
  q.devset_dir = "build/devset";
  auto* quality = app.add_subcommand("quality", "Noisy vs enhanced STOI, ESTOI, SI-SDR, DNSMOS by SNR");
  quality->add_option("--devset", q.devset_dir, "Dev set folder (from `hush-bench devset`)")->capture_default_str();
  const std::string engine_help = std::string("Engine: ") + hush::enhance::kEngineNamesHelp + " (default = neural)";
  quality->add_option("--engine", q.engine, engine_help)->capture_default_str();
  quality->add_option("--model", q.model_path, "Neural model file (.hnn) instead of the built-in one");
  quality->add_option("--enhanced", q.enhanced_dir,
                      "Score another denoiser's output instead: DIR/<clip id>.wav, 16 kHz mono, aligned "
                      "(bench/rnnoise.mjs writes RNNoise's)");
  quality->add_option("--strength-db", q.strength_db, "Maximum attenuation")->capture_default_str();
  quality->add_option("--rate", q.rate_hz, "Rate the denoiser runs at (Hz); scored at 16 kHz")
      ->check(CLI::IsMember(hush::bench::kQualityRatesHz))
      ->capture_default_str();
  quality->add_option("--markdown", q.markdown_path, "Also write the table to this Markdown file");
  quality->add_option("--json", q.json_path, "Also write every row and per-clip score to this JSON file");
  quality->add_option("--dnsmos-script", q.dnsmos_script, "Path to bench/dnsmos.mjs (empty: no DNSMOS)");
  quality->add_option("--limit-per-snr", q.limit_per_snr, "Use only the first N clips per SNR");
  quality->add_option("--threads", q.threads, "Worker threads")->capture_default_str();
  quality->add_flag("--gate", q.gate, "Fail (exit 5) when a quality target is missed at 0..10 dB SNR");
  quality->add_option("--gate-si-sdr-gain-db", q.gate_si_sdr_gain_db, "Minimum SI-SDR gain")->capture_default_str();
  quality->add_option("--gate-stoi-delta", q.gate_stoi_delta, "Minimum STOI change")->capture_default_str();
  quality->add_option("--gate-ovrl-delta", q.gate_ovrl_delta, "DNSMOS OVRL change must exceed")->capture_default_str();

  hush::bench::SpeedOptions s;
  auto* speed = app.add_subcommand("speed", "Real-time factor and µs per 10 ms frame at 16 and 48 kHz");
  speed->add_option("--engine", s.engine, engine_help)->capture_default_str();
  speed->add_option("--model", s.model_path, "Neural model file (.hnn) instead of the built-in one");
  speed->add_option("--seconds", s.seconds, "Audio seconds per rate")->capture_default_str();
  speed->add_option("--markdown", s.markdown_path, "Also write the table to this Markdown file");

  hush::bench::SpeakerStatsOptions ss;
  ss.data_dir = default_data_dir();
  auto* speaker_stats = app.add_subcommand("speaker-stats", "Window statistics of LibriSpeech speakers (for train/speaker_lda.py)");
  speaker_stats->add_option("--data", ss.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  speaker_stats->add_option("--out", ss.out_prefix, "Output prefix (writes .f32 and .tsv)")->capture_default_str();
  speaker_stats->add_option("--augmented-copies", ss.augmented_copies, "Simulated-room copies per utterance")->capture_default_str();

  hush::bench::DiarizeBenchOptions db;
  db.data_dir = default_data_dir();
  auto* diarize = app.add_subcommand("diarize", "Diarization error rate on the meeting clips vs a one-speaker baseline");
  diarize->add_option("--data", db.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  diarize->add_option("--markdown", db.markdown_path, "Markdown table output (empty: none)")->capture_default_str();
  diarize->add_option("--json", db.json_path, "JSON output (empty: none)")->capture_default_str();
  diarize->add_flag("--tune", db.tune, "Grid-search the knobs on the train + development clips first");

  hush::bench::NotesBenchOptions nb;
  nb.data_dir = default_data_dir();
  auto* notes = app.add_subcommand("notes", "ROUGE of meeting summaries on AMI, action-item precision/recall");
  notes->add_option("--data", nb.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  notes->add_option("--split", nb.split, "AMI split: train (tuning), dev (reporting), test")->capture_default_str();
  notes->add_option("--action-items", nb.action_items_path, "Hand-labelled action-item TSV")->capture_default_str();
  notes->add_option("--markdown", nb.markdown_path, "Markdown output (empty: none)")->capture_default_str();
  notes->add_option("--json", nb.json_path, "JSON output (empty: none)")->capture_default_str();
  notes->add_option("--mmr-lambda", nb.mmr_lambda, "Override the MMR lambda (tuning on train)");
  notes->add_option("--min-summary-words", nb.min_summary_words, "Override the shortest summary sentence");

  hush::bench::AsrBenchOptions ab;
  ab.data_dir = default_data_dir();
  auto* asr = app.add_subcommand("asr", "Word error rate of transcription: clean, noisy, noisy + denoiser; RTF");
  asr->add_option("--data", ab.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  asr->add_option("--markdown", ab.markdown_path, "Markdown table output (empty: none)")->capture_default_str();
  asr->add_option("--json", ab.json_path, "JSON output (empty: none)")->capture_default_str();
  asr->add_option("--limit", ab.limit, "Use N utterances spread over the set (0: all)")->capture_default_str();
  asr->add_option("--threads", ab.threads, "Worker threads")->capture_default_str();
  asr->add_option("--strength-db", ab.strength_db, "Denoiser front end's maximum attenuation")->capture_default_str();
  asr->add_option("--snr", ab.snrs_db, "Noise SNRs in dB")->capture_default_str();
  asr->add_flag("--spectral", ab.spectral, "Also score the spectral engine as front end");
  asr->add_flag("--live", ab.streamed_finals, "Decode as hushd's live streams do (finals=fast: no second pass)");

  hush::bench::SpeakerIdBenchOptions sid;
  sid.data_dir = default_data_dir();
  auto* speaker_id = app.add_subcommand("speaker-id", "Enrolled-speaker recognition: similarity distributions, EER, naming threshold");
  speaker_id->add_option("--data", sid.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  speaker_id->add_option("--markdown", sid.markdown_path, "Markdown table output (empty: none)")->capture_default_str();
  speaker_id->add_option("--json", sid.json_path, "JSON output (empty: none)")->capture_default_str();

  hush::bench::CallBenchOptions cb;
  cb.data_dir = default_data_dir();
  auto* call = app.add_subcommand("call", "Two-way call pipeline on simulated calls: ERLE, double talk, background voices, latency, RTF");
  call->add_option("--data", cb.data_dir, "Data folder (default $HUSH_DATA or ../shared/data)");
  call->add_option("--markdown", cb.markdown_path, "Markdown table output (empty: none)")->capture_default_str();
  call->add_option("--json", cb.json_path, "JSON output (empty: none)")->capture_default_str();
  call->add_option("--aec", cb.aecs, "Echo cancellers: off webrtc speex default")->capture_default_str();
  call->add_option("--rate", cb.rates_hz, "Call rates (Hz)")->check(CLI::IsMember({8000, 16000, 32000, 48000}))->capture_default_str();
  call->add_option("--engine", cb.engine, engine_help)->capture_default_str();
  call->add_option("--scenarios", cb.scenarios, "Echo paths (6+ covers every delay/drift/nonlinearity kind)")->capture_default_str();
  call->add_option("--mixtures", cb.background_mixtures, "Background-voice mixtures")->capture_default_str();
  call->add_option("--rtf-seconds", cb.rtf_seconds, "Audio seconds timed per configuration")->capture_default_str();
  call->add_option("--noise-dbfs", cb.levels.noise_dbfs, "Microphone noise level")->capture_default_str();
  call->add_option("--seed", cb.seed, "Simulation seed")->capture_default_str();
  call->add_option("--threads", cb.threads, "Worker threads")->capture_default_str();
  call->add_flag("--known-delay", cb.known_delay, "Tell the pipeline each path's true delay (echo_delay_ms)");
  call->add_flag("--quick", cb.quick, "Smoke run: 2 echo paths, 2 mixtures, short phases");

  hush::bench::ListenBenchOptions lb;
  auto* listen = app.add_subcommand("listen", "Stream audio to hushd's /v1/listen at real time from N clients");
  add_hushd_target_options(listen, lb.target, "Audio file to stream");
  listen->add_option("--rate", lb.rate_hz, "Sample rate sent (Hz)")->capture_default_str();
  listen->add_option("--streams", lb.stream_counts, "Concurrent streams; a list (10,20,30) runs each in turn")
      ->delimiter(',')->capture_default_str()->check(CLI::Range(1, 10000));
  listen->add_option("--repeat", lb.repeat, "Send the file this many times per stream (1 s pauses between)")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  listen->add_flag("!--no-stagger", lb.stagger, "Start all streams at once instead of spread over the file's length");
  listen->add_option("--max-p95-ms", lb.max_p95_ms, "Latency bound for 'held'")->capture_default_str();
  listen->add_option("--server-pid", lb.server_pid, "hushd's process id: report its CPU use");
  listen->add_option("--speed", lb.speed, "1 = real time, 0 = as fast as possible")->capture_default_str();
  listen->add_option("--query", lb.extra_query, "Extra query parameters, e.g. denoise=true");
  listen->add_option("--markdown", lb.markdown_path, "Also write the table to this Markdown file");
  listen->add_flag("!--quiet", lb.print, "Do not print stream 0's messages");

  hush::bench::FileLoadOptions fl;
  auto* file_load = app.add_subcommand("file-load", "Requests/s of hushd's POST /v1/audio/transcriptions");
  add_hushd_target_options(file_load, fl.target, "Audio file to send");
  file_load->add_option("--clients", fl.concurrency, "Concurrent clients; a list runs each in turn")
      ->delimiter(',')->capture_default_str()->check(CLI::Range(1, 1000));
  file_load->add_option("--requests", fl.requests, "Requests per level")->capture_default_str()->check(CLI::Range(1, 100000));
  file_load->add_option("--markdown", fl.markdown_path, "Also write the table to this Markdown file");

  CLI11_PARSE(app, argc, argv);
  try {
    if (devset->parsed()) {
      const auto clips = hush::bench::build_dev_set(dev);
      std::printf("wrote %zu clips to %s\n", clips.size(), dev.out_dir.c_str());
      return 0;
    }
    if (independent->parsed()) {
      const auto clips = hush::bench::build_independent_set(indep);
      std::printf("wrote %zu clips to %s\n", clips.size(), indep.out_dir.c_str());
      return 0;
    }
    if (quality->parsed()) return hush::bench::run_quality(q);
    if (speed->parsed()) return hush::bench::run_speed(s);
    if (notes->parsed()) return hush::bench::run_notes_bench(nb);
    if (asr->parsed()) return hush::bench::run_asr_bench(ab);
    if (call->parsed()) return hush::bench::run_call_bench(cb);
    if (listen->parsed()) return hush::bench::run_listen_bench(lb);
    if (file_load->parsed()) return hush::bench::run_file_load_bench(fl);
    if (diarize->parsed()) return hush::bench::run_diarize_bench(db);
    if (speaker_id->parsed()) return hush::bench::run_speaker_id_bench(sid);
    if (speaker_stats->parsed()) {
      std::printf("wrote %lld windows to %s.f32\n", hush::bench::write_speaker_stats(ss), ss.out_prefix.c_str());
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hush-bench: error: %s\n", e.what());
    return 1;
  }
  return 2;
}
