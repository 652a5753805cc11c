#include "crypto/hush_home.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <system_error>

#include "util/error.h"

namespace hush {
namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

}  // namespace

std::string hush_home_dir() {
  if (const std::string home = env("HUSH_HOME"); !home.empty()) return home;
  if (const std::string xdg = env("XDG_DATA_HOME"); !xdg.empty()) return xdg + "/hush";
  if (const std::string home = env("HOME"); !home.empty()) return home + "/.local/share/hush";
  throw Error(HUSH_ERR_IO, "cannot find Hush's data directory: set HUSH_HOME (or XDG_DATA_HOME or HOME)");
}

void make_private_dirs(const std::string& path) {
  if (path.empty()) return;
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && ::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      throw Error(HUSH_ERR_IO, prefix + ": cannot create directory: " + std::generic_category().message(errno));
    }
    if (slash == std::string::npos) break;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw Error(HUSH_ERR_IO, path + ": cannot create directory: it exists and is not a directory");
  }
}

}  // namespace hush
