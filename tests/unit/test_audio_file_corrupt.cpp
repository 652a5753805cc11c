// Reading audio that is not fine: missing, unreadable, not audio, empty, truncated, absurd,
// too long, or random bytes. Each must give a hush::Error with the right code and a one-line
// message naming the file, and never crash or leak (this runs under ASan/LSan).
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "audio_file_fixtures.h"
#include "util/error.h"

namespace {

using namespace hush_test;
using namespace std::string_literals;
using audio_file_corrupt = audio_file;

// --- Bad input -------------------------------------------------------------------------------

TEST_F(audio_file_corrupt, MissingFileIsIoError) {
  const std::string file = path("nope.wav");
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::probe_audio(file); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::read_raw_pcm(file, {}); }, HUSH_ERR_IO, file, "no such file");
  expect_error([&] { hush::audio::read_audio(dir_); }, HUSH_ERR_IO, dir_, "is a directory");
}

TEST_F(audio_file_corrupt, UnreadableFileIsIoError) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string file = wav16("locked.wav", sine(16000, 1, 0.1));
  chmod(file.c_str(), 0);
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_IO, file, "permission denied");
}

TEST_F(audio_file_corrupt, NonAudioIsFormatError) {
  write_bytes(path("notes.txt"), {'h', 'e', 'l', 'l', 'o', '\n', 'w', 'o', 'r', 'l', 'd', '\n'});
  expect_error([&] { hush::audio::read_audio(path("notes.txt")); }, HUSH_ERR_FORMAT,
               path("notes.txt"), "");
  expect_error([&] { hush::audio::probe_audio(path("notes.txt")); }, HUSH_ERR_FORMAT,
               path("notes.txt"), "");

  auto wav = read_bytes(wav16("codec.wav", sine(16000, 1, 0.1)));
  wav[20] = 0x34;  // format tag 0x1234: no such codec
  wav[21] = 0x12;
  write_bytes(path("codec.wav"), wav);
  expect_error([&] { hush::audio::read_audio(path("codec.wav")); }, HUSH_ERR_FORMAT,
               path("codec.wav"), "");
}

TEST_F(audio_file_corrupt, Mp3IsUnsupported) {
  SF_INFO info{0, 44100, 1, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 0, 0};
  if (!sf_format_check(&info)) GTEST_SKIP() << "libsndfile built without MP3";
  write_sndfile(path("a.mp3"), info.format, sine(44100, 1, 0.5));
  expect_error([&] { hush::audio::read_audio(path("a.mp3")); }, HUSH_ERR_FORMAT, path("a.mp3"),
               "not a WAV, FLAC");
}

TEST_F(audio_file_corrupt, HeaderOnlyWavHasNoSamples) {
  const std::string file = wav16("empty.wav", AudioBuffer{16000, 1, {}});
  expect_error([&] { hush::audio::read_audio(file); }, HUSH_ERR_FORMAT, file, "no audio samples");
  expect_error([&] { hush::audio::probe_audio(file); }, HUSH_ERR_FORMAT, file, "no audio samples");
}

// Truncation is an error, not a silently shorter file: the data chunk promises more.
TEST_F(audio_file_corrupt, TruncatedWavIsAnError) {
  const AudioBuffer a = sine(16000, 1, 0.5);
  auto bytes = read_bytes(wav16("t.wav", a));
  bytes.resize(bytes.size() - 1001);  // odd: also cuts a sample in half
  write_bytes(path("t.wav"), bytes);
  expect_error([&] { hush::audio::read_audio(path("t.wav")); }, HUSH_ERR_FORMAT, path("t.wav"), "truncated");

  bytes.resize(30);  // inside the fmt chunk
  write_bytes(path("t.wav"), bytes);
  expect_error([&] { hush::audio::read_audio(path("t.wav")); }, HUSH_ERR_FORMAT, path("t.wav"), "");
}

TEST_F(audio_file_corrupt, TruncatedFlacNeverReturnsGarbage) {
  const AudioBuffer a = sine(16000, 2, 1.0);
  hush::audio::write_audio(path("t.flac"), a);
  const auto full = read_bytes(path("t.flac"));
  for (const std::size_t keep :
       {full.size() / 2, full.size() - 7, std::size_t{100}, std::size_t{20}}) {
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

TEST_F(audio_file_corrupt, AbsurdSampleRatesAreRejected) {
  auto bytes = read_bytes(wav16("r.wav", sine(16000, 1, 0.1)));
  for (const std::uint32_t rate : {1u, 10'000'000u}) {
    put_le32(bytes, 24, rate);
    put_le32(bytes, 28, rate * 2);  // byte rate, kept consistent so only the rate is odd
    write_bytes(path("r.wav"), bytes);
    const std::string fragment = "absurd sample rate " + std::to_string(rate) + " Hz";
    expect_error([&] { hush::audio::read_audio(path("r.wav")); }, HUSH_ERR_FORMAT, path("r.wav"),
                 fragment);
    expect_error([&] { hush::audio::probe_audio(path("r.wav")); }, HUSH_ERR_FORMAT, path("r.wav"),
                 fragment);
  }
}

TEST_F(audio_file_corrupt, LongInputIsRejected) {
  const auto bytes = read_bytes(wav16("l.wav", sine(8000, 1, 0.1)));
  expect_error([&] { hush::audio::read_audio_memory(bytes, "l.wav", 100); }, HUSH_ERR_FORMAT,
               "l.wav", "too long");
  EXPECT_EQ(hush::audio::read_audio_memory(bytes, "l.wav", 800).frames(), 800u);
}

TEST_F(audio_file_corrupt, TruncatedOpusNeverReturnsGarbage) {
  const auto full = read_bytes(kOpusFixture);
  for (const std::size_t keep : {full.size() * 2 / 3, full.size() - 10, std::size_t{60}}) {
    try {
      const AudioBuffer b = hush::audio::read_audio_memory(
          {full.begin(), full.begin() + static_cast<std::ptrdiff_t>(keep)});
      EXPECT_LT(b.frames(), 14400u) << keep;
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << keep << ": " << e.what();
    }
  }
}

// libopusfile leaks a link's tags when a later link of a chained stream is bad (found by the
// fuzzer), so Hush reads single-stream Ogg files only.
TEST_F(audio_file_corrupt, ChainedOggIsRejected) {
  const auto one = read_bytes(kOpusFixture);
  auto two = one;
  // Give every page of the second copy a different serial number, as a real chain has.
  std::size_t pos = 0;
  while (pos + 27 <= two.size()) {
    std::size_t size = 27 + two[pos + 26];
    for (std::size_t i = 0; i < two[pos + 26]; ++i) size += two[pos + 27 + i];
    two[pos + 14] ^= 0x5a;
    fix_ogg_crc(two, pos);
    pos += size;
  }
  std::vector<std::uint8_t> chained = one;
  chained.insert(chained.end(), two.begin(), two.end());
  expect_error([&] { hush::audio::read_audio_memory(chained); }, HUSH_ERR_FORMAT, "<memory>",
               "chained");
}

// Every seed and regression input of fuzz_audio_reader, under LeakSanitizer.
TEST_F(audio_file_corrupt, FuzzCorpusIsHandled) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(HUSH_SOURCE_DIR "/fuzz/corpus/audio_reader")) {
    ++files;
    try {
      const AudioBuffer b = hush::audio::read_audio(entry.path().string());
      EXPECT_GT(b.frames(), 0u);
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << e.what();
    }
  }
  EXPECT_GE(files, 10);
}

// libsndfile leaks ~6 KB whenever it rejects Ogg Vorbis headers itself (found by the fuzzer);
// these must be rejected before it sees them, which LeakSanitizer checks in the ASan build.
TEST_F(audio_file_corrupt, BrokenVorbisHeadersAreRejectedUpFront) {
  write_sndfile(path("v.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, sine(8000, 1, 0.2));
  const auto good = read_bytes(path("v.ogg"));
  const std::size_t second_page = 27 + good[26] + good[27];  // the first page has one segment
  ASSERT_EQ(good[26], 1);

  auto bad_crc = good;
  bad_crc[second_page + 40] ^= 0x55;
  expect_error([&] { hush::audio::read_audio_memory(bad_crc); }, HUSH_ERR_FORMAT, "<memory>",
               "checksum");

  auto truncated = good;
  truncated.resize(second_page + 100);
  expect_error([&] { hush::audio::read_audio_memory(truncated); }, HUSH_ERR_FORMAT, "<memory>",
               "ends inside");

  auto not_vorbis = good;
  not_vorbis[27 + 1 + 6] = 'z';  // "\x01vorbis" -> "\x01vorbiz", checksum kept valid
  fix_ogg_crc(not_vorbis, 0);
  expect_error([&] { hush::audio::read_audio_memory(not_vorbis); }, HUSH_ERR_FORMAT, "<memory>",
               "unsupported Ogg codec");

  auto bad_id = good;
  bad_id[27 + 1 + 28] = 0x55;  // block sizes 32 and 32: below Vorbis's minimum of 64
  fix_ogg_crc(bad_id, 0);
  expect_error([&] { hush::audio::read_audio_memory(bad_id); }, HUSH_ERR_FORMAT, "<memory>",
               "identification");
}

// --- In-memory reader (the fuzz entry point) --------------------------------------------------

TEST_F(audio_file_corrupt, MemoryReaderMatchesFileReaderOnEveryFixture) {
  const AudioBuffer a = sine(22050, 2, 0.2);
  write_sndfile(path("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, a);
  write_sndfile(path("a.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, a);
  write_sndfile(path("a.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, a);
  write_sndfile(path("b.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, a);
  for (const std::string& file :
       {path("a.wav"), path("a.flac"), path("a.ogg"), path("b.wav"), kOpusFixture}) {
    const AudioBuffer from_file = hush::audio::read_audio(file);
    const AudioBuffer from_memory = hush::audio::read_audio_memory(read_bytes(file));
    EXPECT_EQ(from_memory.sample_rate_hz, from_file.sample_rate_hz) << file;
    EXPECT_EQ(from_memory.samples, from_file.samples) << file;
  }
  expect_error([] { hush::audio::read_audio_memory({}); }, HUSH_ERR_FORMAT, "<memory>", "");
}

TEST_F(audio_file_corrupt, MemoryReaderSurvivesRandomBytes) {
  std::mt19937 rng(1234);
  const std::vector<std::string> magics = {""s, "RIFF\x24\x10\0\0WAVEfmt "s, "fLaC"s, "OggS"s,
                                           "RF64"s};
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
