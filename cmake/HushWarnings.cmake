# Project-wide compile options: warnings everywhere, sanitizers when asked.
add_compile_options(-Wall -Wextra -Wshadow -Wfloat-conversion
                    -Wno-missing-field-initializers)  # C++20 designated initialisers omit fields on purpose
if(HUSH_WERROR)
  add_compile_options(-Werror)
endif()
if(HUSH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
if(HUSH_FUZZ)
  # Instrument every library for coverage; the fuzz targets add the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
