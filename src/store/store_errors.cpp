#include "store/store_errors.h"

#include <cerrno>
#include <system_error>

namespace hush::store {

bool names_disk_full(std::string_view message) {
  for (const int code : {ENOSPC, EDQUOT}) {
    if (message.find(std::generic_category().message(code)) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace hush::store
