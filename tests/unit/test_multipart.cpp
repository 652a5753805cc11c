#include <gtest/gtest.h>

#include <string>

#include "server/multipart.h"
#include "util/error.h"

using hush::server::find_part;
using hush::server::multipart_boundary;
using hush::server::MultipartLimits;
using hush::server::parse_multipart;

namespace {

std::string crlf(std::string text) {  // lets the tests write bodies with "\n"
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

void expect_invalid(const std::string& body, const std::string& boundary, const std::string& message_part,
                    const MultipartLimits& limits = {}) {
  try {
    parse_multipart(body, boundary, limits);
    FAIL() << "accepted a malformed body";
  } catch (const hush::Error& e) {
    EXPECT_EQ(e.code(), HUSH_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find(message_part), std::string::npos) << e.what();
  }
}

}  // namespace

TEST(Multipart, BoundaryFromContentType) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc123"), "abc123");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=----WebKitFormBoundary7MA4YWxk"),
            "----WebKitFormBoundary7MA4YWxk");
  EXPECT_THROW(multipart_boundary("multipart/form-data"), hush::Error);
  EXPECT_THROW(multipart_boundary("application/json; boundary=x"), hush::Error);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary="), hush::Error);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')), hush::Error);
  EXPECT_THROW(multipart_boundary("multipart/form-data; boundary=\"abc"), hush::Error);
}

TEST(Multipart, FieldsAndFile) {
  const std::string body = crlf(
      "preamble is ignored\n"
      "--XyZ\n"
      "Content-Disposition: form-data; name=\"model\"\n"
      "\n"
      "whisper-1\n"
      "--XyZ\n"
      "content-disposition: form-data; name=\"file\"; filename=\"call \\\"one\\\".wav\"\n"
      "Content-Type: audio/wav\n"
      "\n"
      "RIFF....WAVE\n"
      "--XyZ  \n"
      "Content-Disposition: form-data; name=\"empty\"\n"
      "\n"
      "\n"
      "--XyZ--\n"
      "epilogue too");
  const auto parts = parse_multipart(body, "XyZ");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "model");
  EXPECT_FALSE(parts[0].has_filename);
  EXPECT_EQ(parts[0].content_type, "text/plain");
  EXPECT_EQ(parts[0].data, "whisper-1");
  EXPECT_EQ(parts[1].name, "file");
  EXPECT_TRUE(parts[1].has_filename);
  EXPECT_EQ(parts[1].filename, "call \"one\".wav");
  EXPECT_EQ(parts[1].content_type, "audio/wav");
  EXPECT_EQ(parts[1].data, "RIFF....WAVE");
  EXPECT_EQ(parts[2].data, "");
  ASSERT_NE(find_part(parts, "file"), nullptr);
  EXPECT_EQ(find_part(parts, "missing"), nullptr);
}

TEST(Multipart, BinarySafe) {
  std::string payload;
  for (int i = 0; i < 4096; ++i) payload.push_back(static_cast<char>(i * 7 % 256));
  payload += std::string("\r\n--XY\0z\r\n-", 11);  // near-boundaries and NULs inside the data
  const std::string body = "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
                           "Content-Type: application/octet-stream\r\n\r\n" +
                           payload + "\r\n--XYZ--\r\n";
  const auto parts = parse_multipart(body, "XYZ");
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].has_filename);
  EXPECT_EQ(parts[0].filename, "");
  EXPECT_EQ(parts[0].data.size(), payload.size());
  EXPECT_EQ(parts[0].data, payload);
}

TEST(Multipart, Malformed) {
  expect_invalid("no boundary here", "b", "does not contain the boundary");
  expect_invalid(crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nvalue"), "b", "no closing boundary");
  expect_invalid(crlf("--b\nContent-Disposition: form-data; name=\"a\"\n\nvalue\n--b\n"), "b", "no closing boundary");
  expect_invalid(crlf("--b\nContent-Disposition: form-data; name=\"a\""), "b", "not terminated");
  expect_invalid(crlf("--b\nContent-Type: text/plain\n\nx\n--b--"), "b", "no Content-Disposition");
  expect_invalid(crlf("--b\nContent-Disposition: attachment; name=\"a\"\n\nx\n--b--"), "b", "not form-data");
  expect_invalid(crlf("--b\nContent-Disposition: form-data; filename=\"a\"\n\nx\n--b--"), "b", "has no name");
  expect_invalid(crlf("--b\nContent-Disposition: form-data; name=\"a\n\nx\n--b--"), "b", "unterminated quoted");
  expect_invalid(crlf("--b\nno colon line\n\nx\n--b--"), "b", "without a name");
  expect_invalid(crlf("--bjunk\nContent-Disposition: form-data; name=\"a\"\n\nx\n--b--"), "b", "unexpected bytes");
  expect_invalid("", "b", "does not contain");
}

TEST(Multipart, Limits) {
  MultipartLimits limits;
  limits.max_parts = 2;
  std::string body;
  for (int i = 0; i < 3; ++i) body += "--b\r\nContent-Disposition: form-data; name=\"p" + std::to_string(i) + "\"\r\n\r\nx\r\n";
  body += "--b--\r\n";
  expect_invalid(body, "b", "more than 2 parts", limits);
  limits.max_parts = 3;
  EXPECT_EQ(parse_multipart(body, "b", limits).size(), 3u);

  limits.max_header_bytes = 64;
  const std::string long_header = "--b\r\nContent-Disposition: form-data; name=\"" + std::string(200, 'n') +
                                  "\"\r\n\r\nx\r\n--b--\r\n";
  expect_invalid(long_header, "b", "longer than 64 bytes", limits);
}

TEST(Multipart, NoParts) { EXPECT_TRUE(parse_multipart("--b--\r\n", "b").empty()); }
