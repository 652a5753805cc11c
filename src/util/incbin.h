// Embeds a file into .rodata at build time: .incbin keeps large weights out of the compiler (a
// 2 MB array initialiser compiles slowly), 64-byte aligned, under hidden symbols so libhush.so
// still exports only hush_* functions.
//   HUSH_INCBIN(my_blob, "/path/file")   defines my_blob_begin[] / my_blob_end[]
//   HUSH_INCBIN_BYTES(my_blob)           the embedded bytes as a std::span
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#define HUSH_INCBIN(name, path)                                                              \
  __asm__(".section .rodata\n"                                                              \
          ".balign 64\n"                                                                    \
          ".hidden " #name "_begin\n" #name "_begin:\n"                                     \
          ".incbin \"" path "\"\n"                                                          \
          ".hidden " #name "_end\n" #name "_end:\n"                                         \
          ".previous\n");                                                                   \
  extern "C" const std::uint8_t name##_begin[];                                             \
  extern "C" const std::uint8_t name##_end[]

#define HUSH_INCBIN_BYTES(name) \
  std::span<const std::uint8_t>(name##_begin, static_cast<std::size_t>(name##_end - name##_begin))
