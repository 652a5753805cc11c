# Run at every build (not only at configure time) by the `hush_build_commit_stamp` target: writes
# OUT, a source file holding the commit the binaries are built from, with "-dirty" when tracked
# files differ from it. configure_file leaves OUT untouched when the text is unchanged, so only a
# new commit (or a change of dirtiness) recompiles and relinks anything.
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rev_parse_rc)
if(NOT rev_parse_rc EQUAL 0 OR NOT commit)
  set(commit "unknown")  # a source tarball, or no git on the machine
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE changes OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(changes)
    string(APPEND commit "-dirty")
  endif()
endif()
set(HUSH_BUILD_COMMIT "${commit}")
configure_file(${IN} ${OUT} @ONLY)
