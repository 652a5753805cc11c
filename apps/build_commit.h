#pragma once

// The commit the running binary was built from (12 hex digits, "-dirty" when tracked files
// differed from it, "unknown" outside a git checkout). Stamped at build time, not configure
// time, so a benchmark's report names the code that produced its numbers.
const char* hush_build_commit();
