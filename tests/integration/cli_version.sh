#!/usr/bin/env bash
# cli_version.sh HUSH_BINARY SCRATCH_DIR
#
# `hush --version` (and every hush-bench report, which reads the same stamp) names the commit the
# binary was built from. It used to be fixed when CMake configured the build directory, so every
# later build in that directory claimed an old commit; cmake/build_commit.cmake now restamps it at
# each build. Checked against the checkout the binary was built from: the stamp is HEAD's 12 hex
# digits, with "-dirty" only as a suffix. Skips (77) outside a git checkout, where it says
# "unknown".
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"
head=$(git -C "$HUSH_SOURCE_DIR" rev-parse --short=12 HEAD 2>/dev/null) || head=''
stamp=$(sed -n 's/^hush [^ ]* (\(.*\))$/\1/p' <<<"$version")
if [ -z "$head" ]; then
  echo "# skipped: $HUSH_SOURCE_DIR is not a git checkout (the stamp reads '$stamp')"
  exit 77
fi
check "--version names the commit HEAD ($head) as built" \
  "hush --version printed '$version'; if HEAD moved since the last build, rebuild and rerun" \
  equal "${stamp%-dirty}" "$head"
finish_tests
