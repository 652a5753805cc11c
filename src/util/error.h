// Internal error type: carries a public hush_error code and a one-line message for the user.
// C++ code inside Hush throws it; the C API and the CLI catch it at their boundary.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

#include "hush.h"

namespace hush {

class Error : public std::runtime_error {
 public:
  Error(hush_error code, const std::string& message) : std::runtime_error(message), code_(code) {}
  hush_error code() const noexcept { return code_; }

 private:
  hush_error code_;
};

// The C API boundary: returns f()'s result, or the negative hush_error of an exception it
// throws (hush::Error's code; HUSH_ERR_OUT_OF_MEMORY for std::bad_alloc).
template <typename F>
auto error_code_of(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    return e.code();
  } catch (const std::bad_alloc&) {
    return HUSH_ERR_OUT_OF_MEMORY;
  }
}

}  // namespace hush
