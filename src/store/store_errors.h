// Failures of the storage underneath hushd that are not the request's fault and not a bug, so
// the server answers them with their own HTTP status instead of 500:
//   StorageFull          the disk (blob folder, keyring or SQLite file) has no space left -> 507
//   DatabaseUnavailable  PostgreSQL cannot be reached or the connection dropped (restart) -> 503
// Both keep HUSH_ERR_IO, so code that only knows hush::Error treats them as before.
#pragma once

#include <string>
#include <string_view>

#include "util/error.h"

namespace hush::store {

class StorageFull : public Error {
 public:
  explicit StorageFull(const std::string& what) : Error(HUSH_ERR_IO, what) {}
};

class DatabaseUnavailable : public Error {
 public:
  explicit DatabaseUnavailable(const std::string& what) : Error(HUSH_ERR_IO, what) {}
};

// True when an error message names ENOSPC or EDQUOT as worded by std::generic_category(), the
// wording the crypto layer's file writers use (they report errno as text, not as a code).
bool names_disk_full(std::string_view message);

}  // namespace hush::store
