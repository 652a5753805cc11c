#include "apps/hush/speech_synth.h"

#include <espeak-ng/speak_lib.h>

#include <cstring>
#include <vector>

#include "util/error.h"

namespace hush::cli {
namespace {

int collect(short* wav, int count, espeak_EVENT* events) {
  auto* out = static_cast<std::vector<float>*>(events->user_data);
  if (wav && out) {
    for (int i = 0; i < count; ++i) out->push_back(float(wav[i]) / 32768.0f);
  }
  return 0;  // continue synthesis
}

}  // namespace

audio::AudioBuffer synthesize_speech(const std::string& text) {
  const int rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
  if (rate <= 0) throw Error(HUSH_ERR_IO, "espeak-ng could not start (is espeak-ng-data installed?)");
  espeak_SetSynthCallback(collect);
  if (espeak_SetVoiceByName("en-us") != EE_OK && espeak_SetVoiceByName("en") != EE_OK) {
    espeak_Terminate();
    throw Error(HUSH_ERR_IO, "espeak-ng has no English voice");
  }
  espeak_SetParameter(espeakRATE, 155, 0);
  std::vector<float> samples;
  const espeak_ERROR err = espeak_Synth(text.c_str(), text.size() + 1, 0, POS_CHARACTER, 0,
                                        espeakCHARS_UTF8, nullptr, &samples);
  espeak_Synchronize();
  espeak_Terminate();
  if (err != EE_OK || samples.empty()) throw Error(HUSH_ERR_INTERNAL, "espeak-ng produced no audio");
  audio::AudioBuffer speech;
  speech.sample_rate_hz = rate;
  speech.channels = 1;
  speech.samples = std::move(samples);
  return speech;
}

}  // namespace hush::cli
