#include "util/progress.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>

namespace {

using hush::util::ProgressBar;
using hush::util::ProgressOptions;

// A FILE* the bar can draw into and the test can read back.
class Capture {
 public:
  Capture() : f_(std::tmpfile()) {}
  ~Capture() { std::fclose(f_); }
  std::FILE* file() const { return f_; }
  std::string text() const {
    std::fflush(f_);
    std::rewind(f_);
    std::string s;
    for (int c; (c = std::fgetc(f_)) != EOF;) s += static_cast<char>(c);
    return s;
  }

 private:
  std::FILE* f_;
};

struct FakeClock {
  double t = 100.0;
};

// Options for a bar drawing into `out` as if it were a terminal, optionally on a fake clock.
ProgressOptions on(std::FILE* out, std::optional<bool> is_tty, FakeClock* clock = nullptr, bool enabled = true) {
  ProgressOptions o;
  o.enabled = enabled;
  o.out = out;
  o.is_tty = is_tty;
  if (clock) o.now_seconds = [clock] { return clock->t; };
  return o;
}

int count(const std::string& s, char c) { return static_cast<int>(std::count(s.begin(), s.end(), c)); }

// Lower-case suite name so `ctest -R 'progress|spectrogram'` selects these tests.
TEST(progress, DefaultFollowsWhetherStderrIsATerminal) {
  // Under ctest stderr is a pipe, so this is the "draw nothing" case there.
  ProgressBar bar("denoise", 10.0);
  EXPECT_EQ(bar.active(), isatty(fileno(stderr)) == 1);
}

TEST(progress, NotATerminalWritesNothing) {
  Capture cap;  // a regular file is not a TTY
  {
    ProgressBar bar("denoise", 10.0, on(cap.file(), std::nullopt));
    EXPECT_FALSE(bar.active());
    bar.update(5.0);
    bar.finish();
  }
  EXPECT_EQ(cap.text(), "");
}

TEST(progress, DisabledWritesNothingEvenOnATerminal) {
  Capture cap;
  {
    ProgressBar bar("denoise", 10.0, on(cap.file(), true, nullptr, false));
    bar.update(5.0);
    bar.finish();
  }
  EXPECT_EQ(cap.text(), "");
}


TEST(progress, DrawsBarPercentAndTimeLeft) {
  Capture cap;
  FakeClock clock;
  ProgressBar bar("denoise", 10.0, on(cap.file(), true, &clock));
  clock.t += 1.0;
  bar.update(4.2);  // 42% after 1 s: 0.58 / 0.42 * 1 s = 1.38 s left
  EXPECT_EQ(cap.text(), "\rdenoise [##########..............]  42%  1.4 s left");
  clock.t += 2.0;
  bar.finish();
  const std::string s = cap.text();
  EXPECT_NE(s.find("\rdenoise [########################] 100%  done in 3.0 s"), std::string::npos) << s;
  EXPECT_EQ(s.back(), '\n');
  bar.finish();  // idempotent
  EXPECT_EQ(cap.text(), s);
}

TEST(progress, RedrawsAtMostTenTimesASecond) {
  Capture cap;
  FakeClock clock;
  ProgressBar bar("x", 1000.0, on(cap.file(), true, &clock));
  for (int i = 0; i < 1000; ++i) {  // one update per millisecond for one second
    bar.update(i);
    clock.t += 0.001;
  }
  EXPECT_EQ(count(cap.text(), '\r'), 10);
}

TEST(progress, ShorterLineBlanksTheOldTailAndMinutesAreReadable) {
  Capture cap;
  FakeClock clock;
  ProgressBar bar("x", 100.0, on(cap.file(), true, &clock));
  clock.t += 10.0;
  bar.update(4.0);  // 240 s left
  const std::string first = cap.text();
  EXPECT_NE(first.find("4 min 00 s left"), std::string::npos) << first;
  clock.t += 10.0;
  bar.update(50.0);  // 20 s left, a shorter line
  const std::string second = cap.text().substr(first.size());
  EXPECT_EQ(second.size(), first.size());
  EXPECT_NE(second.find("20.0 s left  "), std::string::npos) << second;
}

TEST(progress, UnfinishedBarEndsItsLineWithoutClaimingDone) {
  Capture cap;
  {
    ProgressBar bar("x", 10.0, on(cap.file(), true));
    bar.update(3.0);
  }
  const std::string s = cap.text();
  EXPECT_EQ(s.back(), '\n');
  EXPECT_EQ(s.find("100%"), std::string::npos);
}

TEST(progress, NonsenseTotalsDoNotPrintNan) {
  Capture cap;
  ProgressBar bar("x", 0.0, on(cap.file(), true));
  bar.update(1.0);
  EXPECT_EQ(cap.text().find("nan"), std::string::npos);
  EXPECT_NE(cap.text().find("  0%"), std::string::npos);
}

TEST(progress, WorthShowingOnlyAboveFiveSeconds) {
  EXPECT_FALSE(ProgressBar::worth_showing(0.5));
  EXPECT_FALSE(ProgressBar::worth_showing(5.0));
  EXPECT_TRUE(ProgressBar::worth_showing(5.1));
}

}  // namespace
