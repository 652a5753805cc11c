// Transcript exports against golden files in tests/data/export/ (regenerate them with
// HUSH_UPDATE_GOLDEN=1 after an intended change, and review the diff). The sample transcript
// covers times past one hour (and ten), millisecond rounding at a second boundary, UTF-8,
// characters that JSON, WebVTT and Markdown must escape, segments without a speaker, and an
// empty transcript.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "meeting/transcript.h"
#include "meeting/transcript_export.h"
#include "util/error.h"

namespace {

using hush::meeting::ExportFormat;
using hush::meeting::Segment;
using hush::meeting::Transcript;
using hush::meeting::Word;

const std::string kGoldenDir = std::string(HUSH_SOURCE_DIR) + "/tests/data/export/";

Segment segment(double start_s, double end_s, int speaker, const std::string& text) {
  Segment s;
  s.start_s = start_s;
  s.end_s = end_s;
  s.speaker = speaker;
  s.channel = speaker == 1 ? 1 : 0;
  s.text = text;
  // Words spread evenly over the segment, as the recognizer would time them.
  std::istringstream in(text);
  std::vector<std::string> tokens;
  for (std::string w; in >> w;) tokens.push_back(w);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const double step = (end_s - start_s) / double(tokens.size());
    s.words.push_back(Word{tokens[i], start_s + step * double(i), start_s + step * double(i + 1), 0.75f, speaker});
  }
  s.confidence = 0.75f;
  return s;
}

Transcript sample() {
  Transcript t;
  t.source = "/home/ana/meetings/weekly sync.ogg";
  t.asr_engine = "pocketsphinx en-us";
  t.duration_s = 36012.5;
  t.speakers = {{0, "me"}, {1, "Zoë <Ops> & \"Co\""}};
  t.segments = {
      segment(0.0004, 1.9996, 0, "hello, world"),                            // rounds to 0.000 / 2.000
      segment(59.9995, 61.25, 1, "naïve café — “quoted” \"plain\" back\\slash\ttab"),
      segment(3723.4567, 3725.0005, hush::meeting::kNoSpeaker, "*bold* _under_ <b>tag</b> # [link](x) a|b"),
      segment(36000.0, 36012.5, 0, "ten hours in: a & b < c"),
  };
  return t;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + name;
  if (const char* update = std::getenv("HUSH_UPDATE_GOLDEN"); update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    std::printf("updated %s\n", path.c_str());
    return;
  }
  std::ifstream probe(path);
  ASSERT_TRUE(probe.good()) << "missing golden file " << path << " (run with HUSH_UPDATE_GOLDEN=1)";
  EXPECT_EQ(actual, read_file(path)) << "export differs from " << path
                                      << " (if intended, regenerate with HUSH_UPDATE_GOLDEN=1 and review the diff)";
}

struct Case {
  ExportFormat format;
  const char* ext;
};
constexpr Case kCases[] = {{ExportFormat::txt, "txt"}, {ExportFormat::srt, "srt"}, {ExportFormat::vtt, "vtt"},
                           {ExportFormat::json, "json"}, {ExportFormat::md, "md"}};

TEST(TranscriptExport, SampleMatchesGoldenFiles) {
  for (const Case& c : kCases) expect_golden(std::string("sample.") + c.ext, hush::meeting::export_transcript(sample(), c.format));
}

TEST(TranscriptExport, EmptyTranscriptMatchesGoldenFiles) {
  Transcript empty;
  for (const Case& c : kCases) expect_golden(std::string("empty.") + c.ext, hush::meeting::export_transcript(empty, c.format));
}

TEST(TranscriptExport, JsonRoundTripsAndEscapes) {
  const std::string text = hush::meeting::export_transcript(sample(), ExportFormat::json);
  const nlohmann::json parsed = nlohmann::json::parse(text);  // valid JSON, UTF-8 and all
  const Transcript back = hush::meeting::transcript_from_json(parsed);
  EXPECT_EQ(back.segments.at(1).text, sample().segments.at(1).text);
  EXPECT_EQ(back.speakers.at(1).label, "Zoë <Ops> & \"Co\"");
  EXPECT_NE(text.find("back\\\\slash\\ttab"), std::string::npos);  // escaped, not raw
  EXPECT_NE(text.find("naïve café"), std::string::npos);           // UTF-8 kept as is
  // Invalid UTF-8 does not throw: it is replaced.
  Transcript bad = sample();
  bad.segments[0].text = "broken \xC3\x28 byte";
  EXPECT_NO_THROW(nlohmann::json::parse(hush::meeting::export_transcript(bad, ExportFormat::json)));
}

// Found by fuzz/fuzz_transcript_json: nlohmann casts numbers unchecked, so an int field of 1e12
// was undefined behaviour and a confidence of 1e39 became infinity, written back as null.
TEST(TranscriptExport, JsonNumbersOutOfRangeAreFormatErrors) {
  const auto code_for = [](const std::string& text) {
    try {
      hush::meeting::transcript_from_json(nlohmann::json::parse(text));
      return HUSH_OK;
    } catch (const hush::Error& e) {
      EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
      return e.code();
    }
  };
  EXPECT_EQ(code_for(R"({"segments":[{"speaker":1e12}]})"), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_for(R"({"segments":[{"channel":2147483648}]})"), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_for(R"({"segments":[{"channel":-2147483649}]})"), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_for(R"({"speakers":[{"id":0.5}]})"), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_for(R"({"segments":[{"confidence":1e39}]})"), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_for(R"({"segments":[{"words":[{"confidence":-1e39}]}]})"), HUSH_ERR_FORMAT);
  // In range, an integral float is still an int.
  EXPECT_EQ(code_for(R"({"speakers":[{"id":1.0}],"segments":[{"speaker":1,"channel":-2147483648}]})"), HUSH_OK);
}

TEST(TranscriptExport, TimestampRounding) {
  using hush::meeting::format_clock;
  using hush::meeting::format_timestamp_ms;
  EXPECT_EQ(format_timestamp_ms(0.0, ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp_ms(1.9996, ','), "00:00:02,000");  // carries into the seconds
  EXPECT_EQ(format_timestamp_ms(59.9995, '.'), "00:01:00.000");  // and the minutes
  EXPECT_EQ(format_timestamp_ms(3599.9999, '.'), "01:00:00.000"); // and the hours
  EXPECT_EQ(format_timestamp_ms(3723.4564, ','), "01:02:03,456");
  EXPECT_EQ(format_timestamp_ms(360000.5, ','), "100:00:00,500");  // past 99 hours
  EXPECT_EQ(format_timestamp_ms(-3.0, ','), "00:00:00,000");
  EXPECT_EQ(format_timestamp_ms(std::nan(""), ','), "00:00:00,000");
  EXPECT_EQ(format_clock(59.9), "00:00:59");
  EXPECT_EQ(format_clock(59.9996), "00:01:00");
  EXPECT_EQ(format_clock(3725.0), "01:02:05");
}

TEST(TranscriptExport, FormatNames) {
  EXPECT_EQ(hush::meeting::export_format_from_name("srt"), ExportFormat::srt);
  EXPECT_EQ(hush::meeting::export_format_from_name("markdown"), ExportFormat::md);
  EXPECT_EQ(hush::meeting::export_format_extension(ExportFormat::vtt), "vtt");
  try {
    (void)hush::meeting::export_format_from_name("docx");
    FAIL() << "expected hush::Error";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("docx"), std::string::npos);
  }
}

}  // namespace
