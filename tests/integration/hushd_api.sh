#!/usr/bin/env bash
# hushd end to end with real clients: the `hushd` binary on a fresh data directory, the first
# admin from `hushd admin create`, curl against the OpenAI-shaped file endpoint and the
# recordings API, `hush-bench listen` streaming a WAV over the Deepgram-shaped WebSocket, and a
# clean SIGTERM shutdown.   usage: hushd_api.sh HUSHD HUSH_BENCH SCRATCH_DIR
set -uo pipefail
HUSHD=$1 BENCH=$2 SCRATCH=$3
case "$SCRATCH" in "" | /) echo "FAIL: refusing scratch dir '$SCRATCH'"; exit 1 ;; esac
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
command -v curl >/dev/null || { echo "SKIP: no curl"; exit 77; }
command -v espeak-ng >/dev/null || { echo "SKIP: no espeak-ng"; exit 77; }
export HUSHD_DATA=$SCRATCH/data
FAILURES=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   - $what"; else echo "FAIL - $what"; FAILURES=$((FAILURES + 1)); fi
}
contains() { grep -q -- "$2" <<< "$1"; }

espeak-ng -w "$SCRATCH/hello.wav" "hello everyone, this is the weekly planning meeting" 2>/dev/null
out=$(echo "a long enough password" | "$HUSHD" admin create --email ada@example.com --name Ada 2>/dev/null)
KEY=$(awk '/^api key/{print $3}' <<< "$out")
WS=$(awk '/^workspace/{print $2}' <<< "$out")
check "admin create prints a key and a workspace" test -n "$KEY" -a -n "$WS"
check "the data directory is private (0700)" test "$(stat -c %a "$HUSHD_DATA")" = 700
check "a second admin with the same e-mail is refused" \
  bash -c "echo 'a long enough password' | '$HUSHD' admin create --email ADA@example.com --name Ada2 >/dev/null 2>&1; test \$? -ne 0"

"$HUSHD" --listen 127.0.0.1:0 --workers 1 > "$SCRATCH/hushd.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 100); do grep -q "serving on" "$SCRATCH/hushd.log" && break; sleep 0.1; done
PORT=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$SCRATCH/hushd.log")
check "hushd serves" test -n "$PORT"
URL=http://127.0.0.1:$PORT
AUTH="Authorization: Bearer $KEY"

# OpenAI shape, every response_format.
for fmt in json text srt vtt verbose_json; do
  body=$(curl -s -w '\n%{http_code}' -H "$AUTH" -F file=@"$SCRATCH/hello.wav" -F model=whisper-1 \
         -F response_format=$fmt "$URL/v1/audio/transcriptions")
  code=$(tail -n1 <<< "$body"); body=$(sed '$d' <<< "$body")
  echo "# $fmt: $(head -c 200 <<< "$body" | tr '\n' ' ')"
  check "transcriptions $fmt -> 200" test "$code" = 200
  case $fmt in
    srt) check "srt has a cue" contains "$body" "-->" ;;
    vtt) check "vtt starts with WEBVTT" contains "$body" "WEBVTT" ;;
    verbose_json) check "verbose_json has segments" contains "$body" '"segments"' ;;
    json) check "json has text" contains "$body" '"text"' ;;
  esac
done
code=$(curl -s -o /dev/null -w '%{http_code}' -F file=@"$SCRATCH/hello.wav" "$URL/v1/audio/transcriptions")
check "no key -> 401" test "$code" = 401
code=$(curl -s -o "$SCRATCH/err.json" -w '%{http_code}' -H "$AUTH" -F file=@"$SCRATCH/hello.wav" -F response_format=mp3 "$URL/v1/audio/transcriptions")
check "unknown response_format -> 400 naming the accepted ones" bash -c "test $code = 400 && grep -q verbose_json '$SCRATCH/err.json'"
head -c 5000 /dev/urandom > "$SCRATCH/noise.bin"
code=$(curl -s -o "$SCRATCH/err.json" -w '%{http_code}' -H "$AUTH" -F file=@"$SCRATCH/noise.bin" "$URL/v1/audio/transcriptions")
check "corrupt audio -> 400" test "$code" = 400

# Recordings: off by default, then on; upload, poll, subtitles, delete to a tombstone.
code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" -F file=@"$SCRATCH/hello.wav" -F consent=true "$URL/v1/recordings")
check "upload while recording is off -> 403" test "$code" = 403
curl -s -X PATCH -H "$AUTH" -d '{"recording_enabled":true}' "$URL/v1/workspaces/$WS/settings" > /dev/null
rec=$(curl -s -H "$AUTH" -F file=@"$SCRATCH/hello.wav" -F consent=true -F title=planning "$URL/v1/recordings")
ID=$(sed -n 's/.*"id":"\(rec_[0-9a-f]*\)".*/\1/p' <<< "$rec")
check "upload -> a queued recording" test -n "$ID"
for _ in $(seq 300); do
  status=$(curl -s -H "$AUTH" "$URL/v1/recordings/$ID" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
  [ "$status" = completed ] && break; sleep 0.2
done
check "the job completes (polled)" test "$status" = completed
check "srt of the recording" contains "$(curl -s -H "$AUTH" "$URL/v1/recordings/$ID/srt")" "-->"
check "deleting leaves a tombstone" contains "$(curl -s -X DELETE -H "$AUTH" "$URL/v1/recordings/$ID")" '"status":"deleted"'

# Deepgram shape: a real WAV streamed at real-time pace.
"$BENCH" listen --audio "$SCRATCH/hello.wav" --port "$PORT" --key "$KEY" > "$SCRATCH/listen.out" 2>&1
rc=$?
sed 's/^/# /' "$SCRATCH/listen.out" | tail -n 12
check "live stream: Results, Metadata and a clean close" \
  bash -c "test $rc = 0 && grep -q is_final '$SCRATCH/listen.out' && grep -q Metadata '$SCRATCH/listen.out'"

kill -TERM $PID; wait $PID; rc=$?
check "SIGTERM stops hushd cleanly" test $rc = 0
check "no sanitizer report" bash -c "! grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error' '$SCRATCH/hushd.log'"
check "no IP address in hushd's log" bash -c "! grep -q 127.0.0.1:[0-9]*[^0-9] <(grep -v 'serving on' '$SCRATCH/hushd.log')"
[ "$FAILURES" -eq 0 ] || { echo "$FAILURES check(s) failed"; cat "$SCRATCH/hushd.log"; exit 1; }
echo "all hushd checks passed"
