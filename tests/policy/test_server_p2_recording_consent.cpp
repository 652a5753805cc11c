// P2: recordings are stored only while recording is on, with consent. Live transcription
// without recording keeps audio in memory and drops it.
#include "server_fixture.h"

namespace hush::test {
namespace {

class P2RecordingConsent : public HushdFixture {};

TEST_P(P2RecordingConsent, NothingIsStoredWhileRecordingIsOff) {
  const std::string wav = test_wav(7);
  // The file endpoint and a live stream, with recording off (the default).
  const auto r = call("POST", "/v1/audio/transcriptions", admin_key_, multipart({{"model", "whisper-1"}}, wav),
                      kMultipartType);
  ASSERT_EQ(r.status, 200) << r.body;
  server::WebSocketClient ws;
  ws.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000",
             {{"Authorization", "Token " + admin_key_}});
  ws.send_binary(std::as_bytes(std::span(wav.data() + 44, wav.size() - 44)));
  ws.send_text(R"({"type":"CloseStream"})");
  read_until_closed(ws);
  // An upload is refused too, and asking a stream to record is refused before it starts.
  EXPECT_EQ(upload(admin_key_, "off").status, 403);
  server::WebSocketClient rec;
  try {
    rec.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000&record=true&consent=true",
                {{"Authorization", "Token " + admin_key_}});
    ADD_FAILURE() << "a recording stream was accepted with recording off";
  } catch (const server::HttpStatusError& e) {
    EXPECT_EQ(e.status(), 403);
  }
  shutdown();
  EXPECT_FALSE(stored_anywhere(audio_needle(wav)));
  EXPECT_TRUE(all_files(blob_root()).empty()) << "a blob was written with recording off";
}

TEST_P(P2RecordingConsent, RecordingWithoutConsentIsRefused) {
  set_settings(R"({"recording_enabled": true})");
  EXPECT_EQ(upload(admin_key_, "no consent", 1, false).status, 403);
  server::WebSocketClient rec;
  try {
    rec.connect("127.0.0.1", hushd_->port(), "/v1/listen?encoding=linear16&sample_rate=16000&record=true",
                {{"Authorization", "Token " + admin_key_}});
    ADD_FAILURE() << "a recording stream without consent was accepted";
  } catch (const server::HttpStatusError& e) {
    EXPECT_EQ(e.status(), 403);
  }
  EXPECT_TRUE(all_files(blob_root()).empty());
  // With consent it is kept (the check above would pass on a server that stores nothing).
  const auto ok = upload(admin_key_, "with consent");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(all_files(blob_root()).size(), 1u);
}

TEST_P(P2RecordingConsent, RecordedLiveStreamIsKeptEncrypted) {
  set_settings(R"({"recording_enabled": true})");
  const std::string wav = test_wav(3);
  {
    server::WebSocketClient ws;
    ws.connect("127.0.0.1", hushd_->port(),
               "/v1/listen?encoding=linear16&sample_rate=16000&record=true&consent=true&title=standup",
               {{"Authorization", "Token " + admin_key_}});
    ws.send_binary(std::as_bytes(std::span(wav.data() + 44, wav.size() - 44)));
    ws.send_text(R"({"type":"CloseStream"})");
    read_until_closed(ws);
  }
  for (int i = 0; i < 100 && call("GET", "/v1/recordings", admin_key_).json()["recordings"].empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto list = call("GET", "/v1/recordings", admin_key_).json()["recordings"];
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["title"], "standup");
  run_jobs();
  const auto audio = call("GET", "/v1/recordings/" + list[0]["id"].get<std::string>() + "/audio", admin_key_);
  ASSERT_EQ(audio.status, 200);
  EXPECT_NE(audio.body.find(audio_needle(wav)), std::string::npos) << "the recording holds the streamed audio";
  EXPECT_FALSE(stored_anywhere(audio_needle(wav))) << "stored in plaintext";
}

HUSHD_BACKENDS(P2RecordingConsent);

}  // namespace
}  // namespace hush::test
