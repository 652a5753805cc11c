// `hushd`: Hush's team server. With no arguments it serves on 127.0.0.1:8321 with an embedded
// SQLite database in the data directory (see hushd.h for where that is).
//
//   hushd [serve] [--data DIR] [--database URL] [--listen ADDR:PORT] [--tls-cert F --tls-key F]
//                 [--threads N] [--workers N] [--decode-threads N] [--web-root DIR]
//   hushd admin create --email E --name N [--workspace NAME]   (password on stdin)
//       the first (or another) server administrator, owner of a new workspace, and an API key
//   hushd sweep                                                 one retention sweep now
//
// Exit codes: 0 success, 1 runtime error, 2 usage error.
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "server/hushd.h"
#include "util/error.h"

namespace {

volatile std::sig_atomic_t g_signal = 0;

hush::server::HushdConfig parse_listen(hush::server::HushdConfig config, const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw hush::Error(HUSH_ERR_INVALID_ARGUMENT, "--listen wants ADDRESS:PORT");
  config.http.bind_address = listen.substr(0, colon);
  if (config.http.bind_address.starts_with('[')) {
    config.http.bind_address = config.http.bind_address.substr(1, config.http.bind_address.size() - 2);
  }
  config.http.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  return config;
}

std::string read_password() {
  if (const char* env = std::getenv("HUSHD_PASSWORD"); env && *env) return env;
  std::string password;
  std::getline(std::cin, password);
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hushd: the Hush team server (speech-to-text, call recording, workspaces)"};
  hush::server::HushdConfig config;
  std::string listen = "127.0.0.1:" + std::to_string(hush::server::ServerConfig::kDefaultPort);
  app.add_option("--data", config.data_dir, "Data directory (default: $HUSHD_DATA, /var/lib/hushd as root, else ~/.local/share/hushd)");
  app.add_option("--database", config.database_url, "postgresql://... (default: SQLite in the data directory)")
      ->envname("HUSHD_DATABASE_URL");
  app.add_option("--listen", listen, "Address and port to serve on");
  app.add_option("--tls-cert", config.http.tls_cert_file, "PEM certificate: serve HTTPS/WSS only");
  app.add_option("--tls-key", config.http.tls_key_file, "PEM private key for --tls-cert");
  app.add_option("--threads", config.http.threads, "HTTP threads")->check(CLI::Range(1, 256));
  app.add_option("--summarizer-url", config.external_summarizer_url,
                 "OpenAI-compatible chat-completions URL for abstractive summaries (used only by "
                 "workspaces whose admin turns external_summarizer on)");
  config.web_root = hush::server::default_web_root();
  app.add_option("--web-root", config.web_root,
                 "The web UI's files, served at http(s)://ADDR:PORT/ (default: $HUSHD_WEB_ROOT, else the "
                 "source tree's web/; \"\" = no web UI)");
  app.add_option("--workers", config.job_workers, "Job worker threads (transcription)")->check(CLI::Range(0, 64));
  app.add_option("--decode-threads", config.decode_threads,
                 "Threads decoding live streams (default 0: one per core)")->check(CLI::Range(0, 256));

  auto* serve = app.add_subcommand("serve", "Serve the API (the default)");
  auto* admin = app.add_subcommand("admin", "Administration");
  auto* create = admin->add_subcommand("create", "Create a server administrator with a workspace and an API key");
  std::string email, name, workspace = "Default";
  create->add_option("--email", email, "E-mail address (the sign-in name)")->required();
  create->add_option("--name", name, "Display name")->required();
  create->add_option("--workspace", workspace, "Name of the workspace they will own");
  admin->require_subcommand(1);
  auto* sweep = app.add_subcommand("sweep", "Run one retention sweep now and exit");
  (void)serve;
  CLI11_PARSE(app, argc, argv);

  try {
    config = parse_listen(config, listen);
    if (create->parsed()) {
      config.sweep_interval = std::chrono::seconds(0);
      hush::server::Hushd hushd(config);
      std::fprintf(stderr, "password for %s (one line on stdin): ", email.c_str());
      const auto user = hushd.store().create_user(email, name, read_password(), true);
      hush::store::Principal who{user, "", ""};
      const auto ws = hushd.store().create_workspace(who, workspace);
      const auto [key, secret] = hushd.store().create_api_key(who, ws.id, "created by hushd admin create", std::nullopt);
      std::printf("user %s\nworkspace %s\napi key %s\n", user.id.c_str(), ws.id.c_str(), secret.c_str());
      return 0;
    }
    if (sweep->parsed()) {
      config.sweep_interval = std::chrono::seconds(0);
      hush::server::Hushd hushd(config);
      std::printf("%zu recordings deleted\n", hushd.sweep_now());
      return 0;
    }
    hush::server::Hushd hushd(config);
    hushd.start();
    if (!config.web_root.empty()) std::fprintf(stderr, "hushd: web UI from %s\n", config.web_root.c_str());
    std::fprintf(stderr, "hushd: serving on %s://%s:%u, data in %s, database %s\n",
                 config.http.tls() ? "https" : "http", config.http.bind_address.c_str(), hushd.port(),
                 (config.data_dir.empty() ? hush::server::default_data_dir() : config.data_dir).c_str(),
                 config.database_url.empty() ? "SQLite" : "PostgreSQL");
    if (!hushd.store().has_users()) {
      std::fprintf(stderr, "hushd: no accounts yet; create the first administrator with\n"
                           "  hushd admin create --email you@example.com --name \"Your Name\"\n");
    }
    std::signal(SIGINT, [](int s) { g_signal = s; });
    std::signal(SIGTERM, [](int s) { g_signal = s; });
    while (!g_signal) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::fprintf(stderr, "hushd: stopping\n");
    hushd.stop();
    return 0;
  } catch (const hush::Error& e) {
    std::fprintf(stderr, "hushd: %s\n", e.what());
    return e.code() == HUSH_ERR_INVALID_ARGUMENT ? 2 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hushd: %s\n", e.what());
    return 1;
  }
}
