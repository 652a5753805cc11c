// CPU time of the calling thread. Speed figures use it instead of wall time so that they do
// not count time the OS gave to other processes: stable on a busy machine.
#pragma once

#include <time.h>

namespace hush::util {

inline double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

}  // namespace hush::util
