// Runs a helper program (pw-dump, systemctl) for `hush live` and collects what it prints,
// with a time limit, so a hung sound server cannot hang the CLI.
#pragma once

#include <string>
#include <vector>

namespace hush::cli {

struct ProcessResult {
  bool started = false;    // false: the program is not installed (not on PATH)
  bool timed_out = false;  // killed after the time limit
  int exit_code = -1;      // the exit status, or -1 if it died of a signal or timed out
  std::string out;         // stdout
  std::string err;         // stderr
};

// Runs argv[0] (searched on PATH) with stdin from /dev/null; kills it after `timeout_ms`.
// Throws HUSH_ERR_IO only when the process cannot be created at all (no pipes, no fork).
ProcessResult run_process(const std::vector<std::string>& argv, int timeout_ms);

// The first line of `text` without trailing spaces: for one-line error messages.
std::string first_line(const std::string& text);

}  // namespace hush::cli
