#include "meeting/external_summarizer.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>

#include "meeting/sentences.h"
#include "util/error.h"

namespace hush::meeting {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr const char* kMapPrompt =
    "You summarize meeting transcripts. Write a concise summary of this part of a meeting as 3 to 8 "
    "short bullet points: what was discussed, what was decided, who will do what. Use only facts "
    "from the transcript. Answer with the bullet points only.";
constexpr const char* kReducePrompt =
    "You combine partial summaries of one meeting, given in meeting order, into one concise "
    "summary of 3 to 10 short bullet points. Keep decisions and who will do what. Answer with the "
    "bullet points only.";

std::string where(const ExternalSummarizerOptions& o) { return "summarizer at " + o.url; }

std::string first_chars(const std::string& s, std::size_t n) {
  std::string out = s.substr(0, n);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return out + (s.size() > n ? "..." : "");
}

struct Exchange {
  beast::error_code error;
  const char* stage = "";
  http::response_parser<http::string_body> parser;
};

// One POST with a deadline over connect, write and read (Beast's tcp_stream timeouts apply to
// asynchronous operations, hence the small callback chain run on a private io_context).
void post(const HttpEndpoint& ep, const std::string& body, std::chrono::milliseconds timeout, Exchange& x) {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::verb::post, ep.target, 11};
  req.set(http::field::host, ep.host + ":" + ep.port);
  req.set(http::field::user_agent, "hush-notes");
  req.set(http::field::content_type, "application/json");
  req.set(http::field::accept, "application/json");
  req.body() = body;
  req.prepare_payload();
  x.parser.body_limit(kSummarizerMaxResponseBytes);

  auto fail = [&x](beast::error_code ec, const char* stage) {
    x.error = ec;
    x.stage = stage;
  };
  stream.expires_after(timeout);
  resolver.async_resolve(ep.host, ep.port, [&](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) return fail(ec, "resolve");
    stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2) return fail(ec2, "connect");
      http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
        if (ec3) return fail(ec3, "send");
        http::async_read(stream, buffer, x.parser, [&](beast::error_code ec4, std::size_t) {
          if (ec4) return fail(ec4, "read the answer");
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
      });
    });
  });
  ioc.run_for(timeout + std::chrono::seconds(5));  // resolve has no stream deadline: bound it here
  if (!x.error && !x.parser.is_done()) fail(beast::error::timeout, "resolve");
}

std::vector<NoteLine> summary_lines(const std::string& text) {
  std::vector<NoteLine> out;
  std::size_t i = 0;
  while (i <= text.size()) {
    const std::size_t j = std::min(text.find('\n', i), text.size());
    std::string line = text.substr(i, j - i);
    i = j + 1;
    // Drop list markers ("- ", "* ", "• ", "1. ") and surrounding space.
    std::size_t b = 0;
    while (b < line.size() && (line[b] == ' ' || line[b] == '\t' || line[b] == '-' || line[b] == '*')) ++b;
    if (line.compare(b, 3, "\xe2\x80\xa2") == 0) b += 3;
    std::size_t d = b;
    while (d < line.size() && std::isdigit(static_cast<unsigned char>(line[d]))) ++d;
    if (d > b && d < line.size() && (line[d] == '.' || line[d] == ')')) b = d + 1;
    while (b < line.size() && line[b] == ' ') ++b;
    line = line.substr(b);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    if (!line.empty()) out.push_back({line, 0.0, kNoSpeaker});
  }
  return out;
}

}  // namespace

HttpEndpoint parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind("https://", 0) == 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "summarizer URL '" + url +
                                               "': https is not supported; use plain http to a server on this "
                                               "machine (or a local TLS-terminating proxy)");
  if (url.rfind(scheme, 0) != 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "summarizer URL '" + url + "': expected http://host[:port]/path");
  const std::string rest = url.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  HttpEndpoint ep;
  ep.target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) throw Error(HUSH_ERR_INVALID_ARGUMENT, "summarizer URL '" + url + "': bad IPv6 host");
    ep.host = authority.substr(1, close - 1);
    colon = authority.find(':', close);
  } else {
    ep.host = authority.substr(0, colon);
  }
  ep.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  const bool port_ok = !ep.port.empty() && ep.port.size() <= 5 &&
                       ep.port.find_first_not_of("0123456789") == std::string::npos && std::stoi(ep.port) > 0 &&
                       std::stoi(ep.port) < 65536;
  if (ep.host.empty() || !port_ok || authority.find('@') != std::string::npos)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "summarizer URL '" + url + "': expected http://host[:port]/path");
  return ep;
}

std::vector<std::string> transcript_chunks(const Transcript& t, std::size_t chunk_chars) {
  const std::size_t limit = std::max<std::size_t>(200, chunk_chars);
  std::vector<std::string> chunks(1);
  auto add = [&](const std::string& line) {
    if (!chunks.back().empty() && chunks.back().size() + line.size() + 1 > limit) chunks.emplace_back();
    chunks.back() += line + "\n";
  };
  for (const Segment& s : t.segments) {
    const std::string label = t.speaker_label(s.speaker);
    std::string line = "[" + format_hms(s.start_s) + "] " + (label.empty() ? "" : label + ": ") + s.text;
    while (line.size() > limit) {  // one very long segment: cut at a space
      std::size_t cut = line.rfind(' ', limit);
      if (cut == std::string::npos || cut == 0) cut = limit;
      add(line.substr(0, cut));
      line = line.substr(cut);
    }
    add(line);
  }
  if (chunks.back().empty()) chunks.pop_back();
  return chunks;
}

std::string chat_completion(const ExternalSummarizerOptions& o, const std::string& system_prompt,
                            const std::string& user_text) {
  const HttpEndpoint ep = parse_http_url(o.url);
  const nlohmann::json request = {
      {"model", o.model},
      {"messages", {{{"role", "system"}, {"content", system_prompt}}, {{"role", "user"}, {"content", user_text}}}},
      {"temperature", 0.2},
      {"max_tokens", o.max_tokens},
      {"stream", false}};
  Exchange x;
  const auto timeout = std::chrono::milliseconds(std::max(1, o.timeout_ms));
  post(ep, request.dump(), timeout, x);
  if (x.error) {
    if (x.error == beast::error::timeout)
      throw Error(HUSH_ERR_IO, where(o) + ": no answer within " + std::to_string(o.timeout_ms / 1000.0).substr(0, 5) + " s");
    throw Error(HUSH_ERR_IO, where(o) + ": " + x.stage + " failed: " + x.error.message());
  }
  const auto& res = x.parser.get();
  if (res.result_int() != 200)
    throw Error(HUSH_ERR_IO, where(o) + " answered HTTP " + std::to_string(res.result_int()) + ": " +
                                 first_chars(res.body(), 200));
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(res.body());
  } catch (const nlohmann::json::exception&) {
    throw Error(HUSH_ERR_FORMAT, where(o) + " returned something that is not JSON: " + first_chars(res.body(), 120));
  }
  const nlohmann::json* content = nullptr;
  if (answer.is_object() && answer.contains("choices") && answer["choices"].is_array() && !answer["choices"].empty()) {
    const nlohmann::json& c0 = answer["choices"][0];
    if (c0.is_object() && c0.contains("message") && c0["message"].is_object() && c0["message"].contains("content"))
      content = &c0["message"]["content"];
  }
  if (content == nullptr || !content->is_string())
    throw Error(HUSH_ERR_FORMAT, where(o) + " returned JSON without choices[0].message.content: " +
                                     first_chars(res.body(), 120));
  std::string text = content->get<std::string>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(HUSH_ERR_FORMAT, where(o) + " returned an empty summary");
  return text;
}

std::string summarize_external(const Transcript& t, const ExternalSummarizerOptions& o) {
  const std::vector<std::string> chunks = transcript_chunks(t, o.chunk_chars);
  if (chunks.empty()) throw Error(HUSH_ERR_INVALID_ARGUMENT, "the transcript is empty: nothing to summarize");
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const std::string head = chunks.size() == 1 ? "Meeting transcript:\n"
                                                : "Meeting transcript, part " + std::to_string(i + 1) + " of " +
                                                      std::to_string(chunks.size()) + ":\n";
    parts.push_back(chat_completion(o, kMapPrompt, head + chunks[i]));
  }
  for (int round = 0; parts.size() > 1; ++round) {
    if (round >= kSummarizerMaxReduceRounds)
      throw Error(HUSH_ERR_FORMAT, where(o) + ": partial summaries do not get shorter; giving up");
    // Pack partial summaries into groups that fit one request, and summarize each group.
    std::vector<std::string> groups(1);
    for (const std::string& p : parts) {
      if (!groups.back().empty() && groups.back().size() + p.size() + 2 > o.chunk_chars) groups.emplace_back();
      groups.back() += p + "\n\n";
    }
    if (groups.size() == parts.size() && parts.size() > 1 && round > 0)
      throw Error(HUSH_ERR_FORMAT, where(o) + ": partial summaries are too long to combine");
    std::vector<std::string> next;
    for (const std::string& g : groups)
      next.push_back(chat_completion(o, kReducePrompt, "Partial summaries of one meeting, in order:\n\n" + g));
    parts = std::move(next);
  }
  return parts.front();
}

std::string apply_external_summary(Notes& notes, const Transcript& t, const ExternalSummarizerOptions& o) {
  if (o.url.empty()) return {};
  try {
    std::vector<NoteLine> lines = summary_lines(summarize_external(t, o));
    if (lines.empty()) throw Error(HUSH_ERR_FORMAT, where(o) + " returned an empty summary");
    notes.summary = std::move(lines);
    notes.summarizer = "external: " + o.url;
    return {};
  } catch (const Error& e) {
    return std::string(e.what()) + "; using the on-device extractive summary instead";
  }
}

}  // namespace hush::meeting
