# shellcheck shell=bash
# Sourced by the cli_*.sh tests as `. lib_cli_args.sh "$@"`: takes HUSH_BINARY SCRATCH_DIR, sets
# HUSH (absolute), SCRATCH (emptied and made absolute) and HUSH_SOURCE_DIR (the repository, found
# from this file's own path, for tests/data), stops early with a clear message when HUSH is not
# the hush CLI, and defines what the tests share:
#   reporting   pass, fail, check, finish_tests (FAILURES counts failed checks; the first failure
#               stops the test unless HUSH_TEST_KEEP_GOING=1)
#   predicates  equal, not, no_sanitizer_report, error_line_is_last, error_line_matches
#               (COMMANDs for check)
#   set-up      require_tools, fixture
#   running     run_hush (sets OUT ERR RC CMD), exit_text, stderr_text, expect_success,
#               expect_error
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

# ---- reporting ------------------------------------------------------------------------------
FAILURES=0
pass() { echo "ok   - $1"; }
# fail DESCRIPTION DETAIL...: prints FAIL and each DETAIL line indented; stops the test unless
# HUSH_TEST_KEEP_GOING=1.
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
# finish_tests: the last line of every test; exits 1 if any check failed (keep-going mode).
finish_tests() {
  local name
  name=$(basename "$0" .sh)
  echo
  if [ "$FAILURES" -ne 0 ]; then
    echo "$name: $FAILURES check(s) FAILED" >&2
    exit 1
  fi
  echo "$name: all checks passed"
  exit 0
}

# ---- predicates for check -------------------------------------------------------------------
equal() { [ "$1" = "$2" ]; }  # equal A B: the strings are identical
not() { ! "$@"; }              # not COMMAND...: COMMAND fails (e.g. `not grep -q x FILE`)

# ---- set-up ---------------------------------------------------------------------------------
# require_tools TOOL...: stops the test (a failure, not a skip) when a TOOL is not on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "FAIL: needs '$tool' on PATH" >&2; exit 1; }
  done
}
# fixture COMMAND...: runs COMMAND, which makes test input; stops the test if it fails.
fixture() { "$@" || { echo "FAIL: could not make a fixture: $*" >&2; exit 1; }; }

# noisy_speech_fixture OUT SECONDS: a 48 kHz 16-bit mono noisy-speech WAV (LibriSpeech speech +
# running-tap noise from $HUSH_DATA; a synthetic voice-like tone + pink noise without it).
noisy_speech_fixture() {
  local out=$1 seconds=$2 data=${HUSH_DATA:-}
  local speech=$data/speech/librispeech-mini/6272/70171/6272-70171-0021.flac
  local noise=$data/noise/speechcommands_running_tap.flac
  if [ -n "$data" ] && [ -f "$speech" ] && [ -f "$noise" ]; then
    echo "# input: LibriSpeech speech + running-tap noise (from $data)"
    fixture sox -R "$speech" -r 48000 -b 16 -c 1 "$out.speech.wav" trim 0 "$seconds" gain -n -6
    fixture sox -R "$noise" -r 48000 -b 16 -c 1 "$out.noise.wav" trim 0 "$seconds" gain -n -20
    fixture sox -R -m -v 1 "$out.speech.wav" -v 1 "$out.noise.wav" -b 16 "$out"
  else
    echo "# input: synthetic voice-like tone + pink noise (no \$HUSH_DATA speech)"
    fixture sox -R -n -r 48000 -b 16 -c 1 "$out" \
      synth "$seconds" sawtooth 140 synth "$seconds" pinknoise mix tremolo 3 90 gain -n -6
  fi
}

# ---- running hush ---------------------------------------------------------------------------
OUT='' ERR='' RC=0 CMD=''
# run_hush ARGS...: runs `hush ARGS`; stdout goes to $OUT, stderr to $ERR ($SCRATCH/last.stdout
# and last.stderr, overwritten by the next run), the exit code to $RC and the command line, for
# messages, to $CMD. stdin is /dev/null (not a terminal, as under ctest) unless STDIN names a
# file; the working directory is the test's own unless CWD names another. Both are meant as
# per-call prefixes: `STDIN=in.raw run_hush transcribe -`, `CWD=$dir run_hush info x.wav`.
run_hush() {
  OUT=$SCRATCH/last.stdout
  ERR=$SCRATCH/last.stderr
  CMD="hush $*"
  (cd "${CWD:-.}" && exec "$HUSH" "$@" <"${STDIN:-/dev/null}" >"$OUT" 2>"$ERR")
  RC=$?
}
# exit_text: "$RC", plus the signal that killed hush when it died of one.
exit_text() {
  if [ "$RC" -ge 128 ]; then echo "$RC (killed by signal $((RC - 128)))"; else echo "$RC"; fi
}
stderr_text() { head -c 2000 "$ERR"; }  # the last run's stderr, for failure messages
# no_sanitizer_report [FILE]: no AddressSanitizer/UBSan/LeakSanitizer output in FILE ($ERR).
no_sanitizer_report() { ! grep -qE 'Sanitizer|runtime error:|^SUMMARY:|^==[0-9]+==' "${1:-$ERR}"; }

# expect_success LABEL ARGS...: `hush ARGS` exits 0 without a sanitizer report.
expect_success() {
  local label=$1
  shift
  run_hush "$@"
  check "$label: exit 0" "command: $CMD -> exit $(exit_text); stderr: $(stderr_text)" equal "$RC" 0
  check "$label: no sanitizer report" "command: $CMD; stderr: $(stderr_text)" no_sanitizer_report
}

# error_line_is_last: the last run's stderr holds exactly one "hush: error: " line, and it is the
# last line, newline-terminated (whatever hush printed before failing -- `hush record`'s consent
# reminder, say -- nothing comes after the error).
error_line_is_last() {
  [ "$(grep -c '^hush: error: ' "$ERR")" -eq 1 ] && tail -n 1 "$ERR" | grep -q '^hush: error: ' &&
    [ "$(tail -c 1 "$ERR" | od -An -tx1 | tr -d ' ')" = 0a ]
}
# error_line_matches PATTERN: the last run's "hush: error: " line matches the extended regex
# PATTERN: a PATTERN that starts with ^ is matched against the whole line (so it spells out the
# "hush: error: " prefix), any other against the message after the prefix.
error_line_matches() {
  local line
  line=$(grep '^hush: error: ' "$ERR") || return 1
  case "$1" in ^*) ;; *) line=${line#hush: error: } ;; esac
  printf '%s\n' "$line" | grep -qE -- "$1"
}

# expect_error LABEL CODE PATTERN ARGS...: `hush ARGS` fails the way every hush error must: it
# exits CODE (no crash), its stderr ends with its one "hush: error: " line (error_line_is_last),
# that line matches the extended regex PATTERN (error_line_matches: case-sensitive, searched in
# the message unless it starts with ^hush: error: ; empty: any message), nothing is printed on
# stdout, and there is no sanitizer report.
expect_error() {
  local label=$1 code=$2 pattern=$3
  shift 3
  run_hush "$@"
  local why
  why="command: $CMD -> exit $(exit_text); stderr: $(stderr_text)"
  check "$label: no crash" "$why" test "$RC" -lt 128
  check "$label: exit $code" "$why" equal "$RC" "$code"
  check "$label: one 'hush: error:' line, the last on stderr" "$why" error_line_is_last
  if [ -n "$pattern" ]; then
    check "$label: the error matches /$pattern/" "$why" error_line_matches "$pattern"
  fi
  check "$label: nothing on stdout" "command: $CMD; stdout: $(head -c 300 "$OUT")" test ! -s "$OUT"
  check "$label: no sanitizer report" "$why" no_sanitizer_report
}
