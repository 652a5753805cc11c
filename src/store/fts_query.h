// Turns what a user types into `hush meetings search` into an FTS5 MATCH expression that
// cannot be a syntax error: every word and "quoted phrase" becomes an FTS5 string literal
// (quotes doubled), a trailing * on a word becomes a prefix query, and all terms must match.
// FTS5's own operators (AND, OR, NOT, NEAR, column filters, parentheses, ^) are not passed
// through, so text like `(budget` or `owner:` searches for the words it contains.
#pragma once

#include <string>

namespace hush::store {

// Throws hush::Error(HUSH_ERR_INVALID_ARGUMENT) for an unbalanced double quote or a query with
// no letters or digits in it.
std::string to_fts5_query(const std::string& user_query);

}  // namespace hush::store
