// Shared by the meeting-library unit test and the privacy policy tests: a scratch HUSH_HOME,
// a byte scanner over every file under a directory, and sample meetings carrying unique
// markers.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "meeting/notes.h"
#include "meeting/transcript.h"

namespace hush::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/hush-test-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string read_file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file_bytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Every regular file under `dir`, recursively (the database, -wal, -shm, recordings, ...).
inline std::vector<std::string> all_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) out.push_back(entry.path().string());
  return out;
}

// The files under `dir` whose bytes contain `needle` anywhere: every byte of every file,
// including SQLite free pages and WAL frames, as a forensic reader would see them.
inline std::vector<std::string> files_containing(const std::string& dir, std::string_view needle) {
  std::vector<std::string> hits;
  for (const std::string& file : all_files(dir))
    if (read_file_bytes(file).find(needle) != std::string::npos) hits.push_back(file);
  return hits;
}

// A lowercase word no real text contains, so FTS5 (which lowercases its terms) stores it as is.
inline std::string unique_marker(const std::string& tag) {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  std::string out = "zq" + tag;
  for (int i = 0; i < 14; ++i) out += static_cast<char>('a' + rng() % 26);
  return out;
}

// Needles that find a marker even where FTS5 prefix-compresses terms: the marker and its
// second half (a prefix-compressed term still holds its suffix verbatim).
inline std::vector<std::string> marker_needles(const std::string& marker) {
  return {marker, marker.substr(marker.size() / 2)};
}

// Random bytes, as a stand-in for audio that no other file can contain by chance.
inline std::string unique_byte_pattern(std::size_t n) {
  std::random_device rd;
  std::mt19937_64 rng(rd());
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(rng() & 0xff);
  return out;
}

// Two speakers, three segments; `marker` appears in the second segment.
inline meeting::Transcript sample_transcript(const std::string& marker = "") {
  meeting::Transcript t;
  t.source = "meeting.ogg";
  t.asr_engine = "test";
  t.duration_s = 30.0;
  t.speakers = {{0, "me"}, {1, "S1"}};
  auto seg = [](double a, double b, std::string text, int speaker) {
    meeting::Segment s;
    s.start_s = a;
    s.end_s = b;
    s.text = std::move(text);
    s.speaker = speaker;
    return s;
  };
  t.segments = {seg(0.0, 4.5, "good morning everyone let us start", 0),
                seg(5.0, 11.25, "the budget for the launch " + marker + " is still open", 1),
                seg(12.0, 20.0, "alice will send the draft by friday", 0)};
  return t;
}

inline meeting::Notes sample_notes(const std::string& marker = "") {
  meeting::Notes n;
  n.summarizer = "test";
  n.summary = {{"the budget for the launch is still open " + marker, 5.0, 1}};
  n.action_items = {{"send the draft " + marker, "alice", "by friday", 12.0, 0}};
  n.decisions = {{"we ship in spring", 15.0, 0}};
  n.questions = {{"who pays for the venue", 18.0, 1}};
  n.topics = {"budget", "launch"};
  n.chapters = {{"Opening", 0.0, 5.0}, {"Budget", 5.0, 30.0}};
  return n;
}

}  // namespace hush::test
