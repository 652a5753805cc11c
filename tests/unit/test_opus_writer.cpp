// The streaming Ogg Opus writer (audio/opus_writer.h): round trips, comments, argument
// checks, and crash safety: a file cut at any byte (a kill during a write) or abandoned without
// finish() (a kill between writes) decodes up to < 1 s before the point it was cut.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "audio/audio_file.h"
#include "audio/byte_sink.h"
#include "audio/opus_writer.h"
#include "util/error.h"

namespace fs = std::filesystem;
using hush::audio::AudioBuffer;
using hush::audio::OpusWriter;
using hush::audio::OpusWriterConfig;

namespace {

constexpr int kRate = hush::audio::kOpusRateHz;
constexpr double kPi = 3.14159265358979323846;

// Interleaved tones: channel c at freqs[c] Hz, amplitude 0.4.
std::vector<float> tones(double seconds, std::vector<double> freqs, std::int64_t start_frame = 0) {
  const auto frames = static_cast<std::size_t>(std::llround(seconds * kRate));
  std::vector<float> x(frames * freqs.size());
  for (std::size_t f = 0; f < frames; ++f) {
    for (std::size_t c = 0; c < freqs.size(); ++c) {
      const double t = double(std::int64_t(f) + start_frame) / kRate;
      x[f * freqs.size() + c] = static_cast<float>(0.4 * std::sin(2 * kPi * freqs[c] * t));
    }
  }
  return x;
}

// Keeps everything in memory and notes where each commit happened.
class MemorySink final : public hush::audio::ByteSink {
 public:
  void write(std::span<const std::uint8_t> bytes) override { pending.insert(pending.end(), bytes.begin(), bytes.end()); }
  void commit(bool durable) override {
    file.insert(file.end(), pending.begin(), pending.end());
    pending.clear();
    commits.push_back(file.size());
    durable_commits += durable ? 1 : 0;
  }
  void finish() override {
    commit(true);
    finished = true;
  }
  std::vector<std::uint8_t> pending, file;
  std::vector<std::size_t> commits;
  int durable_commits = 0;
  bool finished = false;
};

// Writes `seconds` of stereo tones in 20 ms blocks, noting the frames written at each commit.
struct Recorded {
  std::vector<std::size_t> commit_bytes;
  std::vector<std::int64_t> commit_frames;  // frames handed to the writer when each commit ended
};
Recorded write_blocks(OpusWriter& writer, MemorySink& sink, double seconds) {
  Recorded r;
  const std::vector<float> x = tones(seconds, {440, 1000});
  const std::size_t block = 960 * 2;
  for (std::size_t at = 0; at < x.size(); at += block) {
    const std::size_t before = sink.commits.size();
    writer.write(std::span<const float>(x).subspan(at, std::min(block, x.size() - at)));
    for (std::size_t i = before; i < sink.commits.size(); ++i) {
      r.commit_bytes.push_back(sink.commits[i]);
      r.commit_frames.push_back(writer.frames_written());
    }
  }
  return r;
}

double correlation(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? ab / std::sqrt(aa * bb) : 0.0;
}

class opus_writer : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hush-opus-writer-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  std::string dir_;
};

TEST_F(opus_writer, stereo_round_trip_keeps_length_channels_and_signal) {
  const std::string out = path("a.ogg");
  const std::vector<float> x = tones(2.0, {440, 1000});
  {
    hush::audio::FileSink sink(out);
    OpusWriterConfig config;
    config.channels = 2;
    config.title = "Weekly sync";
    config.date = "2024-05-01T10:00:00+0200";
    OpusWriter writer(sink, config);
    writer.write(x);
    EXPECT_EQ(writer.frames_written(), 2 * kRate);
    writer.finish();
  }
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "recordings are private";

  const AudioBuffer a = hush::audio::read_audio(out);
  EXPECT_EQ(a.sample_rate_hz, kRate);
  ASSERT_EQ(a.channels, 2);
  EXPECT_EQ(a.frames(), std::size_t(2 * kRate));
  AudioBuffer in{kRate, 2, x};
  for (int c = 0; c < 2; ++c) {
    EXPECT_GT(correlation(a.channel(c), in.channel(c)), 0.95) << "channel " << c;
    EXPECT_LT(std::fabs(correlation(a.channel(c), in.channel(1 - c))), 0.1) << "channels swapped or mixed";
  }
  std::ifstream file(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(bytes.find("TITLE=Weekly sync"), std::string::npos);
  EXPECT_NE(bytes.find("DATE=2024-05-01T10:00:00+0200"), std::string::npos);
}

TEST_F(opus_writer, mono_round_trip) {
  const std::string out = path("m.ogg");
  {
    hush::audio::FileSink sink(out);
    OpusWriter writer(sink, OpusWriterConfig{});
    const std::vector<float> x = tones(1.3, {300});
    for (std::size_t at = 0; at < x.size(); at += 480) writer.write(std::span<const float>(x).subspan(at, 480));
    writer.finish();
  }
  const AudioBuffer a = hush::audio::read_audio(out);
  EXPECT_EQ(a.channels, 1);
  EXPECT_EQ(a.frames(), std::size_t(1.3 * kRate));
}

TEST_F(opus_writer, pages_are_committed_at_least_every_half_second_of_audio) {
  MemorySink sink;
  OpusWriterConfig config;
  config.channels = 2;
  OpusWriter writer(sink, config);
  ASSERT_EQ(sink.commits.size(), 1u) << "the headers are committed at once";
  const Recorded r = write_blocks(writer, sink, 5.0);
  ASSERT_FALSE(r.commit_frames.empty());
  std::int64_t previous = 0;
  for (const std::int64_t frames : r.commit_frames) {
    EXPECT_LE(frames - previous, kRate / 2);
    previous = frames;
  }
  EXPECT_GE(previous, 5 * kRate - kRate / 2);
}

TEST_F(opus_writer, fdatasync_is_asked_for_at_most_once_a_second) {
  MemorySink sink;
  OpusWriterConfig config;
  config.channels = 2;
  const auto start = std::chrono::steady_clock::now();
  OpusWriter writer(sink, config);
  write_blocks(writer, sink, 20.0);  // 40 commits, written much faster than real time
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LE(sink.durable_commits, 1 + int(wall_s) + 1) << "commits: " << sink.commits.size();
}

// A kill between two writes: the process dies with the writer never finished. Whatever reached
// the sink by then must play up to < 1 s before that point.
TEST_F(opus_writer, abandoned_writer_leaves_a_file_playing_to_within_a_second) {
  for (const double seconds : {1.0, 1.37, 2.0, 3.51}) {
    const std::string out = path("k" + std::to_string(seconds) + ".ogg");
    {
      hush::audio::FileSink sink(out);
      OpusWriterConfig config;
      config.channels = 2;
      OpusWriter writer(sink, config);
      writer.write(tones(seconds, {440, 1000}));
    }  // no finish()
    const AudioBuffer a = hush::audio::read_audio(out);
    EXPECT_GE(a.duration_s(), seconds - 1.0) << out;
    EXPECT_LE(a.duration_s(), seconds) << out;
  }
}

// A kill during a write: the file ends at any byte. Every prefix that ends after the first
// audio page decodes, up to < 1 s before the last frames handed to the writer.
TEST_F(opus_writer, file_cut_at_any_byte_decodes_to_within_a_second) {
  MemorySink sink;
  OpusWriterConfig config;
  config.channels = 2;
  OpusWriter writer(sink, config);
  const Recorded r = write_blocks(writer, sink, 4.0);
  ASSERT_GE(r.commit_bytes.size(), 7u);
  const std::vector<std::uint8_t>& file = sink.file;
  std::srand(1234);
  int decoded = 0;
  // Cuts between commit k and k+1: the writer had received at most commit_frames[k+1] frames.
  for (std::size_t k = 1; k + 1 < r.commit_bytes.size(); ++k) {
    for (int trial = 0; trial < 8; ++trial) {
      const std::size_t lo = r.commit_bytes[k], hi = r.commit_bytes[k + 1];
      const std::size_t cut = lo + std::size_t(std::rand()) % (hi - lo + 1);
      const AudioBuffer a = hush::audio::read_audio_memory(std::span(file).first(cut), "cut");
      const double fed_s = double(r.commit_frames[k + 1]) / kRate;
      EXPECT_GE(a.duration_s(), fed_s - 1.0) << "cut at byte " << cut << " of " << file.size();
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 40);
}

TEST_F(opus_writer, rejects_bad_arguments) {
  MemorySink sink;
  OpusWriterConfig config;
  config.channels = 3;
  EXPECT_THROW(OpusWriter(sink, config), hush::Error);
  config.channels = 2;
  config.page_interval_s = 2.0;  // would break the 1 s promise
  EXPECT_THROW(OpusWriter(sink, config), hush::Error);
  config.page_interval_s = 0.5;
  OpusWriter writer(sink, config);
  const std::vector<float> odd(3, 0.0f);
  try {
    writer.write(odd);
    FAIL() << "an odd sample count for 2 channels must be refused";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
  }
  writer.finish();
  EXPECT_TRUE(sink.finished);
  EXPECT_THROW(writer.write(tones(0.1, {1, 1})), hush::Error);
}

TEST_F(opus_writer, file_sink_refuses_an_existing_file_and_a_missing_directory) {
  const std::string out = path("exists.ogg");
  std::ofstream(out) << "keep me";
  try {
    hush::audio::FileSink sink(out);
    FAIL() << "overwrote an existing file";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
    EXPECT_NE(std::string(e.what()).find(out), std::string::npos);
  }
  std::ifstream in(out);
  std::string text;
  std::getline(in, text);
  EXPECT_EQ(text, "keep me");
  EXPECT_THROW(hush::audio::FileSink(path("no/such/dir.ogg")), hush::Error);
}

}  // namespace
