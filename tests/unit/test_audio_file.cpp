// Reading, probing and writing audio files that are fine: round trips through every output
// format, every input codec, raw PCM, and what the writer does with awkward samples or paths.
// The one Ogg Opus fixture is committed under tests/data; everything else is generated.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <tuple>

#include "audio/audio_file.h"
#include "audio_file_fixtures.h"
#include "util/error.h"

namespace {

using namespace hush_test;

// --- Round trips ---------------------------------------------------------------------------

enum class Out { wav16, wav24, wavf, flac };
class audio_round_trip : public audio_file,
                         public ::testing::WithParamInterface<std::tuple<Out, int, int>> {};

TEST_P(audio_round_trip, WriteThenReadMatches) {
  const auto [out, rate, channels] = GetParam();
  const AudioBuffer a = sine(rate, channels, 0.25);
  const std::string file = path(out == Out::flac ? "x.flac" : "x.wav");
  const auto wav = out == Out::wav16   ? hush::audio::WavSampleFormat::pcm16
                   : out == Out::wav24 ? hush::audio::WavSampleFormat::pcm24
                                       : hush::audio::WavSampleFormat::float32;
  hush::audio::write_audio(file, a, wav);
  const AudioBuffer b = hush::audio::read_audio(file);
  EXPECT_EQ(b.sample_rate_hz, rate);
  EXPECT_EQ(b.channels, channels);
  ASSERT_EQ(b.frames(), a.frames());
  const float tolerance = out == Out::wav16 ? 1e-4f : out == Out::wavf ? 0.0f : 1e-6f;
  EXPECT_LE(max_abs_diff(a.samples, b.samples), tolerance);
  EXPECT_EQ(b.samples.capacity(), b.samples.size());  // the header's length was reserved exactly

  const auto info = hush::audio::probe_audio(file);
  EXPECT_EQ(info.container, out == Out::flac ? "FLAC" : "WAV");
  EXPECT_EQ(info.codec, out == Out::wav16   ? "PCM 16-bit"
                        : out == Out::wav24 ? "PCM 24-bit"
                        : out == Out::wavf  ? "float 32-bit"
                                            : "FLAC 24-bit");
  EXPECT_EQ(info.sample_rate_hz, rate);
  EXPECT_EQ(info.channels, channels);
  EXPECT_EQ(info.frames, static_cast<std::int64_t>(a.frames()));

  const AudioBuffer m = hush::audio::read_audio_memory(read_bytes(file));
  EXPECT_EQ(m.samples, b.samples);
}

INSTANTIATE_TEST_SUITE_P(formats, audio_round_trip,
                         ::testing::Combine(::testing::Values(Out::wav16, Out::wav24, Out::wavf,
                                                              Out::flac),
                                            ::testing::Values(8000, 16000, 22050, 44100, 48000),
                                            ::testing::Values(1, 2)));

TEST_F(audio_file, IntegerOutputIsClippedAndNanBecomesSilence) {
  const AudioBuffer a{16000, 1, {1.5f, -2.0f, NAN, 0.25f}};
  hush::audio::write_audio(path("c.wav"), a);
  const AudioBuffer b = hush::audio::read_audio(path("c.wav"));
  ASSERT_EQ(b.samples.size(), 4u);
  EXPECT_NEAR(b.samples[0], 1.0f, 1e-4f);
  EXPECT_NEAR(b.samples[1], -1.0f, 1e-4f);
  EXPECT_EQ(b.samples[2], 0.0f);
  EXPECT_NEAR(b.samples[3], 0.25f, 1e-4f);
}

TEST_F(audio_file, FloatInputIsClampedOnRead) {
  write_sndfile(path("f.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                AudioBuffer{16000, 1, {3.0f, NAN, -0.5f}});
  EXPECT_EQ(hush::audio::read_audio(path("f.wav")).samples,
            (std::vector<float>{1.0f, 0.0f, -0.5f}));
}

TEST_F(audio_file, OverwritesAtomicallyWithNormalPermissions) {
  const std::string file = path("o.flac");
  hush::audio::write_audio(file, sine(16000, 1, 0.1));
  hush::audio::write_audio(file, sine(8000, 2, 0.2));
  EXPECT_EQ(hush::audio::read_audio(file).sample_rate_hz, 8000);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
  const mode_t mask = umask(022);
  umask(mask);
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST_F(audio_file, ChannelDeinterleaves) {
  const AudioBuffer a{16000, 2, {1, 2, 3, 4, 5, 6}};
  EXPECT_EQ(a.channel(0), (std::vector<float>{1, 3, 5}));
  EXPECT_EQ(a.channel(1), (std::vector<float>{2, 4, 6}));
  expect_error([&] { a.channel(2); }, HUSH_ERR_INVALID_ARGUMENT, "AudioBuffer::channel",
               "out of range");
}

TEST_F(audio_file, MonoIsTheMeanOfTheChannels) {
  EXPECT_EQ((AudioBuffer{16000, 2, {1, 3, -2, 4, 0.5f, 0.5f}}.mono()), (std::vector<float>{2, 1, 0.5f}));
  EXPECT_EQ((AudioBuffer{16000, 1, {0.25f, -1}}.mono()), (std::vector<float>{0.25f, -1}));
  EXPECT_TRUE((AudioBuffer{16000, 0, {}}.mono()).empty());
}

// --- Other codecs ----------------------------------------------------------------------------

TEST_F(audio_file, ReadsOggVorbis) {
  const std::string file = path("v.ogg");
  write_sndfile(file, SF_FORMAT_OGG | SF_FORMAT_VORBIS, sine(44100, 2, 0.5));
  const AudioBuffer b = hush::audio::read_audio(file);
  EXPECT_EQ(b.sample_rate_hz, 44100);
  EXPECT_EQ(b.channels, 2);
  EXPECT_NEAR(double(b.frames()), 22050, 2048);
  EXPECT_NEAR(zero_crossings(b.channel(0)), 440, 10);
  EXPECT_NEAR(zero_crossings(b.channel(1)), 880, 10);
  const auto info = hush::audio::probe_audio(file);
  EXPECT_EQ(info.container, "Ogg");
  EXPECT_EQ(info.codec, "Vorbis");
}

TEST_F(audio_file, ReadsOggOpusAt48kHz) {
  const AudioBuffer b = hush::audio::read_audio(kOpusFixture);
  EXPECT_EQ(b.sample_rate_hz, 48000);
  ASSERT_EQ(b.channels, 2);
  EXPECT_EQ(b.frames(), 14400u);                      // 0.3 s, pre-skip and end padding trimmed
  EXPECT_NEAR(zero_crossings(b.channel(0)), 264, 8);  // 440 Hz left, 880 Hz right
  EXPECT_NEAR(zero_crossings(b.channel(1)), 528, 8);
  const auto info = hush::audio::probe_audio(kOpusFixture);
  EXPECT_EQ(info.container, "Ogg");
  EXPECT_EQ(info.codec, "Opus");
  EXPECT_EQ(info.sample_rate_hz, 48000);
  EXPECT_EQ(info.channels, 2);
  EXPECT_EQ(info.frames, 14400);
  EXPECT_EQ(hush::audio::read_audio_memory(read_bytes(kOpusFixture)).samples, b.samples);
}

TEST_F(audio_file, ReadsOtherWavFlavoursAndTaggedFlac) {
  const AudioBuffer a = sine(16000, 1, 0.1);
  for (const int format : {SF_FORMAT_WAVEX | SF_FORMAT_PCM_24, SF_FORMAT_W64 | SF_FORMAT_PCM_16,
                           SF_FORMAT_RF64 | SF_FORMAT_FLOAT, SF_FORMAT_WAV | SF_FORMAT_ULAW}) {
    write_sndfile(path("w"), format, a);
    EXPECT_EQ(hush::audio::read_audio(path("w")).frames(), a.frames()) << std::hex << format;
  }
  // An ID3v2 tag (10-byte header, 6 bytes of padding) in front of a FLAC file.
  write_sndfile(path("f.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, a);
  std::vector<std::uint8_t> tagged = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0};
  const auto flac = read_bytes(path("f.flac"));
  tagged.insert(tagged.end(), flac.begin(), flac.end());
  EXPECT_EQ(hush::audio::read_audio_memory(tagged).frames(), a.frames());
}

TEST_F(audio_file, ReadsRawPcm) {
  write_bytes(path("s16.raw"), {0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80});
  const AudioBuffer s =
      hush::audio::read_raw_pcm(path("s16.raw"), {8000, 2, hush::audio::RawSampleFormat::s16le});
  EXPECT_EQ(s.sample_rate_hz, 8000);
  EXPECT_EQ(s.channels, 2);
  EXPECT_EQ(s.samples, (std::vector<float>{0.5f, -0.5f, 32767 / 32768.0f, -1.0f}));

  write_bytes(path("u8.raw"), {0x80, 0xc0, 0x00});
  EXPECT_EQ(hush::audio::read_raw_pcm(path("u8.raw"), {16000, 1, hush::audio::RawSampleFormat::u8})
                .samples,
            (std::vector<float>{0.0f, 0.5f, -1.0f}));

  const float f[2] = {0.25f, -0.75f};
  std::vector<std::uint8_t> fb(sizeof f);
  std::memcpy(fb.data(), f, sizeof f);
  write_bytes(path("f32.raw"), fb);
  EXPECT_EQ(
      hush::audio::read_raw_pcm(path("f32.raw"), {48000, 1, hush::audio::RawSampleFormat::f32le})
          .samples,
      (std::vector<float>{0.25f, -0.75f}));

  expect_error(
      [&] {
        hush::audio::read_raw_pcm(path("s16.raw"), {1000, 1, {}});
      },
      HUSH_ERR_INVALID_ARGUMENT, path("s16.raw"), "1000 Hz");
  expect_error(
      [&] {
        hush::audio::read_raw_pcm(path("s16.raw"), {16000, 0, {}});
      },
      HUSH_ERR_INVALID_ARGUMENT, path("s16.raw"), "0 channels");
  write_bytes(path("empty.raw"), {});
  expect_error([&] { hush::audio::read_raw_pcm(path("empty.raw"), {}); }, HUSH_ERR_FORMAT,
               path("empty.raw"), "no audio samples");
}

// --- Write failures --------------------------------------------------------------------------

TEST_F(audio_file, BadExtensionIsInvalidArgument) {
  for (const std::string name : {"x.mp3", "x", "x.wav.bak", "wav"}) {
    expect_error([&] { hush::audio::write_audio(path(name), sine(16000, 1, 0.1)); },
                 HUSH_ERR_INVALID_ARGUMENT, path(name), "output must be .wav or .flac");
  }
  hush::audio::write_audio(path("UPPER.WAV"), sine(16000, 1, 0.1));
  expect_error(
      [&] {
        hush::audio::write_audio(path("x.wav"), AudioBuffer{16000, 2, {1, 2, 3}});
      },
      HUSH_ERR_INVALID_ARGUMENT, path("x.wav"), "channels");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(audio_file, UnwritableDestinationLeavesNothing) {
  const AudioBuffer a = sine(16000, 1, 0.1);
  const std::string missing = path("no/such/dir/x.wav");
  expect_error([&] { hush::audio::write_audio(missing, a); }, HUSH_ERR_IO, missing, "cannot write");

  // The target is a directory: the temp file is written, the rename fails, the temp goes.
  fs::create_directory(path("d.wav"));
  expect_error([&] { hush::audio::write_audio(path("d.wav"), a); }, HUSH_ERR_IO, path("d.wav"),
               "cannot write");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::create_directory(path("ro"));
  chmod(path("ro").c_str(), 0555);
  expect_error([&] { hush::audio::write_audio(path("ro/x.flac"), a); }, HUSH_ERR_IO,
               path("ro/x.flac"), "cannot write");
  EXPECT_TRUE(fs::is_empty(path("ro")));
}

}  // namespace
