// hush transcribe FILE|- : speech to text on the device (PocketSphinx), with word times.
//
//   hush transcribe meeting.ogg --format srt -o meeting.srt
//   parec --format=s16le --rate=16000 --channels=1 | hush transcribe - --live
//
// Two-channel files are Hush meeting recordings: channel 0 (microphone) is "me", channel 1
// (system audio) "others". `-` reads raw s16le 16 kHz mono from stdin as it arrives.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "apps/hush/commands.h"
#include "apps/hush/input_options.h"
#include "apps/hush/library_save.h"
#include "apps/hush/text_files.h"
#include "asr/transcribe.h"
#include "asr/transcriber.h"
#include "audio/audio_file.h"
#include "crypto/hush_home.h"
#include "meeting/diarize_transcript.h"
#include "meeting/notes_maker.h"
#include "meeting/speaker_model.h"
#include "meeting/speaker_naming.h"
#include "meeting/transcript_export.h"
#include "store/meeting_library.h"
#include "util/error.h"
#include "util/progress.h"

namespace hush::cli {
namespace {

struct TranscribeArgs {
  std::string input, output, format, speakers = "none", title;
  bool denoise = false, live = false, quiet = false, save = false;
  float strength_db = 25.0f;
  InputOptions in;
};

// Reads stdin in 100 ms blocks of s16le 16 kHz mono.
constexpr std::size_t kStdinBlockBytes = 3200;

meeting::ExportFormat output_format(const TranscribeArgs& a) {
  if (!a.format.empty()) return meeting::export_format_from_name(a.format);
  const std::size_t dot = a.output.find_last_of('.');
  if (dot != std::string::npos && a.output.find('/', dot) == std::string::npos) {
    try {
      return meeting::export_format_from_name(a.output.substr(dot + 1));
    } catch (const Error&) {  // not a transcript extension: plain text
    }
  }
  return meeting::ExportFormat::txt;
}

// --speakers: 0 = none, -1 = auto, N > 0 = that many speakers in all.
int parse_speakers(const std::string& s) {
  if (s == "none") return 0;
  if (s == "auto") return -1;
  try {
    std::size_t used = 0;
    const int n = std::stoi(s, &used);
    if (used == s.size() && n >= 1 && n <= 8) return n;
  } catch (const std::exception&) {
  }
  throw Error(HUSH_ERR_INVALID_ARGUMENT, "--speakers: expected none, auto or a number 1..8, got '" + s + "'");
}

asr::DenoiseFrontEnd front_end(const TranscribeArgs& a) {
  asr::DenoiseFrontEnd d;
  d.enabled = a.denoise;
  d.strength_db = a.strength_db;
  return d;
}

// Names diarized speakers after the voice profiles people enrolled with consent (hush speakers).
// With no library or no profiles nothing is computed; speakers' embeddings stay in memory (P10).
void name_enrolled_speakers(meeting::Transcript& t, const std::vector<float>& mono_16k, int channel) {
  const std::string home = hush_home_dir();
  if (!std::filesystem::exists(std::filesystem::path(home) / "library.db")) return;  // don't create one
  auto library = store::open_meeting_library(home);
  const auto dims = static_cast<std::size_t>(meeting::SpeakerModel::builtin().embedding_dims());
  std::vector<meeting::NamedEmbedding> profiles;
  for (const store::SpeakerProfile& p : library->speakers()) {
    if (p.dimensions != dims) {
      std::fprintf(stderr, "hush: warning: voice profile '%s' is from another speaker model; enrol it again\n", p.name.c_str());
      continue;
    }
    if (auto e = library->speaker_embedding(p.name)) profiles.push_back({p.name, std::move(*e)});
  }
  for (const meeting::SpeakerNaming& n : meeting::name_speakers(t, mono_16k, channel, profiles))
    std::fprintf(stderr, "hush: %s is %s (voice profile similarity %.2f)\n", n.old_label.c_str(), n.name.c_str(),
                 double(n.similarity));
}

// Splits speech among speakers: the whole track for mono, the "others" channel for meetings.
void diarize_into(meeting::Transcript& t, const audio::AudioBuffer& audio, int speakers) {
  const meeting::DiarizedTrack track = meeting::diarize_transcript(t, audio, speakers, "S");
  name_enrolled_speakers(t, track.mono_16k, track.channel);
  if (track.meeting_channels) {  // "others" now split into S1, S2, ...: drop the label if nobody keeps it
    const bool used = std::any_of(t.segments.begin(), t.segments.end(),
                                  [](const meeting::Segment& s) { return s.speaker == asr::kOthersSpeaker; });
    if (!used) std::erase_if(t.speakers, [](const meeting::Speaker& s) { return s.id == asr::kOthersSpeaker; });
  }
}

void write_output(const TranscribeArgs& a, const meeting::Transcript& t) {
  write_text_output(a.output, meeting::export_transcript(t, output_format(a)));
}

// Prints interim hypotheses and finals as they come: on a terminal the interim line is
// rewritten in place; otherwise each update is its own line ("... " marks interims).
class LivePrinter {
 public:
  explicit LivePrinter(const meeting::Transcript& labels) : labels_(labels), tty_(isatty(fileno(stdout)) != 0) {}

  void interim(const asr::InterimResult& r) {
    std::string line = r.text.empty() ? "" : "... " + prefix(r.channel) + r.text;
    if (tty_) {
      constexpr std::size_t kMaxWidth = 100;  // keep to one terminal line: show the newest words
      if (line.size() > kMaxWidth) line = "..." + line.substr(line.size() - kMaxWidth + 3);
      std::printf("\r\033[K%s", line.c_str());
    } else if (!line.empty()) {
      std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
  }
  void final(const meeting::Segment& s) {
    std::printf("%s[%s] %s%s\n", tty_ ? "\r\033[K" : "", meeting::format_clock(s.start_s).c_str(),
                prefix(s.channel).c_str(), s.text.c_str());
    std::fflush(stdout);
  }

 private:
  std::string prefix(int channel) const {
    const std::string label = labels_.speaker_label(channel);
    return label.empty() ? std::string() : label + ": ";
  }
  const meeting::Transcript& labels_;
  bool tty_;
};

// The streaming path (--live, and stdin): one Transcriber per track, fed in 100 ms blocks.
struct LiveSession {
  meeting::Transcript transcript;
  std::unique_ptr<LivePrinter> printer;
  std::vector<std::unique_ptr<asr::Transcriber>> tracks;

  LiveSession(const TranscribeArgs& a, int rate_hz, int track_count, bool print) {
    if (track_count == 2) transcript.speakers = {{asr::kMeSpeaker, "me"}, {asr::kOthersSpeaker, "others"}};
    if (print) printer = std::make_unique<LivePrinter>(transcript);
    for (int c = 0; c < track_count; ++c) {
      asr::TranscriberOptions o;
      o.input_rate_hz = rate_hz;
      o.denoise = front_end(a);
      o.interim_results = print;
      o.channel = c;
      o.speaker = track_count == 2 ? c : meeting::kNoSpeaker;
      tracks.push_back(std::make_unique<asr::Transcriber>(
          o,
          [this](const meeting::Segment& s) {
            transcript.segments.push_back(s);
            if (printer) printer->final(s);
          },
          [this](const asr::InterimResult& r) {
            if (printer) printer->interim(r);
          }));
    }
    transcript.asr_engine = tracks.front()->engine_name();
  }
  void finish(double duration_s) {
    for (auto& t : tracks) t->finish();
    std::stable_sort(transcript.segments.begin(), transcript.segments.end(),
                     [](const meeting::Segment& x, const meeting::Segment& y) { return x.start_s < y.start_s; });
    transcript.duration_s = duration_s;
  }
};

meeting::Transcript transcribe_stdin(const TranscribeArgs& a) {
  LiveSession session(a, 16000, 1, a.live);
  std::vector<unsigned char> bytes(kStdinBlockBytes);
  std::vector<float> block;
  long long samples = 0;
  std::size_t carry = 0;  // an odd byte left from the previous read
  for (;;) {
    const std::size_t n = std::fread(bytes.data() + carry, 1, bytes.size() - carry, stdin);
    if (n == 0) break;
    const std::size_t have = carry + n;
    block.resize(have / 2);
    for (std::size_t i = 0; i < block.size(); ++i) {
      const auto v = static_cast<std::int16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
      block[i] = float(v) / 32768.0f;
    }
    carry = have % 2;
    if (carry) bytes[0] = bytes[have - 1];
    samples += static_cast<long long>(block.size());
    session.tracks[0]->accept(block);
  }
  if (std::ferror(stdin)) throw Error(HUSH_ERR_IO, "stdin: read error");
  if (samples == 0) throw Error(HUSH_ERR_FORMAT, "stdin: no audio (expected raw s16le 16 kHz mono)");
  session.finish(double(samples) / 16000.0);
  session.transcript.source = "-";
  return std::move(session.transcript);
}

meeting::Transcript transcribe_file_live(const TranscribeArgs& a, const audio::AudioBuffer& audio) {
  const bool two = audio.channels == 2 && !asr::channels_are_identical(audio);
  LiveSession session(a, audio.sample_rate_hz, two ? 2 : 1, true);
  std::vector<std::vector<float>> tracks;
  if (two) {
    tracks = {audio.channel(0), audio.channel(1)};
  } else {
    tracks.emplace_back(audio.frames(), 0.0f);
    for (int c = 0; c < audio.channels; ++c) {
      const std::vector<float> x = audio.channel(c);
      for (std::size_t i = 0; i < x.size(); ++i) tracks[0][i] += x[i] / float(audio.channels);
    }
  }
  const auto block = static_cast<std::size_t>(audio.sample_rate_hz / 10);
  for (std::size_t pos = 0; pos < audio.frames(); pos += block) {
    const std::size_t n = std::min(block, audio.frames() - pos);
    for (std::size_t c = 0; c < tracks.size(); ++c) session.tracks[c]->accept(std::span<const float>(tracks[c]).subspan(pos, n));
  }
  session.finish(audio.duration_s());
  return std::move(session.transcript);
}

// --save: the transcript and notes made from it go into the private library, attached to the
// recording's meeting when the file is already there.
void save_meeting(const TranscribeArgs& a, const meeting::Transcript& t) {
  const std::string home = hush_home_dir();
  auto library = store::open_meeting_library(home);
  LibraryEntry e;
  if (a.input != "-") e.audio_path = a.input;
  e.title = a.title.empty() && a.input == "-" ? "live transcript" : a.title;
  e.source = "hush transcribe";
  e.duration_s = t.duration_s;
  e.transcript = t;
  e.notes = meeting::make_notes(t);
  e.update_existing = true;
  const store::MeetingId id = save_to_library(*library, home, e);
  std::fprintf(stderr, "hush: saved the transcript and notes as meeting %lld (hush meetings show %lld)\n",
               static_cast<long long>(id), static_cast<long long>(id));
}

int run_transcribe(const TranscribeArgs& a) {
  const int speakers = parse_speakers(a.speakers);
  (void)output_format(a);  // a bad --format fails before the work
  meeting::Transcript t;
  if (a.input == "-") {
    if (speakers != 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "--speakers needs a file, not stdin");
    t = transcribe_stdin(a);
  } else {
    const audio::AudioBuffer audio = read_input(a.input, a.in);
    if (a.live) {
      t = transcribe_file_live(a, audio);
    } else {
      std::unique_ptr<util::ProgressBar> bar;
      if (!a.quiet && util::ProgressBar::worth_showing(audio.duration_s()))
        bar = std::make_unique<util::ProgressBar>("transcribing", 1.0);
      asr::TranscribeOptions o;
      o.denoise = front_end(a);
      if (bar) o.on_progress = [&](double f) { bar->update(f); };
      t = asr::transcribe(audio, o);
      if (bar) bar->finish();
    }
    t.source = a.input;
    if (speakers != 0) diarize_into(t, audio, speakers);
  }
  // Live output already went to stdout; the formatted transcript goes to -o only.
  if (!a.live || !a.output.empty()) write_output(a, t);
  if (a.save) save_meeting(a, t);
  return 0;
}

}  // namespace

Command add_transcribe_command(CLI::App& app) {
  auto args = std::make_shared<TranscribeArgs>();
  CLI::App* cmd = app.add_subcommand("transcribe", "Speech to text with word times, on the device");
  cmd->add_option("input", args->input,
                  "Audio file (WAV, FLAC, Ogg Vorbis/Opus, raw PCM), or - for raw s16le 16 kHz mono on stdin")
      ->required();
  cmd->add_option("-o,--output", args->output, "Write the transcript here (default: stdout)");
  cmd->add_option("--format", args->format, std::string("Output format: ") + meeting::kExportFormatsHelp +
                                                " (default: from the -o extension, else txt)")
      ->check(CLI::IsMember({"txt", "srt", "vtt", "json", "md"}));
  cmd->add_flag("--denoise", args->denoise, "Run the Hush denoiser in front of the recognizer");
  cmd->add_option("--strength-db", args->strength_db, "Denoiser's maximum attenuation in dB (0-60)")
      ->check(CLI::Range(0.0f, 60.0f))
      ->capture_default_str();
  cmd->add_flag("--live", args->live, "Print interim words as they are recognized, and each final line");
  cmd->add_option("--speakers", args->speakers,
                  "Tell speakers apart: none, auto, or N speakers in all (\"me\" counts in two-channel files)")
      ->capture_default_str();
  cmd->add_flag("--save", args->save,
                "Keep the transcript and its notes in the private meeting library (see hush meetings)");
  cmd->add_option("--title", args->title, "Meeting title for --save (default: the file name)");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress bar");
  add_input_options(*cmd, args->in);
  return [args] { return run_transcribe(*args); };
}

}  // namespace hush::cli
