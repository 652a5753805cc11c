// Shared fixtures for the audio file tests: sines written with libsndfile directly (so the
// reader is not only tested against our own writer), byte-level helpers for corrupting files,
// and a per-test temp dir.
#pragma once

#include <gtest/gtest.h>
#include <sndfile.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "audio/ogg_crc.h"
#include "util/error.h"

namespace hush_test {

namespace fs = std::filesystem;
using hush::audio::AudioBuffer;

inline const std::string kOpusFixture = HUSH_SOURCE_DIR "/tests/data/sine_440_880_stereo.opus";

// Channel c holds a sine at 440 * (c + 1) Hz, amplitude 0.5.
inline AudioBuffer sine(int rate, int channels, double seconds) {
  AudioBuffer a{rate, channels, {}};
  const auto frames = static_cast<std::size_t>(rate * seconds);
  for (std::size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {
      a.samples.push_back(static_cast<float>(
          0.5 * std::sin(2 * std::numbers::pi * 440 * (c + 1) * double(i) / rate)));
    }
  }
  return a;
}

inline void write_sndfile(const std::string& path, int format, const AudioBuffer& a) {
  SF_INFO info{};
  info.samplerate = a.sample_rate_hz;
  info.channels = a.channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  sf_writef_float(f, a.samples.data(), static_cast<sf_count_t>(a.frames()));
  sf_close(f);
}

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

inline void put_le32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Rewrites the CRC of the Ogg page at `pos`, so that a deliberate edit reaches the codec.
inline void fix_ogg_crc(std::vector<std::uint8_t>& b, std::size_t pos) {
  std::size_t size = 27 + b[pos + 26];
  for (std::size_t i = 0; i < b[pos + 26]; ++i) size += b[pos + 27 + i];
  put_le32(b, pos + 22, 0);
  put_le32(b, pos + 22, hush::audio::ogg_crc_update(0, b.data() + pos, size));
}

// Runs fn, expecting hush::Error with `code`, a one-line message starting with `name`.
inline void expect_error(const std::function<void()>& fn, hush_error code, const std::string& name,
                         const std::string& fragment) {
  try {
    fn();
    ADD_FAILURE() << "no error; wanted " << fragment;
  } catch (const hush::Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.code(), code) << msg;
    EXPECT_EQ(msg.rfind(name + ": ", 0), 0u) << msg;
    EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

inline float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

inline int zero_crossings(const std::vector<float>& x) {
  int n = 0;
  for (std::size_t i = 1; i < x.size(); ++i) n += (x[i - 1] < 0) != (x[i] < 0);
  return n;
}

// Lower-case like the other suites, so that `ctest -R audio` selects these tests.
class audio_file : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hush-audio-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string wav16(const std::string& name, const AudioBuffer& a) {
    write_sndfile(path(name), SF_FORMAT_WAV | SF_FORMAT_PCM_16, a);
    return path(name);
  }

  std::string dir_;
};

}  // namespace hush_test
