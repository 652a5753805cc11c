// Meeting notes as Markdown: a default layout, or the user's own template.
//
// Template placeholders (each replaced by a rendered block, headings left to the template):
//   {{title}} {{date}} {{summarizer}} {{summary}} {{action_items}} {{decisions}} {{questions}}
//   {{topics}} {{chapters}}
// Anything else between {{ and }} is an error naming the placeholder and its line, as is a {{
// without a closing }}. {{date}} is today's UTC date, or SOURCE_DATE_EPOCH's when that is set
// (reproducible output, as in reproducible-builds.org).
#pragma once

#include <string>

#include "meeting/notes.h"
#include "meeting/transcript.h"

namespace hush::meeting {

// Throws hush::Error(HUSH_ERR_FORMAT) on a bad template.
std::string notes_to_markdown(const Notes& notes, const Transcript& transcript,
                              const std::string& template_text = "");

// The layout used when no template is given (a starting point for one's own).
const std::string& default_notes_template();

}  // namespace hush::meeting
