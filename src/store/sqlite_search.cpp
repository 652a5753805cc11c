// Full-text search over transcripts and notes: FTS5 MATCH ranked by bm25(), with snippet()
// marking the matched words.
#include <map>

#include "store/fts_query.h"
#include "store/sqlite_library.h"
#include "util/error.h"

namespace hush::store {
namespace {

constexpr int kSnippetTokens = 16;  // words of context around a match

}  // namespace

std::vector<SearchResult> SqliteMeetingLibrary::search(const std::string& query, const SearchOptions& options) {
  if (options.max_meetings <= 0 || options.hits_per_meeting <= 0)
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "search limits must be positive");
  const std::string match = to_fts5_query(query);

  // bm25(): lower is better. Rows come best first; the first row of a meeting places it.
  Stmt st(db_,
          "SELECT meeting_id, kind, start_s, end_s, snippet(search_index, 0, ?, ?, '...', " +
              std::to_string(kSnippetTokens) +
              ") FROM search_index WHERE search_index MATCH ? ORDER BY bm25(search_index), rowid");
  st.bind(1, options.highlight_open).bind(2, options.highlight_close).bind(3, match);

  std::vector<SearchResult> results;
  std::map<MeetingId, std::size_t> slot;  // meeting id -> index in results
  try {
    while (st.step()) {
      const MeetingId id = st.column_int64(0);
      auto [it, fresh] = slot.try_emplace(id, results.size());
      if (fresh) {
        if (results.size() >= static_cast<std::size_t>(options.max_meetings)) {
          slot.erase(it);
          continue;
        }
        results.emplace_back();
        results.back().meeting.id = id;
      }
      SearchResult& r = results[it->second];
      if (r.hits.size() >= static_cast<std::size_t>(options.hits_per_meeting)) continue;
      r.hits.push_back({st.column_text(1), st.column_double(2), st.column_double(3), st.column_text(4)});
    }
  } catch (const Error& e) {
    // to_fts5_query() makes this unreachable for any input we know of; if FTS5 still objects,
    // the user gets its reason, not a crash.
    throw Error(HUSH_ERR_INVALID_ARGUMENT, "cannot search for '" + query + "': " + e.what());
  }
  std::vector<SearchResult> out;
  for (SearchResult& r : results) {
    const std::vector<MeetingInfo> m = query_meetings("WHERE m.id = ?", r.meeting.id);
    if (m.empty()) continue;  // deleted by another handle since the MATCH
    r.meeting = m.front();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace hush::store
