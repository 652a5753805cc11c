// Reading, probing and writing audio files. Fixtures are generated into a temp dir from sines
// (with libsndfile directly, so the reader is not only tested against our own writer); the one
// Ogg Opus fixture is committed under tests/data.
#include "audio/audio_file.h"

#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <tuple>

#include "util/error.h"

namespace fs = std::filesystem;
using namespace std::string_literals;
using hush::audio::AudioBuffer;

namespace {

const std::string kOpusFixture = HUSH_SOURCE_DIR "/tests/data/sine_440_880_stereo.opus";

// Channel c holds a sine at 440 * (c + 1) Hz, amplitude 0.5.
AudioBuffer sine(int rate, int channels, double seconds) {
  AudioBuffer a{rate, channels, {}};
  const auto frames = static_cast<std::size_t>(rate * seconds);
  for (std::size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels; ++c) {
      a.samples.push_back(static_cast<float>(0.5 * std::sin(2 * M_PI * 440 * (c + 1) * double(i) / rate)));
    }
  }
  return a;
}

void write_sndfile(const std::string& path, int format, const AudioBuffer& a) {
  SF_INFO info{};
  info.samplerate = a.sample_rate_hz;
  info.channels = a.channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  sf_writef_float(f, a.samples.data(), static_cast<sf_count_t>(a.frames()));
  sf_close(f);
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                              static_cast<std::streamsize>(bytes.size()));
}

void put_le32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

// Runs fn, expecting hush::Error with `code`, a one-line message starting with `name`.
void expect_error(const std::function<void()>& fn, hush_error code, const std::string& name,
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

float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float worst = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst;
}

int zero_crossings(const std::vector<float>& x) {
  int n = 0;
  for (std::size_t i = 1; i < x.size(); ++i) n += (x[i - 1] < 0) != (x[i] < 0);
  return n;
}

class AudioFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hush-audio-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
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

// --- Round trips ---------------------------------------------------------------------------

enum class Out { wav16, wav24, wavf, flac };
class RoundTrip : public AudioFileTest, public ::testing::WithParamInterface<std::tuple<Out, int, int>> {};

TEST_P(RoundTrip, WriteThenReadMatches) {
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

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Combine(::testing::Values(Out::wav16, Out::wav24, Out::wavf, Out::flac),
                                            ::testing::Values(8000, 16000, 22050, 44100, 48000),
                                            ::testing::Values(1, 2)));

TEST_F(AudioFileTest, IntegerOutputIsClippedAndNanBecomesSilence) {
  const AudioBuffer a{16000, 1, {1.5f, -2.0f, NAN, 0.25f}};
  hush::audio::write_audio(path("c.wav"), a);
  const AudioBuffer b = hush::audio::read_audio(path("c.wav"));
  ASSERT_EQ(b.samples.size(), 4u);
  EXPECT_NEAR(b.samples[0], 1.0f, 1e-4f);
  EXPECT_NEAR(b.samples[1], -1.0f, 1e-4f);
  EXPECT_EQ(b.samples[2], 0.0f);
  EXPECT_NEAR(b.samples[3], 0.25f, 1e-4f);
}

TEST_F(AudioFileTest, FloatInputIsClampedOnRead) {
  write_sndfile(path("f.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, AudioBuffer{16000, 1, {3.0f, NAN, -0.5f}});
  EXPECT_EQ(hush::audio::read_audio(path("f.wav")).samples, (std::vector<float>{1.0f, 0.0f, -0.5f}));
}

TEST_F(AudioFileTest, OverwritesAtomicallyWithNormalPermissions) {
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

TEST_F(AudioFileTest, ChannelDeinterleaves) {
  const AudioBuffer a{16000, 2, {1, 2, 3, 4, 5, 6}};
  EXPECT_EQ(a.channel(0), (std::vector<float>{1, 3, 5}));
  EXPECT_EQ(a.channel(1), (std::vector<float>{2, 4, 6}));
  expect_error([&] { a.channel(2); }, HUSH_ERR_INVALID_ARGUMENT, "AudioBuffer::channel", "out of range");
}

// --- Other codecs ----------------------------------------------------------------------------

TEST_F(AudioFileTest, ReadsOggVorbis) {
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

TEST_F(AudioFileTest, ReadsOggOpusAt48kHz) {
  const AudioBuffer b = hush::audio::read_audio(kOpusFixture);
  EXPECT_EQ(b.sample_rate_hz, 48000);
  ASSERT_EQ(b.channels, 2);
  EXPECT_EQ(b.frames(), 14400u);  // 0.3 s, pre-skip and end padding trimmed
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

TEST_F(AudioFileTest, ReadsRawPcm) {
  write_bytes(path("s16.raw"), {0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80});
  const AudioBuffer s = hush::audio::read_raw_pcm(path("s16.raw"), {8000, 2, hush::audio::RawSampleFormat::s16le});
  EXPECT_EQ(s.sample_rate_hz, 8000);
  EXPECT_EQ(s.channels, 2);
  EXPECT_EQ(s.samples, (std::vector<float>{0.5f, -0.5f, 32767 / 32768.0f, -1.0f}));

  write_bytes(path("u8.raw"), {0x80, 0xc0, 0x00});
  EXPECT_EQ(hush::audio::read_raw_pcm(path("u8.raw"), {16000, 1, hush::audio::RawSampleFormat::u8}).samples,
            (std::vector<float>{0.0f, 0.5f, -1.0f}));

  const float f[2] = {0.25f, -0.75f};
  std::vector<std::uint8_t> fb(sizeof f);
  std::memcpy(fb.data(), f, sizeof f);
  write_bytes(path("f32.raw"), fb);
  EXPECT_EQ(hush::audio::read_raw_pcm(path("f32.raw"), {48000, 1, hush::audio::RawSampleFormat::f32le}).samples,
            (std::vector<float>{0.25f, -0.75f}));

  expect_error([&] { hush::audio::read_raw_pcm(path("s16.raw"), {1000, 1, {}}); },
               HUSH_ERR_INVALID_ARGUMENT, path("s16.raw"), "1000 Hz");
  expect_error([&] { hush::audio::read_raw_pcm(path("s16.raw"), {16000, 0, {}}); },
               HUSH_ERR_INVALID_ARGUMENT, path("s16.raw"), "0 channels");
  write_bytes(path("empty.raw"), {});
  expect_error([&] { hush::audio::read_raw_pcm(path("empty.raw"), {}); }, HUSH_ERR_FORMAT,
               path("empty.raw"), "no audio samples");
}

// --- Bad input -------------------------------------------------------------------------------

TEST_F(AudioFileTest, MissingFileIsIoError) {
  const std::string file = path("nope.wav");
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::probe_audio(file); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::read_raw_pcm(file, {}); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::read_audio(dir_); }, HUSH_ERR_IO, dir_, "is a directory");
}

TEST_F(AudioFileTest, UnreadableFileIsIoError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string file = wav16("locked.wav", sine(16000, 1, 0.1));
  chmod(file.c_str(), 0);
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_IO, file, "permission denied");
}

TEST_F(AudioFileTest, NonAudioIsFormatError) {
  write_bytes(path("notes.txt"), {'h', 'e', 'l', 'l', 'o', '\n', 'w', 'o', 'r', 'l', 'd', '\n'});
  expect_error([&] { hush::audio::read_audio(path("notes.txt")); }, HUSH_ERR_FORMAT, path("notes.txt"), "");
  expect_error([&] { hush::audio::probe_audio(path("notes.txt")); }, HUSH_ERR_FORMAT, path("notes.txt"), "");

  auto wav = read_bytes(wav16("codec.wav", sine(16000, 1, 0.1)));
  wav[20] = 0x34;  // format tag 0x1234: no such codec
  wav[21] = 0x12;
  write_bytes(path("codec.wav"), wav);
  expect_error([&] { hush::audio::read_audio(path("codec.wav")); }, HUSH_ERR_FORMAT, path("codec.wav"), "");
}

TEST_F(AudioFileTest, Mp3IsUnsupported) {
  SF_INFO info{0, 44100, 1, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 0, 0};
  if (!sf_format_check(&info)) GTEST_SKIP() << "libsndfile built without MP3";
  write_sndfile(path("a.mp3"), info.format, sine(44100, 1, 0.5));
  expect_error([&] { hush::audio::read_audio(path("a.mp3")); }, HUSH_ERR_FORMAT, path("a.mp3"), "unsupported");
}

TEST_F(AudioFileTest, HeaderOnlyWavHasNoSamples) {
  const std::string file = wav16("empty.wav", AudioBuffer{16000, 1, {}});
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_FORMAT, file, "no audio samples");
  expect_error([&] { hush::audio::probe_audio(file); }, HUSH_ERR_FORMAT, file, "no audio samples");
}

TEST_F(AudioFileTest, TruncatedWavDecodesWhatIsThere) {
  const AudioBuffer a = sine(16000, 1, 0.5);
  auto bytes = read_bytes(wav16("t.wav", a));
  bytes.resize(bytes.size() - 1001);  // odd: also cuts a sample in half
  write_bytes(path("t.wav"), bytes);
  const AudioBuffer b = hush::audio::read_audio(path("t.wav"));
  EXPECT_EQ(b.frames(), a.frames() - 501);
  EXPECT_LE(max_abs_diff(a.samples, b.samples), 1e-4f);

  bytes.resize(30);  // inside the fmt chunk
  write_bytes(path("t.wav"), bytes);
  expect_error([&] { hush::audio::read_audio(path("t.wav")); }, HUSH_ERR_FORMAT, path("t.wav"), "");
}

TEST_F(AudioFileTest, TruncatedFlacNeverReturnsGarbage) {
  const AudioBuffer a = sine(16000, 2, 1.0);
  hush::audio::write_audio(path("t.flac"), a);
  const auto full = read_bytes(path("t.flac"));
  for (const std::size_t keep : {full.size() / 2, full.size() - 7, std::size_t{100}, std::size_t{20}}) {
    write_bytes(path("t.flac"), {full.begin(), full.begin() + static_cast<std::ptrdiff_t>(keep)});
    try {
      const AudioBuffer b = hush::audio::read_audio(path("t.flac"));
      EXPECT_LT(b.frames(), a.frames()) << keep;
      EXPECT_LE(max_abs_diff(a.samples, b.samples), 1e-6f) << keep;
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << keep << ": " << e.what();
    }
  }
}

TEST_F(AudioFileTest, AbsurdSampleRatesAreRejected) {
  auto bytes = read_bytes(wav16("r.wav", sine(16000, 1, 0.1)));
  for (const std::uint32_t rate : {1u, 10'000'000u}) {
    put_le32(bytes, 24, rate);
    put_le32(bytes, 28, rate * 2);  // byte rate, kept consistent so only the rate is odd
    write_bytes(path("r.wav"), bytes);
    const std::string fragment = "absurd sample rate " + std::to_string(rate) + " Hz";
    expect_error([&] { hush::audio::read_audio(path("r.wav")); }, HUSH_ERR_FORMAT, path("r.wav"), fragment);
    expect_error([&] { hush::audio::probe_audio(path("r.wav")); }, HUSH_ERR_FORMAT, path("r.wav"), fragment);
  }
}

TEST_F(AudioFileTest, LongInputIsRejected) {
  const auto bytes = read_bytes(wav16("l.wav", sine(8000, 1, 0.1)));
  expect_error([&] { hush::audio::read_audio_memory(bytes, "l.wav", 100); }, HUSH_ERR_FORMAT, "l.wav", "too long");
  EXPECT_EQ(hush::audio::read_audio_memory(bytes, "l.wav", 800).frames(), 800u);
}

// --- Write failures --------------------------------------------------------------------------

TEST_F(AudioFileTest, BadExtensionIsInvalidArgument) {
  for (const std::string name : {"x.mp3", "x", "x.wav.bak", "wav"}) {
    expect_error([&] { hush::audio::write_audio(path(name), sine(16000, 1, 0.1)); },
                 HUSH_ERR_INVALID_ARGUMENT, path(name), "output must be .wav or .flac");
  }
  hush::audio::write_audio(path("UPPER.WAV"), sine(16000, 1, 0.1));
  expect_error([&] { hush::audio::write_audio(path("x.wav"), AudioBuffer{16000, 2, {1, 2, 3}}); },
               HUSH_ERR_INVALID_ARGUMENT, path("x.wav"), "channels");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(AudioFileTest, UnwritableDestinationLeavesNothing) {
  const AudioBuffer a = sine(16000, 1, 0.1);
  const std::string missing = path("no/such/dir/x.wav");
  expect_error([&] { hush::audio::write_audio(missing, a); }, HUSH_ERR_IO, missing, "cannot write");

  // The target is a directory: the temp file is written, the rename fails, the temp goes.
  fs::create_directory(path("d.wav"));
  expect_error([&] { hush::audio::write_audio(path("d.wav"), a); }, HUSH_ERR_IO, path("d.wav"), "cannot write");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  if (geteuid() == 0) GTEST_SKIP() << "root writes into read-only directories";
  fs::create_directory(path("ro"));
  chmod(path("ro").c_str(), 0555);
  expect_error([&] { hush::audio::write_audio(path("ro/x.flac"), a); }, HUSH_ERR_IO, path("ro/x.flac"),
               "cannot write");
  EXPECT_TRUE(fs::is_empty(path("ro")));
}

// --- In-memory reader (the fuzz entry point) --------------------------------------------------

TEST_F(AudioFileTest, MemoryReaderMatchesFileReaderOnEveryFixture) {
  const AudioBuffer a = sine(22050, 2, 0.2);
  write_sndfile(path("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, a);
  write_sndfile(path("a.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, a);
  write_sndfile(path("a.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, a);
  write_sndfile(path("b.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, a);
  for (const std::string& file : {path("a.wav"), path("a.flac"), path("a.ogg"), path("b.wav"), kOpusFixture}) {
    const AudioBuffer from_file = hush::audio::read_audio(file);
    const AudioBuffer from_memory = hush::audio::read_audio_memory(read_bytes(file));
    EXPECT_EQ(from_memory.sample_rate_hz, from_file.sample_rate_hz) << file;
    EXPECT_EQ(from_memory.samples, from_file.samples) << file;
  }
  expect_error([] { hush::audio::read_audio_memory({}); }, HUSH_ERR_FORMAT, "<memory>", "");
}

TEST_F(AudioFileTest, MemoryReaderSurvivesRandomBytes) {
  std::mt19937 rng(1234);
  const std::vector<std::string> magics = {""s, "RIFF\x24\x10\0\0WAVEfmt "s, "fLaC"s, "OggS"s, "RF64"s};
  const auto wav = read_bytes(wav16("m.wav", sine(8000, 1, 0.05)));
  for (int i = 0; i < 300; ++i) {
    std::vector<std::uint8_t> bytes;
    if (i % 3 == 2) {  // a valid file with a few bytes flipped reaches deeper than noise
      bytes = wav;
      for (int k = 0; k < 4; ++k) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
    } else {
      const std::string& magic = magics[rng() % magics.size()];
      bytes.assign(magic.begin(), magic.end());
      const std::size_t extra = rng() % 2048;
      for (std::size_t k = 0; k < extra; ++k) bytes.push_back(static_cast<std::uint8_t>(rng()));
    }
    try {
      const AudioBuffer b = hush::audio::read_audio_memory(bytes);
      EXPECT_GT(b.frames(), 0u);
      for (const float v : b.samples) ASSERT_TRUE(v >= -1.0f && v <= 1.0f);
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << e.what();
    }
  }
}

}  // namespace
