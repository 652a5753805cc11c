// Library-wide C API functions: version, error text, frame sizes.
#include "hush.h"

#define HUSH_STR2(x) #x
#define HUSH_STR(x) HUSH_STR2(x)

extern "C" {

HUSH_API const char* hush_version(void) {
  return HUSH_STR(HUSH_VERSION_MAJOR) "." HUSH_STR(HUSH_VERSION_MINOR) "." HUSH_STR(
      HUSH_VERSION_PATCH);
}

HUSH_API const char* hush_strerror(int error) {
  switch (error) {
    case HUSH_OK: return "success";
    case HUSH_ERR_INVALID_ARGUMENT: return "invalid argument";
    case HUSH_ERR_UNSUPPORTED_RATE: return "unsupported sample rate (use 8, 16, 32, 44.1 or 48 kHz)";
    case HUSH_ERR_OUT_OF_MEMORY: return "out of memory";
    case HUSH_ERR_UNKNOWN_ENGINE: return "unknown engine";
    case HUSH_ERR_BAD_STRUCT_SIZE: return "config struct_size too small (not from a default config?)";
    case HUSH_ERR_BUFFER_TOO_SMALL: return "caller memory smaller than hush_denoiser_get_size()";
    case HUSH_ERR_IO: return "file not found, unreadable or not writable";
    case HUSH_ERR_FORMAT: return "corrupt, truncated or unsupported data";
    case HUSH_ERR_INTERNAL: return "internal error";
    default: return "unknown error code";
  }
}

HUSH_API int hush_frame_size(int sample_rate_hz) {
  switch (sample_rate_hz) {
    case 8000:
    case 16000:
    case 32000:
    case 44100:
    case 48000: return sample_rate_hz / 100;
    default: return HUSH_ERR_UNSUPPORTED_RATE;
  }
}

}  // extern "C"
