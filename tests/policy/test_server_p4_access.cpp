// P4: access is checked on every read. Another workspace's user, a member without the role, an
// expired token and no token are each refused, and the refusal leaks nothing.
#include "server_fixture.h"

namespace hush::test {
namespace {

class P4Access : public HushdFixture {};

TEST_P(P4Access, EveryEndpointRefusesOutsiders) {
  set_settings(R"({"recording_enabled": true})");
  const std::string marker = unique_marker("p4title");
  const auto created = upload(admin_key_, marker);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json()["id"];
  run_jobs();

  // Someone in another workspace, with a valid key there.
  const auto outsider = make_user("outsider@example.com", "Otto Outsider");
  const auto other_ws = hushd_->store().create_workspace(principal(outsider), "Elsewhere").id;
  const std::string outsider_key = key_for(outsider, other_ws);
  const std::string viewer_key = member_key("viewer@example.com", store::Role::viewer);
  const std::string member_key_ = member_key("member@example.com", store::Role::member);
  // A session token that will have expired.
  const auto login = call("POST", "/v1/auth/login", "", R"({"email":"member@example.com","password":"correct horse battery"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string session = login.json()["token"];

  const std::string ws = "/v1/workspaces/" + workspace_;
  const std::string rec = "/v1/recordings/" + id;
  struct Case { std::string method, target, body; };
  const std::vector<Case> reads = {
      {"GET", rec, ""}, {"GET", rec + "/srt", ""}, {"GET", rec + "/vtt", ""}, {"GET", rec + "/audio", ""},
      {"GET", "/v1/recordings?workspace_id=" + workspace_, ""}, {"GET", ws, ""}, {"GET", ws + "/members", ""}};
  const std::vector<Case> admin_only = {
      {"PATCH", ws + "/settings", R"({"notes_enabled": false})"}, {"GET", ws + "/audit", ""},
      {"PUT", ws + "/members", R"({"email":"outsider@example.com","role":"admin"})"},
      {"GET", ws + "/privacy-requests", ""}, {"PUT", rec + "/hold", R"({"hold": true})"},
      {"DELETE", rec, ""}, {"GET", "/v1/stats", ""}, {"GET", "/v1/training/feedback", ""},
      {"PUT", rec + "/transcript", R"({"segments": []})"},
      {"POST", ws + "/members/" + admin_.id + "/export", ""},
      {"POST", ws + "/members/" + admin_.id + "/erase", ""},
      {"POST", ws + "/members/" + admin_.id + "/restrict", R"({"restricted": true})"},
      {"DELETE", ws + "/members/" + admin_.id, ""}};
  // Reads and writes that only need access to the recording.
  const std::vector<Case> recording_access = {
      {"POST", rec + "/shares", R"({"email":"outsider@example.com"})"},
      {"POST", rec + "/feedback", R"({"rating": 3})"}};

  auto refused = [&](const Case& c, const std::string& key, std::initializer_list<int> codes, const char* who) {
    const auto r = call(c.method, c.target, key, c.body);
    bool ok = false;
    for (int code : codes) ok = ok || r.status == code;
    EXPECT_TRUE(ok) << who << ": " << c.method << " " << c.target << " -> " << r.status << " " << r.body;
    EXPECT_EQ(r.body.find(marker), std::string::npos) << who << " saw the title via " << c.target;
  };
  for (const auto& c : reads) refused(c, outsider_key, {403, 404}, "another workspace");
  for (const auto& c : recording_access) refused(c, outsider_key, {403, 404}, "another workspace");
  refused(recording_access[0], viewer_key, {403}, "viewer sharing");
  for (const auto& c : admin_only) refused(c, outsider_key, {403, 404}, "another workspace");
  for (const auto& c : admin_only) refused(c, viewer_key, {403, 404}, "viewer");
  for (const auto& c : admin_only) refused(c, member_key_, {403, 404}, "member");
  EXPECT_EQ(upload(viewer_key, "viewer upload").status, 403);
  for (const auto& c : reads) refused(c, "", {401}, "no token");
  for (const auto& c : admin_only) refused(c, "", {401}, "no token");
  for (const auto& c : recording_access) refused(c, "", {401}, "no token");
  refused({"GET", "/v1/me/export", ""}, "", {401}, "no token");
  refused({"DELETE", "/v1/me", ""}, "", {401}, "no token");
  refused({"GET", "/v1/keys", ""}, "", {401}, "no token");
  for (const auto& c : reads) refused(c, "hk_not-a-real-key", {401}, "unknown key");
  now_s_ += store::kSessionLifetimeS + 1;
  for (const auto& c : reads) refused(c, session, {401}, "expired session");

  // Nothing the refused requests asked for happened.
  EXPECT_TRUE(hushd_->store().find_user_by_email("admin@example.com"));
  EXPECT_FALSE(hushd_->store().get_user(admin_.id).restricted);
  EXPECT_EQ(call("GET", rec, admin_key_).json()["status"], "completed");
  // The same reads work for the members who may (so the refusals above are not a broken route).
  EXPECT_EQ(call("GET", rec, viewer_key).status, 200);
  EXPECT_EQ(call("GET", rec + "/srt", member_key_).status, 200);
  // A share lets one outsider read one recording, through their session.
  ASSERT_EQ(call("POST", rec + "/shares", admin_key_, R"({"email":"outsider@example.com"})").status, 200);
  const auto outsider_login =
      call("POST", "/v1/auth/login", "", R"({"email":"outsider@example.com","password":"correct horse battery"})");
  EXPECT_EQ(call("GET", rec, outsider_login.json()["token"]).status, 200);
  EXPECT_EQ(call("GET", rec, outsider_key).status, 404) << "an API key of another workspace does not use shares";
}

HUSHD_BACKENDS(P4Access);

}  // namespace
}  // namespace hush::test
