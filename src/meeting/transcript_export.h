// A Transcript as the files people use: plain text, SubRip (.srt), WebVTT (.vtt), JSON and
// Markdown. `hush transcribe --format` and `hush meetings export` write these.
//
//   txt   [00:01:02] me: hello there            (one line per segment; no "name:" without a speaker)
//   srt   1 / 00:01:02,500 --> 00:01:04,250 / me: hello there
//   vtt   WEBVTT / 00:01:02.500 --> 00:01:04.250 / <v me>hello there
//   json  to_json(transcript), pretty-printed (transcript.h documents the shape)
//   md    # title, speakers, duration, then **[00:01:02] me:** hello there
#pragma once

#include <string>

#include "meeting/transcript.h"

namespace hush::meeting {

enum class ExportFormat { txt, srt, vtt, json, md };

// "txt", "srt", "vtt", "json", "md" (also "markdown", "text"). Throws
// hush::Error(HUSH_ERR_INVALID_ARGUMENT) naming the formats for anything else.
ExportFormat export_format_from_name(const std::string& name);
// The file extension without the dot: "txt", "srt", ...
std::string export_format_extension(ExportFormat format);
// For help texts: "txt | srt | vtt | json | md".
inline constexpr const char* kExportFormatsHelp = "txt | srt | vtt | json | md";

struct ExportOptions {
  std::string title;  // Markdown heading; "" = "Transcript" plus the source's file name
};

// The whole file's text (UTF-8, "\n" line ends, ending with a newline; txt and srt are empty
// when there are no segments).
std::string export_transcript(const Transcript& transcript, ExportFormat format, const ExportOptions& options = {});

// Timestamps; negative or non-finite times count as 0. Hours grow past 99 if need be.
// hh:mm:ss, whole seconds cut from the time rounded to the millisecond:
std::string format_clock(double seconds);
// hh:mm:ss,mmm (SubRip) or hh:mm:ss.mmm (WebVTT), rounded to the nearest millisecond:
std::string format_timestamp_ms(double seconds, char millis_separator);

}  // namespace hush::meeting
