// Optional abstractive summaries from an OpenAI-compatible chat-completions endpoint (for
// example a llama.cpp server on this machine: http://127.0.0.1:8080/v1/chat/completions).
//
// Privacy P13: this is OFF unless the caller passes a URL (`hush notes --summarizer-url`); with
// an empty URL nothing here opens a socket. The transcript text is what gets sent.
//
// Plain http only (no TLS): the intended endpoint is a local server; use a TLS-terminating proxy
// on the same machine to reach anything else. Long meetings are summarized map-reduce: each
// chunk of at most `chunk_chars` characters is summarized on its own, then the partial
// summaries are summarized together (repeatedly, if they are still too long).
// HTTP client: Boost.Beast over Asio (header-only in Debian's libboost-dev).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "meeting/notes.h"
#include "meeting/transcript.h"

namespace hush::meeting {

// Limits (named so they are documented in one place).
inline constexpr std::size_t kSummarizerMaxResponseBytes = 4u << 20;  // a completion is text, not a file
inline constexpr int kSummarizerMaxReduceRounds = 8;

struct ExternalSummarizerOptions {
  std::string url;                 // empty: no external summary, no network
  std::string model = "local";     // "model" field of the request
  int timeout_ms = 120000;         // per request, from connect to the last response byte
  std::size_t chunk_chars = 8000;  // transcript text per request (~2k tokens)
  int max_tokens = 512;            // "max_tokens" of each request
};

struct HttpEndpoint {
  std::string host, port, target;
};
// "http://host[:port]/path" -> host, port ("80" by default), target ("/" when empty).
// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for other schemes (https included) or a bad URL.
HttpEndpoint parse_http_url(const std::string& url);

// The transcript as "[hh:mm:ss] LABEL: text" lines, packed into chunks of at most chunk_chars
// (a longer line is cut at spaces).
std::vector<std::string> transcript_chunks(const Transcript& transcript, std::size_t chunk_chars);

// One chat completion: returns choices[0].message.content. Throws hush::Error naming the URL:
// HUSH_ERR_IO when it cannot connect, times out or answers an HTTP error; HUSH_ERR_FORMAT when the
// answer is not the expected JSON or the content is empty.
std::string chat_completion(const ExternalSummarizerOptions& options, const std::string& system_prompt,
                            const std::string& user_text);

// The whole map-reduce summary (text as the model wrote it). Throws like chat_completion.
std::string summarize_external(const Transcript& transcript, const ExternalSummarizerOptions& options);

// With options.url empty: does nothing and returns "". Otherwise replaces notes.summary with the
// external summary (one line per bullet/line, no time or speaker) and notes.summarizer with
// "external: URL", and returns ""; when the endpoint fails, keeps the extractive summary and
// returns a one-line warning saying why.
std::string apply_external_summary(Notes& notes, const Transcript& transcript, const ExternalSummarizerOptions& options);

}  // namespace hush::meeting
