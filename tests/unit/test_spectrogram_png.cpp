#include "util/spectrogram_png.h"

#include <gtest/gtest.h>
#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <random>
#include <vector>

#include "util/error.h"

namespace {

namespace fs = std::filesystem;
using hush::util::SpectrogramPanel;
using hush::util::write_spectrogram_png;

constexpr int kRate = 16000;
constexpr int kTitle = 18;  // title strip above each 256-row panel
constexpr int kRows = 256;

// Linear chirp 200 Hz -> 7000 Hz over 4 s at -12 dBFS.
std::vector<float> chirp() {
  const double f0 = 200.0, f1 = 7000.0, seconds = 4.0;
  std::vector<float> x(static_cast<size_t>(seconds * kRate));
  for (size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i) / kRate;
    const double phase = 2.0 * std::numbers::pi * (f0 * t + (f1 - f0) * t * t / (2.0 * seconds));
    x[i] = static_cast<float>(0.25 * std::sin(phase));
  }
  return x;
}

struct Decoded {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  int luma(int x, int y) const {
    const unsigned char* p = &rgb[(static_cast<size_t>(y) * width + x) * 3];
    return p[0] * 3 + p[1] * 6 + p[2];
  }
};

Decoded read_png(const fs::path& path) {
  png_image img{};
  img.version = PNG_IMAGE_VERSION;
  Decoded d;
  if (!png_image_begin_read_from_file(&img, path.c_str())) return d;
  img.format = PNG_FORMAT_RGB;
  d.rgb.resize(PNG_IMAGE_SIZE(img));
  if (png_image_finish_read(&img, nullptr, d.rgb.data(), 0, nullptr)) {
    d.width = static_cast<int>(img.width);
    d.height = static_cast<int>(img.height);
  }
  png_image_free(&img);
  return d;
}

class SpectrogramPng : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hush_spectrogram_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};
// Lower-case suite names so `ctest -R 'progress|spectrogram'` selects these tests.
using spectrogram = SpectrogramPng;

TEST_F(spectrogram, ChirpRisesAndPanelsStack) {
  const std::vector<float> clean = chirp();
  std::vector<float> noisy = clean;
  std::mt19937 rng(7);
  std::normal_distribution<float> noise(0.0f, 0.02f);
  for (float& s : noisy) s += noise(rng);

  const fs::path out = dir_ / "chirp.png";
  write_spectrogram_png(out.string(), {{"noisy", noisy, kRate}, {"denoised", clean, kRate}});
  // A copy a person can open after the run.
  fs::copy_file(out, fs::path(HUSH_BINARY_DIR) / "test_spectrogram_chirp.png", fs::copy_options::overwrite_existing);

  const Decoded img = read_png(out);
  // 4 s at 16 kHz: 512-point frames, hop 128 -> 1 + (64000 - 512) / 128 = 497 frames, one column each (under the 1000 cap).
  EXPECT_EQ(img.width, 497);
  ASSERT_EQ(img.height, 2 * (kTitle + kRows) + 2);

  for (int panel = 0; panel < 2; ++panel) {
    const int top = panel * (kTitle + kRows + 2) + kTitle;
    int previous_y = top + kRows;
    for (int step = 1; step <= 9; ++step) {
      const int x = img.width * step / 10;
      int best_y = top;
      for (int y = top; y < top + kRows; ++y) {
        if (img.luma(x, y) > img.luma(x, best_y)) best_y = y;
      }
      // Instantaneous frequency at this column, and where a linear 0..8 kHz axis puts it.
      const double t = 4.0 * (x + 0.5) / img.width;
      const double f = 200.0 + (7000.0 - 200.0) * t / 4.0;
      const double expected_y = top + kRows - 1 - f / 8000.0 * kRows;
      EXPECT_NEAR(best_y, expected_y, 4.0) << "panel " << panel << " column " << x;
      EXPECT_LT(best_y, previous_y) << "panel " << panel << " column " << x;
      previous_y = best_y;
    }
  }
  // The separator row between the panels is a flat grey line.
  const int sep = kTitle + kRows;
  EXPECT_EQ(img.luma(0, sep), img.luma(img.width - 1, sep + 1));
}

TEST_F(spectrogram, LongInputIsCappedAtAThousandColumns) {
  std::vector<float> x(static_cast<size_t>(kRate) * 60, 0.0f);
  const fs::path out = dir_ / "long.png";
  write_spectrogram_png(out.string(), {{"silence", x, kRate}});
  const Decoded img = read_png(out);
  EXPECT_EQ(img.width, 1000);
  EXPECT_EQ(img.height, kTitle + kRows);
}

TEST_F(spectrogram, UnwritablePathThrowsAndLeavesNothing) {
  const std::vector<float> x = chirp();
  const fs::path file = dir_ / "not_a_dir";
  std::ofstream(file) << "x";
  try {
    write_spectrogram_png((file / "out.png").string(), {{"a", x, kRate}});
    FAIL() << "expected hush::Error";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
  }
  // The target is a directory: the PNG is fully written to a temp file, then rename fails.
  const fs::path taken = dir_ / "taken.png";
  fs::create_directory(taken);
  try {
    write_spectrogram_png(taken.string(), {{"a", x, kRate}});
    FAIL() << "expected hush::Error";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_IO);
  }
  std::vector<fs::path> left;
  for (const auto& entry : fs::directory_iterator(dir_)) left.push_back(entry.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<fs::path>{"not_a_dir", "taken.png"}));
  EXPECT_TRUE(fs::is_empty(taken));
}

TEST_F(spectrogram, BadArgumentsAreRejected) {
  const std::vector<float> x(1000, 0.0f);
  const std::string out = (dir_ / "bad.png").string();
  EXPECT_THROW(write_spectrogram_png(out, {}), hush::Error);
  EXPECT_THROW(write_spectrogram_png(out, {{"a", x, 0}}), hush::Error);
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
