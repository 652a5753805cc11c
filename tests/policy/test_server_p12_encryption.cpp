// P12: recordings are encrypted at rest with a per-workspace key; deleting the key makes them
// unreadable (crypto-shredding); the server speaks TLS.
#include "server_fixture.h"

namespace hush::test {
namespace {

class P12Encryption : public HushdFixture {};

TEST_P(P12Encryption, BlobsHoldNoPlaintextAndShreddingTheKeyEndsThem) {
  set_settings(R"({"recording_enabled": true})");
  const std::string wav = test_wav(21);
  const std::string id = upload(admin_key_, "encrypted", 21).json()["id"];
  const auto blobs = all_files(blob_root());
  ASSERT_EQ(blobs.size(), 1u);
  EXPECT_EQ(read_file_bytes(blobs[0]).find(audio_needle(wav)), std::string::npos) << "plaintext audio in the blob";
  EXPECT_TRUE(files_containing(data_.path(), audio_needle(wav)).empty());
  ASSERT_EQ(call("GET", "/v1/recordings/" + id + "/audio", admin_key_).body, wav) << "decrypts back exactly";
  hushd_->blobs().shred_workspace_key(workspace_);
  const auto after = call("GET", "/v1/recordings/" + id + "/audio", admin_key_);
  EXPECT_GE(after.status, 400);
  EXPECT_EQ(after.body.find(audio_needle(wav)), std::string::npos);
}

HUSHD_BACKENDS(P12Encryption);

TEST(P12Tls, HttpsRequestWorks) {
  ScratchDir dir;
  const std::string cert = dir / "cert.pem", key = dir / "key.pem";
  const std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                          "-subj /CN=localhost -keyout " + key + " -out " + cert + " > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) GTEST_SKIP() << "no openssl command";
  server::HushdConfig config;
  config.data_dir = dir / "hushd";
  config.http.port = 0;
  config.http.tls_cert_file = cert;
  config.http.tls_key_file = key;
  config.job_workers = 0;
  server::Hushd hushd(config);
  hushd.start();
  const auto r = server::http_request("127.0.0.1", hushd.port(), "GET", "/v1/me", {}, "", true);
  EXPECT_EQ(r.status, 401) << "an answer over TLS (unauthenticated)";
  EXPECT_THROW(server::http_request("127.0.0.1", hushd.port(), "GET", "/v1/me", {}, "", false,
                                    std::chrono::milliseconds(3000)),
               Error)
      << "plain HTTP is not served on a TLS port";
  hushd.stop();
}

}  // namespace
}  // namespace hush::test
