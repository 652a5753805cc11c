# Sourced by the cli_*.sh tests: takes HUSH_BINARY SCRATCH_DIR, sets HUSH (absolute), SCRATCH
# (emptied and made absolute) and HUSH_SOURCE_DIR (the repository, found from this file's own
# path, for tests/data), stops early with a clear message when HUSH is not the hush CLI, and
# defines the pass/fail/check reporting the tests share (FAILURES counts failed checks).
if [ $# -ne 2 ]; then
  echo "usage: $0 HUSH_BINARY SCRATCH_DIR" >&2
  exit 2
fi
HUSH=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRATCH=$2
HUSH_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ -f "$HUSH_SOURCE_DIR/include/hush.h" ] || { echo "FAIL: no Hush source tree at '$HUSH_SOURCE_DIR'" >&2; exit 1; }
[ -x "$HUSH" ] || { echo "FAIL: hush binary '$1' is not executable" >&2; exit 1; }
# The harness must hand us the CLI (target hush_cli), not e.g. libhush.so (target hush).
version=$("$HUSH" --version </dev/null 2>&1)
version_rc=$?
case "$version_rc:$version" in
  "0:hush "*) echo "# testing $HUSH: $version" ;;
  *) echo "FAIL: '$1' is not the hush CLI: '--version' exited $version_rc with '$version'" \
          "(the test must be given the hush_cli target's file, build/<preset>/apps/hush)" >&2
     exit 1 ;;
esac

case "$SCRATCH" in "" | /) echo "FAIL: refusing scratch dir '$SCRATCH'" >&2; exit 1 ;; esac
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" || { echo "FAIL: cannot create $SCRATCH" >&2; exit 1; }
SCRATCH=$(cd "$SCRATCH" && pwd)

FAILURES=0
pass() { echo "ok   - $1"; }
fail() {
  echo "FAIL - $1" >&2
  shift
  for line in "$@"; do printf '%s\n' "$line" | sed 's/^/       /' >&2; done
  FAILURES=$((FAILURES + 1))
  [ "${HUSH_TEST_KEEP_GOING:-0}" = 1 ] || exit 1
}
# check DESCRIPTION DETAIL COMMAND...: runs COMMAND; prints ok, or FAIL with DETAIL.
check() {
  local what=$1 detail=$2
  shift 2
  if "$@"; then pass "$what"; else fail "$what" "$detail"; fi
}
