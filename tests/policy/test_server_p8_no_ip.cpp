// P8: no IP addresses are stored: not in logs, not in the database, not in audit entries.
// (Requests come from 127.0.0.1; an IPv6 client is not exercised: hushd binds one address.)
#include <fcntl.h>
#include <unistd.h>

#include "server_fixture.h"

namespace hush::test {
namespace {

class P8NoIpAddresses : public HushdFixture {};

TEST_P(P8NoIpAddresses, NeitherPeerNorForwardedAddressIsKept) {
  // Everything hushd writes to stderr goes to a file in the data directory for the scan.
  const std::string log = data_.path() + "/stderr.log";
  const int saved = ::dup(2);
  const int fd = ::open(log.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  ::dup2(fd, 2);
  set_settings(R"({"recording_enabled": true})");
  const server::HeaderList forwarded = {{"X-Forwarded-For", "203.0.113.77, 198.51.100.9"},
                                        {"X-Real-IP", "203.0.113.78"}, {"Forwarded", "for=203.0.113.79"}};
  const auto r = call("POST", "/v1/recordings", admin_key_, multipart({{"title", "ip"}, {"consent", "true"}}, test_wav()),
                      kMultipartType, forwarded);
  EXPECT_EQ(r.status, 201) << r.body;
  run_jobs();
  call("GET", "/v1/recordings/" + r.json()["id"].get<std::string>(), admin_key_, "", "", forwarded);
  call("GET", "/v1/no-such-route", admin_key_, "", "", forwarded);
  call("POST", "/v1/auth/login", "", R"({"email":"admin@example.com","password":"wrong password!"})", "application/json", forwarded);
  call("GET", "/v1/me/export", admin_key_, "", "", forwarded);
  shutdown();
  ::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fd);
  for (const char* ip : {"127.0.0.1", "203.0.113.77", "198.51.100.9", "203.0.113.78", "203.0.113.79"}) {
    EXPECT_FALSE(stored_anywhere(ip)) << ip << " found under the data directory or in the database";
  }
}

HUSHD_BACKENDS(P8NoIpAddresses);

}  // namespace
}  // namespace hush::test
