// Encryption at rest: the keyring (crypto/keyring.h), the secretstream file format
// (crypto/encrypted_file.h), and recordings written through it (meeting/encrypted_sink.h,
// meeting/recording_file.h): round trips, files cut short, tampering, wrong or deleted keys,
// keyring permissions and corruption.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "audio/opus_writer.h"
#include "crypto/encrypted_file.h"
#include "crypto/keyring.h"
#include "meeting/encrypted_sink.h"
#include "meeting/recording_file.h"
#include "util/error.h"

namespace fs = std::filesystem;
using hush::crypto::DecryptedStream;
using hush::crypto::EncryptedFileWriter;
using hush::crypto::Keyring;
using hush::crypto::SecretKey;

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void write_text(const std::string& path, const std::string& text, mode_t mode = 0600) {
  std::ofstream(path, std::ios::trunc) << text;
  fs::permissions(path, fs::perms(mode));
}
std::vector<std::uint8_t> pattern(std::size_t n, int seed) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>((i * 131 + std::size_t(seed) * 7) % 251);
  return v;
}
bool contains(const std::vector<std::uint8_t>& hay, const std::string& needle) {
  return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}
hush_error code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hush::Error& e) {
    return e.code();
  }
  return HUSH_ERR_INTERNAL;  // "did not throw"
}
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hush::Error& e) {
    return e.what();
  }
  return "(no error)";
}

class encrypted_file : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "hush-encrypted-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

  // Three chunks of 1000, 0 and 2500 bytes, then a final chunk of 10; returns the plaintext
  // and the file size after each chunk.
  std::vector<std::uint8_t> write_sample(const std::string& file, const SecretKey& key,
                                         std::vector<std::size_t>* ends = nullptr,
                                         std::vector<std::size_t>* plain_ends = nullptr) {
    std::vector<std::uint8_t> all;
    EncryptedFileWriter w(file, key, "recordings");
    if (ends) ends->push_back(fs::file_size(file));
    int seed = 0;
    for (const std::size_t n : {1000, 0, 2500}) {
      const std::vector<std::uint8_t> chunk = pattern(n, ++seed);
      w.write_chunk(chunk);
      all.insert(all.end(), chunk.begin(), chunk.end());
      if (ends) ends->push_back(fs::file_size(file));
      if (plain_ends) plain_ends->push_back(all.size());
    }
    const std::vector<std::uint8_t> last = pattern(10, 9);
    w.finish(last);
    all.insert(all.end(), last.begin(), last.end());
    if (ends) ends->push_back(fs::file_size(file));
    if (plain_ends) plain_ends->push_back(all.size());
    return all;
  }

  std::string dir_;
};

TEST_F(encrypted_file, round_trip_is_finalized_and_private) {
  const SecretKey key = SecretKey::generate();
  const std::vector<std::uint8_t> plain = write_sample(path("a.enc"), key);
  struct stat st {};
  ASSERT_EQ(::stat(path("a.enc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::vector<std::uint8_t> bytes = read_bytes(path("a.enc"));
  EXPECT_TRUE(hush::crypto::has_encrypted_magic(bytes));
  EXPECT_TRUE(hush::crypto::is_encrypted_file(path("a.enc")));
  EXPECT_EQ(hush::crypto::encrypted_key_name(bytes, "a"), "recordings");
  const DecryptedStream d = hush::crypto::decrypt_stream(bytes, key, "a");
  EXPECT_EQ(d.plaintext, plain);
  EXPECT_EQ(d.chunks, 4u);
  EXPECT_TRUE(d.finalized);
  EXPECT_EQ(d.key_name, "recordings");
}

TEST_F(encrypted_file, truncated_file_returns_the_complete_chunks_not_finalized) {
  const SecretKey key = SecretKey::generate();
  std::vector<std::size_t> ends, plain_ends;
  const std::vector<std::uint8_t> plain = write_sample(path("t.enc"), key, &ends, &plain_ends);
  const std::vector<std::uint8_t> bytes = read_bytes(path("t.enc"));
  ASSERT_EQ(ends.back(), bytes.size());
  // Cut at every byte from the end of the header on.
  for (std::size_t cut = ends[0]; cut < bytes.size(); ++cut) {
    const DecryptedStream d = hush::crypto::decrypt_stream(std::span(bytes).first(cut), key, "t");
    std::size_t complete = 0;  // chunks wholly inside the cut
    while (complete < plain_ends.size() && ends[complete + 1] <= cut) ++complete;
    const std::size_t want = complete == 0 ? 0 : plain_ends[complete - 1];
    ASSERT_EQ(d.plaintext.size(), want) << "cut at " << cut;
    ASSERT_TRUE(std::equal(d.plaintext.begin(), d.plaintext.end(), plain.begin())) << "cut at " << cut;
    ASSERT_FALSE(d.finalized) << "cut at " << cut;
  }
  // Cut inside the header: a clear format error.
  for (std::size_t cut : {std::size_t{3}, std::size_t{9}, ends[0] - 1}) {
    EXPECT_EQ(code_of([&] { hush::crypto::decrypt_stream(std::span(bytes).first(cut), key, "t"); }),
              HUSH_ERR_FORMAT) << "cut at " << cut;
  }
}

TEST_F(encrypted_file, a_flipped_byte_is_an_error_or_a_cut_never_a_finalized_stream) {
  const SecretKey key = SecretKey::generate();
  std::vector<std::size_t> ends;
  const std::vector<std::uint8_t> plain = write_sample(path("f.enc"), key, &ends);
  const std::vector<std::uint8_t> bytes = read_bytes(path("f.enc"));
  int errors = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::vector<std::uint8_t> bad = bytes;
    bad[i] ^= 0x20;
    try {
      const DecryptedStream d = hush::crypto::decrypt_stream(bad, key, "f");
      // Only a length prefix made larger can pass: the file then looks cut short there.
      EXPECT_FALSE(d.finalized) << "byte " << i << " flipped, yet the stream verified";
      EXPECT_LT(d.plaintext.size(), plain.size()) << "byte " << i;
    } catch (const hush::Error& e) {
      EXPECT_EQ(e.code(), HUSH_ERR_FORMAT) << "byte " << i;
      ++errors;
    }
  }
  EXPECT_GT(errors, int(bytes.size()) * 9 / 10);
  // Any byte of a chunk's ciphertext flipped: "cannot decrypt".
  std::vector<std::uint8_t> bad = bytes;
  bad[ends[1] - 5] ^= 1;
  EXPECT_NE(message_of([&] { hush::crypto::decrypt_stream(bad, key, "f"); }).find("cannot decrypt"),
            std::string::npos);
}

TEST_F(encrypted_file, wrong_key_and_trailing_data_are_format_errors) {
  const SecretKey key = SecretKey::generate();
  write_sample(path("w.enc"), key);
  std::vector<std::uint8_t> bytes = read_bytes(path("w.enc"));
  const SecretKey other = SecretKey::generate();
  EXPECT_EQ(code_of([&] { hush::crypto::decrypt_stream(bytes, other, "w"); }), HUSH_ERR_FORMAT);
  EXPECT_NE(message_of([&] { hush::crypto::decrypt_stream(bytes, other, "w"); }).find("wrong key"), std::string::npos);
  bytes.push_back(0);
  EXPECT_EQ(code_of([&] { hush::crypto::decrypt_stream(bytes, key, "w"); }), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_of([&] { hush::crypto::decrypt_stream(pattern(100, 1), key, "junk"); }), HUSH_ERR_FORMAT);
  EXPECT_EQ(code_of([&] { hush::crypto::decrypt_stream({}, key, "empty"); }), HUSH_ERR_FORMAT);
}

TEST_F(encrypted_file, writer_refuses_an_existing_file) {
  write_text(path("x.enc"), "precious");
  EXPECT_EQ(code_of([&] { EncryptedFileWriter w(path("x.enc"), SecretKey::generate(), "recordings"); }), HUSH_ERR_IO);
  EXPECT_EQ(read_bytes(path("x.enc")).size(), 8u);
}

TEST_F(encrypted_file, keyring_creates_a_private_file_and_keeps_keys) {
  const Keyring keyring(path("home/sub/keyring"));
  EXPECT_FALSE(keyring.find("recordings").has_value()) << "no file yet: no key";
  Keyring writable = keyring;
  const SecretKey a = writable.get_or_create("recordings");
  const SecretKey b = writable.get_or_create("other");
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(writable.get_or_create("recordings") == a);
  ASSERT_TRUE(Keyring(path("home/sub/keyring")).find("recordings").has_value());
  EXPECT_TRUE(*Keyring(path("home/sub/keyring")).find("recordings") == a);
  EXPECT_EQ(keyring.names(), (std::vector<std::string>{"recordings", "other"}));
  struct stat st {};
  ASSERT_EQ(::stat(path("home/sub/keyring").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(path("home/sub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const auto& entry : fs::directory_iterator(path("home/sub"))) {
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << "temp file left: " << entry.path();
  }
  EXPECT_TRUE(writable.remove("recordings"));
  EXPECT_FALSE(writable.remove("recordings"));
  EXPECT_FALSE(keyring.find("recordings").has_value());
  EXPECT_TRUE(keyring.find("other").has_value());
  EXPECT_EQ(code_of([&] { writable.get_or_create("bad name"); }), HUSH_ERR_INVALID_ARGUMENT);
}

TEST_F(encrypted_file, keyring_is_one_key_when_created_concurrently) {
  std::vector<SecretKey> keys(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] { keys[i] = Keyring(path("keyring")).get_or_create("recordings"); });
  }
  for (auto& t : threads) t.join();
  for (const SecretKey& k : keys) EXPECT_TRUE(k == keys[0]);
  EXPECT_EQ(Keyring(path("keyring")).names().size(), 1u);
}

TEST_F(encrypted_file, keyring_with_loose_permissions_is_refused) {
  Keyring keyring(path("keyring"));
  keyring.get_or_create("recordings");
  for (const mode_t mode : {0644, 0640, 0604, 0660}) {
    fs::permissions(path("keyring"), fs::perms(mode));
    const std::string msg = message_of([&] { keyring.find("recordings"); });
    EXPECT_EQ(code_of([&] { keyring.find("recordings"); }), HUSH_ERR_IO) << std::oct << mode;
    EXPECT_NE(msg.find("permissions"), std::string::npos) << msg;
    EXPECT_NE(msg.find(path("keyring")), std::string::npos) << msg;
  }
  fs::permissions(path("keyring"), fs::perms(0600));
  EXPECT_TRUE(keyring.find("recordings").has_value());
  fs::remove(path("keyring"));
  fs::create_symlink(path("elsewhere"), path("keyring"));
  EXPECT_EQ(code_of([&] { keyring.find("recordings"); }), HUSH_ERR_IO) << "a symlink is not followed";
}

TEST_F(encrypted_file, corrupt_keyring_is_a_format_error_naming_the_file) {
  const std::string key32 = "q3K8Y2yJmQbqzq6cYV7bWd3kqg6H0N2QzF6b4m3v1fA=";
  ASSERT_TRUE(Keyring(path("ok")).names().empty());
  write_text(path("ok"), "hush-keyring 1\nrecordings " + key32 + "\n");
  ASSERT_EQ(Keyring(path("ok")).names().size(), 1u);
  const std::vector<std::string> corrupt = {
      "",                                                              // empty
      "hush-keyring 2\n",                                              // unknown version
      "not a keyring\n",                                               // wrong header
      "hush-keyring 1\nrecordings " + key32,                           // cut short (no newline)
      "hush-keyring 1\nrecordings\n",                                  // no key
      "hush-keyring 1\nrecordings AAAA\n",                             // key too short
      "hush-keyring 1\nrecordings " + key32 + "AAAA\n",                // key too long
      "hush-keyring 1\nrecordings " + key32.substr(0, 40) + "!!!=\n",  // not base64
      "hush-keyring 1\nbad/name " + key32 + "\n",                      // invalid name
      "hush-keyring 1\nrecordings " + key32 + "\nrecordings " + key32 + "\n",  // twice
  };
  for (const std::string& text : corrupt) {
    write_text(path("bad"), text);
    const std::string msg = message_of([&] { Keyring(path("bad")).find("recordings"); });
    EXPECT_EQ(code_of([&] { Keyring(path("bad")).find("recordings"); }), HUSH_ERR_FORMAT) << text;
    EXPECT_NE(msg.find(path("bad")), std::string::npos) << msg;
  }
}

TEST_F(encrypted_file, keyring_text_parses_in_memory) {
  const std::string key32 = "q3K8Y2yJmQbqzq6cYV7bWd3kqg6H0N2QzF6b4m3v1fA=";
  const auto entries = hush::crypto::parse_keyring("hush-keyring 1\nrecordings " + key32 + "\nnotes.v2 " + key32 + "\n", "mem");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].first, "recordings");
  EXPECT_EQ(entries[1].first, "notes.v2");
  EXPECT_TRUE(entries[0].second == entries[1].second);
  EXPECT_TRUE(hush::crypto::parse_keyring("hush-keyring 1\n", "mem").empty());
  const std::string msg = message_of([] { hush::crypto::parse_keyring("hush-keyring 1\nx\n", "mem"); });
  EXPECT_NE(msg.find("keyring mem: line 2"), std::string::npos) << msg;
}

// A recording written the way `hush record --encrypt` writes it: no plaintext Ogg in the file,
// readable through read_recording while its key exists, unreadable once the key is deleted.
TEST_F(encrypted_file, encrypted_recording_reads_back_and_is_shredded_with_its_key) {
  Keyring keyring(path("keyring"));
  const std::string rec = path("r.ogg.enc");
  std::vector<float> x(48000 * 2 * 2);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.3f * std::sin(float(i / 2) * 0.05f * float(1 + i % 2));
  {
    hush::meeting::EncryptedSink sink(rec, keyring.get_or_create("recordings"), "recordings");
    hush::audio::OpusWriterConfig config;
    config.channels = 2;
    config.title = "Secret meeting";
    hush::audio::OpusWriter writer(sink, config);
    writer.write(std::span<const float>(x).first(x.size() / 2));
    // Abandoned here, the file already plays its first committed second.
    const hush::audio::AudioBuffer partial = hush::meeting::read_recording(rec, keyring);
    EXPECT_GE(partial.duration_s(), 0.4);
    EXPECT_EQ(hush::meeting::probe_recording(rec, keyring).container, "Ogg (encrypted, not finalized)");
    writer.write(std::span<const float>(x).subspan(x.size() / 2));
    writer.finish();
  }
  const std::vector<std::uint8_t> bytes = read_bytes(rec);
  for (const char* plain : {"OggS", "OpusHead", "OpusTags", "Secret meeting"}) {
    EXPECT_FALSE(contains(bytes, plain)) << plain << " appears in the encrypted file";
  }
  EXPECT_TRUE(hush::meeting::is_encrypted_recording(rec));
  const hush::audio::AudioBuffer a = hush::meeting::read_recording(rec, keyring);
  EXPECT_EQ(a.channels, 2);
  EXPECT_EQ(a.frames(), 96000u);
  const hush::audio::AudioInfo info = hush::meeting::probe_recording(rec, keyring);
  EXPECT_EQ(info.container, "Ogg (encrypted)");
  EXPECT_EQ(info.frames, 96000);

  ASSERT_TRUE(keyring.remove("recordings"));
  const std::string msg = message_of([&] { hush::meeting::read_recording(rec, keyring); });
  EXPECT_EQ(code_of([&] { hush::meeting::read_recording(rec, keyring); }), HUSH_ERR_FORMAT);
  EXPECT_NE(msg.find("cannot decrypt"), std::string::npos) << msg;
  // A new key under the same name does not open it either.
  keyring.get_or_create("recordings");
  EXPECT_EQ(code_of([&] { hush::meeting::read_recording(rec, keyring); }), HUSH_ERR_FORMAT);
}

}  // namespace
