#include "util/spectrogram_png.h"

#include <fcntl.h>
#include <kissfft/kiss_fftr.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <numbers>
#include <type_traits>

#include "util/error.h"

namespace hush::util {
namespace {

constexpr int kRows = 256;         // spectrogram height per panel
constexpr int kTitleHeight = 18;   // 5x7 font at scale 2 plus margins
constexpr int kSeparator = 2;
constexpr int kMinWidth = 480;     // short clips are stretched so a 40-character title fits
constexpr int kMaxWidth = 1000;
constexpr double kDbFloor = -100.0;
constexpr double kDbCeil = -20.0;

struct Rgb {
  std::uint8_t r, g, b;
};
constexpr Rgb kStripBg{24, 24, 24};
constexpr Rgb kSeparatorColor{110, 110, 110};
constexpr Rgb kTitleColor{235, 235, 235};
constexpr Rgb kInfoColor{150, 150, 150};

// matplotlib's "magma" sampled at 10 even steps: perceptually uniform and readable in greyscale,
// so quiet residual noise stays visible next to loud speech. Linear interpolation in between.
constexpr std::array<Rgb, 10> kMagma{{{0, 0, 4},
                                      {24, 15, 62},
                                      {69, 16, 119},
                                      {114, 31, 129},
                                      {159, 47, 127},
                                      {205, 64, 113},
                                      {241, 96, 93},
                                      {253, 149, 103},
                                      {254, 201, 141},
                                      {252, 253, 191}}};

Rgb magma(double t) {
  const double x = std::clamp(t, 0.0, 1.0) * (kMagma.size() - 1);
  const size_t i = std::min(static_cast<size_t>(x), kMagma.size() - 2);
  const double f = x - static_cast<double>(i);
  auto mix = [f](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + f * (b - a)));
  };
  return {mix(kMagma[i].r, kMagma[i + 1].r), mix(kMagma[i].g, kMagma[i + 1].g),
          mix(kMagma[i].b, kMagma[i + 1].b)};
}

// A hand-written 5x7 font (HD44780-style glyphs, one byte per row, bit 4 = leftmost pixel), so
// titles need no font library. Upper case only: lower case is drawn in capitals, unknown
// characters as a hollow box.
struct Glyph {
  char c;
  std::uint8_t rows[7];
};
constexpr Glyph kFont[] = {
    {' ', {0, 0, 0, 0, 0, 0, 0}},
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'A', {0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11}},
    {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
    {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
    {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},
    {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
    {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
    {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
    {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
    {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
    {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
    {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
    {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
    {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
    {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
    {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
    {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
    {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
    {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}},
    {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
    {'.', {0, 0, 0, 0, 0, 0x0C, 0x0C}},
    {',', {0, 0, 0, 0, 0x0C, 0x04, 0x08}},
    {':', {0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0}},
    {'-', {0, 0, 0, 0x1F, 0, 0, 0}},
    {'_', {0, 0, 0, 0, 0, 0, 0x1F}},
    {'+', {0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0}},
    {'=', {0, 0, 0x1F, 0, 0x1F, 0, 0}},
    {'/', {0, 0x01, 0x02, 0x04, 0x08, 0x10, 0}},
    {'%', {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}},
    {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
    {'[', {0x0E, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0E}},
    {']', {0x0E, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0E}},
    {'#', {0x0A, 0x0A, 0x1F, 0x0A, 0x1F, 0x0A, 0x0A}},
    {'!', {0x04, 0x04, 0x04, 0x04, 0x04, 0, 0x04}},
    {'?', {0x0E, 0x11, 0x01, 0x02, 0x04, 0, 0x04}},
    {'\'', {0x04, 0x04, 0x08, 0, 0, 0, 0}},
};
constexpr Glyph kUnknownGlyph{'?', {0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F}};
constexpr int kScale = 2;
constexpr int kAdvance = 6 * kScale;

const Glyph& glyph(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (const Glyph& g : kFont) {
    if (g.c == c) return g;
  }
  return kUnknownGlyph;
}

class Image {
 public:
  Image(int width, int height) : w_(width), h_(height), rgb_(static_cast<size_t>(width) * height * 3) {}
  int width() const { return w_; }
  int height() const { return h_; }
  const std::uint8_t* data() const { return rgb_.data(); }

  void set(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= w_ || y >= h_) return;  // text may run off the edge: clip
    std::uint8_t* p = &rgb_[(static_cast<size_t>(y) * w_ + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }
  void fill(int x0, int y0, int w, int h, Rgb c) {
    for (int y = y0; y < y0 + h; ++y) {
      for (int x = x0; x < x0 + w; ++x) set(x, y, c);
    }
  }
  void text(int x, int y, const std::string& s, Rgb c) {
    for (char ch : s) {
      const Glyph& g = glyph(ch);
      for (int row = 0; row < 7; ++row) {
        for (int col = 0; col < 5; ++col) {
          if (g.rows[row] & (0x10 >> col)) fill(x + col * kScale, y + row * kScale, kScale, kScale, c);
        }
      }
      x += kAdvance;
    }
  }

 private:
  int w_, h_;
  std::vector<std::uint8_t> rgb_;
};

// ~32 ms frames (a power of two, at least 512 so every one of the 256 rows gets a bin of its own).
int fft_size(int rate) {
  int n = 512;
  while (n < rate * 32 / 1000) n *= 2;
  return n;
}

size_t frame_count(size_t len, size_t n_fft, size_t hop) {
  return len <= n_fft ? 1 : 1 + (len - n_fft + hop - 1) / hop;
}

// Returns cols x kRows levels in dBFS (column-major, row 0 = 0 Hz). A full-scale sine reads 0 dB
// in its bin. Frames are averaged in power when several fall into one column and repeated when a
// column has less than one frame.
std::vector<double> spectrogram_db(std::span<const float> x, int rate, int cols) {
  const int n_fft = fft_size(rate);
  const size_t n = static_cast<size_t>(n_fft);
  const size_t hop = n / 4;
  const size_t frames = frame_count(x.size(), n, hop);
  const size_t half = n / 2;

  std::vector<float> window(n);
  double window_sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(i) / n_fft));
    window_sum += window[i];
  }
  const double full_scale = (window_sum / 2.0) * (window_sum / 2.0);

  // Row r covers bins [r*m, (r+1)*m); the Nyquist bin joins the top row.
  const size_t m = half / kRows;
  std::vector<double> bins_per_row(kRows, static_cast<double>(m));
  bins_per_row[kRows - 1] += 1.0;

  std::unique_ptr<std::remove_pointer_t<kiss_fftr_cfg>, void (*)(kiss_fftr_cfg)> cfg(
      kiss_fftr_alloc(n_fft, 0, nullptr, nullptr), [](kiss_fftr_cfg c) { kiss_fftr_free(c); });
  if (!cfg) throw Error(HUSH_ERR_OUT_OF_MEMORY, "spectrogram: cannot allocate FFT");

  const size_t ncols = static_cast<size_t>(cols);
  std::vector<double> acc(ncols * kRows, 0.0);
  std::vector<double> hits(ncols, 0.0);
  std::vector<float> frame(n);
  std::vector<kiss_fft_cpx> spec(half + 1);
  std::array<double, kRows> rows{};
  for (size_t f = 0; f < frames; ++f) {
    for (size_t i = 0; i < n; ++i) {
      const size_t k = f * hop + i;
      const float s = k < x.size() && std::isfinite(x[k]) ? x[k] : 0.0f;
      frame[i] = s * window[i];
    }
    kiss_fftr(cfg.get(), frame.data(), spec.data());
    rows.fill(0.0);
    for (size_t k = 0; k <= half; ++k) {
      const double re = spec[k].r, im = spec[k].i;
      rows[std::min(k / m, size_t{kRows - 1})] += re * re + im * im;
    }
    // Compressing: frame f adds to column floor(f * cols / frames). Stretching: it fills every
    // column c with floor(c * frames / cols) == f.
    size_t c0 = f * ncols / frames;
    size_t c1 = c0 + 1;
    if (ncols > frames) {
      c0 = (f * ncols + frames - 1) / frames;
      c1 = ((f + 1) * ncols + frames - 1) / frames;
    }
    for (size_t c = c0; c < std::min(c1, ncols); ++c) {
      for (int r = 0; r < kRows; ++r) acc[c * kRows + r] += rows[r];
      hits[c] += 1.0;
    }
  }
  for (size_t c = 0; c < ncols; ++c) {
    for (int r = 0; r < kRows; ++r) {
      const double power = acc[c * kRows + r] / std::max(hits[c], 1.0) / bins_per_row[r] / full_scale;
      acc[c * kRows + r] = 10.0 * std::log10(power + 1e-30);
    }
  }
  return acc;
}

std::string panel_info(const SpectrogramPanel& p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "0-%g KHZ  %.1f S", p.sample_rate_hz / 2000.0,
                static_cast<double>(p.samples.size()) / p.sample_rate_hz);
  return buf;
}

[[noreturn]] void throw_io(const std::string& path, const std::string& why) {
  throw Error(HUSH_ERR_IO, "cannot write spectrogram " + path + ": " + why);
}

// Temp file in the same directory, then rename: readers never see a half-written PNG, and a
// failed write leaves the previous file (if any) in place.
void write_png_atomically(const std::string& path, const Image& img) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) throw_io(path, std::strerror(errno));
  fchmod(fd, 0644);  // mkstemp makes 0600; a picture is meant to be shared
  std::FILE* fp = fdopen(fd, "wb");
  if (!fp) {
    const int err = errno;
    close(fd);
    unlink(tmp.c_str());
    throw_io(path, std::strerror(err));
  }
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(img.width());
  png.height = static_cast<png_uint_32>(img.height());
  png.format = PNG_FORMAT_RGB;
  // The simplified libpng API does its setjmp/longjmp internally, so no longjmp crosses C++ frames.
  const bool written = png_image_write_to_stdio(&png, fp, 0, img.data(), 0, nullptr) != 0;
  const std::string png_msg = png.message;
  png_image_free(&png);
  const bool flushed = written && std::fflush(fp) == 0 && fsync(fileno(fp)) == 0;
  const int err = errno;
  const bool closed = std::fclose(fp) == 0;
  if (!written || !flushed || !closed) {
    unlink(tmp.c_str());
    throw_io(path, !written ? png_msg : std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    unlink(tmp.c_str());
    throw_io(path, std::strerror(rename_err));
  }
}

}  // namespace

void write_spectrogram_png(const std::string& path, const std::vector<SpectrogramPanel>& panels) {
  if (panels.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "spectrogram: no panels");
  double longest = 0.0;
  size_t most_frames = 1;
  for (const SpectrogramPanel& p : panels) {
    if (p.sample_rate_hz <= 0) throw Error(HUSH_ERR_INVALID_ARGUMENT, "spectrogram: bad sample rate");
    const size_t n = static_cast<size_t>(fft_size(p.sample_rate_hz));
    most_frames = std::max(most_frames, frame_count(p.samples.size(), n, n / 4));
    longest = std::max(longest, static_cast<double>(p.samples.size()) / p.sample_rate_hz);
  }
  const int width = static_cast<int>(std::clamp<size_t>(most_frames, kMinWidth, kMaxWidth));
  const int panel_height = kTitleHeight + kRows;
  const int count = static_cast<int>(panels.size());
  Image img(width, count * panel_height + (count - 1) * kSeparator);

  for (int i = 0; i < count; ++i) {
    const SpectrogramPanel& p = panels[static_cast<size_t>(i)];
    const int top = i * (panel_height + kSeparator);
    if (i > 0) img.fill(0, top - kSeparator, width, kSeparator, kSeparatorColor);
    img.fill(0, top, width, panel_height, kStripBg);

    img.text(4, top + 2, p.title, kTitleColor);
    const std::string info = panel_info(p);
    const int info_w = static_cast<int>(info.size()) * kAdvance;
    if (4 + static_cast<int>(p.title.size()) * kAdvance + kAdvance <= width - 4 - info_w) {
      img.text(width - 4 - info_w, top + 2, info, kInfoColor);
    }

    // Shared time scale: a panel half as long as the longest gets half the width.
    const double seconds = static_cast<double>(p.samples.size()) / p.sample_rate_hz;
    const int cols = longest > 0.0 ? std::max(1, static_cast<int>(std::lround(width * seconds / longest))) : width;
    const std::vector<double> db = spectrogram_db(p.samples, p.sample_rate_hz, cols);
    for (int c = 0; c < cols; ++c) {
      for (int r = 0; r < kRows; ++r) {
        const double level = db[static_cast<size_t>(c) * kRows + static_cast<size_t>(r)];
        img.set(c, top + kTitleHeight + (kRows - 1 - r), magma((level - kDbFloor) / (kDbCeil - kDbFloor)));
      }
    }
  }
  write_png_atomically(path, img);
}

}  // namespace hush::util
