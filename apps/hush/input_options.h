// Options shared by commands that read audio: raw PCM needs its layout spelled out.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "audio/audio_file.h"

namespace hush::cli {

struct InputOptions {
  int raw_rate_hz = 0;  // > 0 (or a .raw/.pcm extension) reads the input as headerless PCM
  int raw_channels = 1;
  std::string raw_format = "s16le";
};

void add_input_options(CLI::App& cmd, InputOptions& options);
audio::AudioBuffer read_input(const std::string& path, const InputOptions& options);

}  // namespace hush::cli
