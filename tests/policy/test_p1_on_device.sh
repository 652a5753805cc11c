#!/usr/bin/env bash
# test_p1_on_device.sh HUSH_BINARY SCRATCH_DIR NETWORKED_LIBRARY ENGINE_LIBRARY...
#
# Privacy P1: audio is processed on the device.
#  1. Static: no engine library imports a socket call (socket, connect, getaddrinfo, ...).
#     ENGINE_LIBRARY is libhush.so (the public engine) and the static libraries the on-device
#     paths are built from (audio, dsp, nn, enhance, asr, crypto, store). hush_meeting is left
#     out on purpose: it holds the opt-in external summarizer (privacy P13, tested there), and
#     serves as NETWORKED_LIBRARY: the scanner must find its connect(), or it is blind.
#  2. Dynamic: `hush denoise`, `record`, `transcribe`, `notes` and the library commands
#     (`hush meetings add/list/search/show/export/delete`) succeed inside a network namespace with no interfaces (`unshare -n`), so
#     they cannot depend on the network. Exit 77 (skipped) when unshare is not permitted here.
set -u
if [ $# -lt 4 ]; then
  echo "usage: $0 HUSH_BINARY SCRATCH_DIR NETWORKED_LIBRARY ENGINE_LIBRARY..." >&2
  exit 2
fi
HUSH=$1
SCRATCH=$2
PROBE_LIB=$3
shift 3
FAILURES=0
fail() { echo "FAIL - $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok   - $*"; }

# ---- 1. static check ------------------------------------------------------------------------
NET_CALLS='socket|socketpair|connect|bind|listen|accept|accept4|getaddrinfo|gethostbyname|gethostbyname2|getnameinfo|sendto|sendmsg|recvfrom|recvmsg|curl_easy_perform'
for lib in "$@"; do
  [ -f "$lib" ] || { fail "engine library '$lib' does not exist"; continue; }
  case "$lib" in
    *.so | *.so.*) undefined=$(nm -D --undefined-only "$lib" 2>&1) ;;
    *) undefined=$(nm --undefined-only "$lib" 2>&1) ;;
  esac
  [ $? -eq 0 ] || { fail "nm could not read $lib: $undefined"; continue; }
  found=$(printf '%s\n' "$undefined" | awk '{ print $NF }' | sed 's/@.*//' | grep -xE "$NET_CALLS" | sort -u | tr '\n' ' ')
  if [ -n "$found" ]; then
    fail "$(basename "$lib") imports network calls: $found"
  else
    pass "$(basename "$lib") imports no network call"
  fi
done
# The check must be able to fail: it finds the network calls of a library that makes them.
if nm --undefined-only "$PROBE_LIB" 2>/dev/null | awk '{ print $NF }' | sed 's/@.*//' | grep -qxE "$NET_CALLS"; then
  pass "the scanner sees network calls in $(basename "$PROBE_LIB") (it is not blind)"
else
  fail "the scanner finds no network call even in $PROBE_LIB"
fi

# ---- 2. run inside a network namespace with no interfaces -----------------------------------
case "$SCRATCH" in "" | /) echo "refusing scratch dir '$SCRATCH'" >&2; exit 2 ;; esac
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" || exit 1
SCRATCH=$(cd "$SCRATCH" && pwd)
if ! unshare -n true 2>/dev/null; then
  echo "skip - unshare -n is not permitted here (needs root or user namespaces); static check only" >&2
  [ "$FAILURES" -eq 0 ] || exit 1
  exit 77
fi
# /proc/net/dev is per network namespace: inside, only the loopback device (down) may exist.
interfaces=$(unshare -n cat /proc/net/dev | awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' | tr '\n' ' ')
if [ "$interfaces" = "lo " ]; then
  pass "the namespace has no network interface but lo"
else
  fail "the namespace has interfaces '$interfaces'"
fi
command -v sox >/dev/null || { fail "needs sox to make a test recording"; exit 1; }
sox -R -n -r 16000 -c 1 -b 16 "$SCRATCH/noisy.wav" synth 2 sine 440 synth 2 whitenoise mix vol 0.4 ||
  { fail "could not make a fixture"; exit 1; }
cat >"$SCRATCH/t.json" <<'EOF'
{"source":"x.wav","duration_s":2,"speakers":[{"id":0,"label":"me"}],
 "segments":[{"start_s":0,"end_s":2,"text":"offline budget review","speaker":0}]}
EOF
export HUSH_HOME=$SCRATCH/home
offline() {  # offline LABEL ARGS...: hush ARGS inside `unshare -n` must exit 0
  local label=$1
  shift
  if out=$(unshare -n "$HUSH" "$@" </dev/null 2>&1); then
    pass "offline: $label"
  else
    fail "offline: $label exited $?: $(printf '%s' "$out" | head -c 600)"
  fi
}
offline "hush denoise" denoise -q "$SCRATCH/noisy.wav" "$SCRATCH/clean.wav"
offline "hush meetings add" meetings add "$SCRATCH/noisy.wav" --title offline --transcript "$SCRATCH/t.json"
offline "hush meetings list" meetings list
offline "hush meetings search" meetings search budget
offline "hush meetings show" meetings show 1
offline "hush meetings export" meetings export 1 --format vtt -o "$SCRATCH/out.vtt"
offline "hush meetings delete" meetings delete 1 --yes
offline "hush record --encrypt" record --from-file "$SCRATCH/noisy.wav" --encrypt --duration 1 -o "$SCRATCH/rec.ogg.enc"
offline "hush transcribe --denoise --speakers 2 --save" transcribe -q --denoise --speakers 2 --save "$SCRATCH/noisy.wav" -o "$SCRATCH/t2.json"
offline "hush notes" notes "$SCRATCH/t.json" -o "$SCRATCH/notes.md"

[ "$FAILURES" -eq 0 ] || { echo "test_p1_on_device: $FAILURES check(s) FAILED" >&2; exit 1; }
echo "test_p1_on_device: all checks passed"
