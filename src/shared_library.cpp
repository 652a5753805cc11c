// libhush.so is hush_enhance (and what it depends on) linked whole; see src/CMakeLists.txt.
// Only the functions marked HUSH_API in include/hush.h are visible outside it.
