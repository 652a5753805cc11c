// How `hush meetings` shows the library: the list table, search results, one meeting in full,
// and the export formats. Pure formatting: everything here returns text and touches no file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/meeting_library.h"

namespace hush::cli {

// "4:05" or "1:02:03".
std::string format_duration(double seconds);
// Local time "2024-05-01 14:30" (TZ decides the zone).
std::string format_date(std::int64_t unix_s);

std::string list_text(const std::vector<store::MeetingInfo>& meetings);
std::string search_text(const std::vector<store::SearchResult>& results);
// Title, date, duration, speakers, notes (summary, action items, decisions, questions) and the
// transcript with times and speakers.
std::string show_text(const store::Meeting& meeting);

// `format_name`: txt|srt|vtt|json|md (meeting/transcript_export.h). txt/srt/vtt: the
// transcript; md: the notes (meeting/notes_export.h) then the transcript; json: the transcript's
// JSON with "meeting" ({"id","title","created_at","duration_s","source"}) and "notes" (or null)
// added, so it still reads as a transcript. Throws HUSH_ERR_INVALID_ARGUMENT for an unknown
// format or a meeting with nothing the format can show.
std::string export_text(const store::Meeting& meeting, const std::string& format);

}  // namespace hush::cli
