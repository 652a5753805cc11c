#include "apps/hush/text_files.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "audio/temp_file.h"
#include "util/error.h"

namespace hush::cli {

std::string read_text_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(HUSH_ERR_IO, std::string("cannot open ") + what + " '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw Error(HUSH_ERR_IO, std::string("cannot read ") + what + " '" + path + "'");
  return s.str();
}

nlohmann::json read_json_file(const std::string& path, const char* what) {
  const std::string text = read_text_file(path, what);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(HUSH_ERR_FORMAT, std::string(what) + " '" + path + "' is not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const nlohmann::json::exception& e) {  // e.g. a number too large for a double
    throw Error(HUSH_ERR_FORMAT, std::string(what) + " '" + path + "' is not valid JSON (" + e.what() + ")");
  }
}

void write_text_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  audio::TempFile tmp(path);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(tmp.fd(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      audio::fail_write(path, std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  tmp.commit();
}

}  // namespace hush::cli
