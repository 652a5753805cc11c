// hush speakers: opt-in voice profiles, so `hush transcribe --speakers` can name people
// (privacy P10: a profile is computed and stored only with the person's consent; withdrawing
// consent deletes it from every file of the library).
//
//   hush speakers enroll NAME VOICE.wav --consent   # >= 5 s of NAME's speech, nobody else's
//   hush speakers list
//   hush speakers withdraw NAME
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "apps/hush/commands.h"
#include "audio/resample.h"
#include "crypto/hush_home.h"
#include "meeting/diarize.h"
#include "meeting/recording_file.h"
#include "meeting/speaker_features.h"
#include "meeting/speaker_naming.h"
#include "store/meeting_library.h"
#include "util/error.h"

namespace hush::cli {
namespace {

struct SpeakersArgs {
  CLI::App *enroll = nullptr, *list = nullptr, *withdraw = nullptr;
  std::string name, voice;
  bool consent = false;
};

constexpr std::size_t kMaxNameBytes = 64;

// A name shows up as a speaker label in transcripts, so it must not pass for one of Hush's own
// labels ("me", "others", "S1", ...) or break a line of output.
void check_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker name must be 1 to " + std::to_string(kMaxNameBytes) + " bytes");
  if (std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "speaker name must not contain control characters");
  const bool anonymous_label = name.size() > 1 && name[0] == 'S' &&
                               std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (name == "me" || name == "others" || anonymous_label)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "'" + name + "' is a label Hush gives speakers itself; choose another name");
}

std::vector<float> mono_16k_of(const audio::AudioBuffer& audio) {
  std::vector<float> mono(audio.frames(), 0.0f);
  for (int c = 0; c < audio.channels; ++c) {
    const std::vector<float> x = audio.channel(c);
    for (std::size_t i = 0; i < x.size(); ++i) mono[i] += x[i] / float(audio.channels);
  }
  return audio::resample(mono, 1, audio.sample_rate_hz, meeting::kSpeakerRateHz);
}

int enroll(const SpeakersArgs& a) {
  check_name(a.name);
  // Consent comes first: without it the voice file is not even read.
  if (!a.consent)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "enrolling '" + a.name +
                                               "' needs their explicit consent: add --consent once they have agreed "
                                               "(nothing was read or stored)");
  const std::vector<float> mono = mono_16k_of(meeting::read_recording(a.voice));
  const double speech_s = meeting::speech_seconds(mono);
  if (speech_s < meeting::kMinEnrollSpeechS) {
    char got[32];
    std::snprintf(got, sizeof got, "%.1f", speech_s);
    throw Error(HUSH_ERR_INVALID_ARGUMENT, a.voice + ": only " + got + " s of speech; enrolling needs at least " +
                                               std::to_string(static_cast<int>(meeting::kMinEnrollSpeechS)) +
                                               " s of " + a.name + " speaking");
  }
  const std::vector<float> embedding = meeting::speaker_embedding(mono);
  auto library = store::open_meeting_library(hush_home_dir());
  const auto existing = library->speakers();
  const bool replacing = std::any_of(existing.begin(), existing.end(),
                                     [&](const store::SpeakerProfile& p) { return p.name == a.name; });
  library->enroll_speaker(a.name, embedding, a.consent);
  std::printf("%s voice profile '%s' from %.1f s of speech; hush transcribe --speakers will name them.\n"
              "Withdraw consent at any time with: hush speakers withdraw '%s' (deletes the profile)\n",
              replacing ? "replaced the" : "enrolled", a.name.c_str(), speech_s, a.name.c_str());
  return 0;
}

std::string utc_time(std::int64_t t_s) {
  const auto t = static_cast<std::time_t>(t_s);
  std::tm tm{};
  char out[32] = "?";
  if (gmtime_r(&t, &tm)) std::strftime(out, sizeof out, "%Y-%m-%d %H:%M UTC", &tm);
  return out;
}

int list() {
  auto library = store::open_meeting_library(hush_home_dir());
  const auto profiles = library->speakers();
  if (profiles.empty()) {
    std::printf("no speaker profiles (enroll one with: hush speakers enroll NAME VOICE.wav --consent)\n");
    return 0;
  }
  std::printf("%-24s %s\n", "NAME", "CONSENT GIVEN");
  for (const auto& p : profiles) std::printf("%-24s %s\n", p.name.c_str(), utc_time(p.consent_at_s).c_str());
  return 0;
}

int withdraw(const SpeakersArgs& a) {
  auto library = store::open_meeting_library(hush_home_dir());
  library->withdraw_speaker(a.name);  // unknown name: a clear error
  std::printf("withdrew '%s': the voice profile is deleted; new transcripts will not name them\n", a.name.c_str());
  return 0;
}

}  // namespace

Command add_speakers_command(CLI::App& app) {
  auto a = std::make_shared<SpeakersArgs>();
  CLI::App* cmd = app.add_subcommand("speakers", "Opt-in voice profiles that name people in transcripts");
  cmd->require_subcommand(1);
  a->enroll = cmd->add_subcommand("enroll", "Enrol a person's voice, with their consent (>= 5 s of their speech)");
  a->enroll->add_option("name", a->name, "The name transcripts will show")->required();
  a->enroll->add_option("voice", a->voice, "Audio of that person alone speaking (WAV, FLAC, Ogg)")->required();
  a->enroll->add_flag("--consent", a->consent, "The person has explicitly agreed to have a voice profile stored");
  a->list = cmd->add_subcommand("list", "List voice profiles and when consent was given");
  a->withdraw = cmd->add_subcommand("withdraw", "Withdraw a person's consent: deletes their voice profile");
  a->withdraw->add_option("name", a->name, "Profile name (see hush speakers list)")->required();
  return [a] {
    if (a->enroll->parsed()) return enroll(*a);
    if (a->list->parsed()) return list();
    return withdraw(*a);
  };
}

}  // namespace hush::cli
