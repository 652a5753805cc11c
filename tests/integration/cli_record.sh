#!/usr/bin/env bash
# cli_record.sh HUSH_BINARY SCRATCH_DIR
#
# `hush record`: recording from files at real-time pace (--from-file, the test input that stands
# in for devices); crash safety (SIGKILL mid-recording leaves a file that plays up to < 1 s
# before the kill); a clean stop (SIGINT finalizes the stream with everything recorded);
# --duration; the default path under $HUSH_HOME/recordings; encryption at rest (no plaintext
# Ogg in the file, `hush info` decrypts it, a deleted key makes it unreadable, a keyring other
# users can read is refused); bad arguments. When the `pulseaudio` daemon is installed, also a
# real capture: a private daemon with two null sinks, a 440 Hz tone played into the one used
# as the microphone and 1 kHz into the default sink, recorded with --mic and --system.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools sox python3
export HUSH_HOME=$SCRATCH/home
export PULSE_SERVER=unix:$SCRATCH/no-sound-server  # never a real sound server by accident

now() { date +%s.%N; }
# at_least A B: A >= B (floats)
at_least() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"; }
# duration FILE: seconds, from `hush info --json` (which decrypts encrypted recordings)
duration() { "$HUSH" info --json "$1" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["duration_s"])'; }
json_field() { "$HUSH" info --json "$1" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"; }
# ends_with_eos FILE: the last Ogg page carries the end-of-stream flag (the writer finished).
ends_with_eos() {
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
at = data.rfind(b"OggS")
sys.exit(0 if at >= 0 and len(data) > at + 5 and data[at + 5] & 4 else 1)
PY
}
no_plaintext_ogg() { ! LC_ALL=C grep -aqE 'OggS|OpusHead|OpusTags' "$1"; }

# start_recording ARGS...: runs `hush record ARGS` in the background; sets PID, and STARTED to
# when it announces "Writing FILE" (just before its first read): under ASan on a loaded CI
# machine, starting up alone took > 0.5 s, which a clock started at the spawn counted as lost audio.
start_recording() {
  "$HUSH" record "$@" </dev/null >"$SCRATCH/bg.stdout" 2>"$SCRATCH/bg.stderr" &
  PID=$!
  for _ in $(seq 600); do grep -q '^Writing ' "$SCRATCH/bg.stderr" && break; sleep 0.05; done
  STARTED=$(now)
}

D=$SCRATCH/in
mkdir -p "$D"
# 3 s each: the microphone at 16 kHz mono, the system audio at 44.1 kHz stereo (resampled to 48k).
fixture sox -R -n -r 16000 -c 1 -b 16 -e signed-integer "$D/mic.wav" synth 3 sine 440 vol 0.5
fixture sox -R -n -r 44100 -c 2 -b 16 -e signed-integer "$D/sys.wav" synth 3 sine 1000 sine 1000 vol 0.3
FILES=$D/mic.wav,$D/sys.wav

# ---------------------------------------------------------------------------------------------
echo "# record --from-file: the whole input, two channels, consent reminder"
expect_success "record --from-file mic,sys -o full.ogg" record --from-file "$FILES" -o "$SCRATCH/full.ogg"
check "prints the consent reminder" "stderr: $(stderr_text)" \
  grep -q "Recording. Make sure everyone on the call agrees to be recorded." "$ERR"
check "prints the output path on stdout" "stdout: $(cat "$OUT")" equal "$(cat "$OUT")" "$SCRATCH/full.ogg"
check "full.ogg: 2 channels at 48000 Hz" "info: $("$HUSH" info "$SCRATCH/full.ogg" 2>&1)" \
  equal "$(json_field "$SCRATCH/full.ogg" channels) $(json_field "$SCRATCH/full.ogg" sample_rate_hz)" "2 48000"
d=$(duration "$SCRATCH/full.ogg")
check "full.ogg holds the 3 s of input (got $d s)" "duration $d" at_least "$d" 2.95
check "full.ogg is finalized (end-of-stream page)" "last page has no EOS flag" ends_with_eos "$SCRATCH/full.ogg"
check "full.ogg is private (mode 600)" "mode $(stat -c %a "$SCRATCH/full.ogg")" equal "$(stat -c %a "$SCRATCH/full.ogg")" 600
expect_error "record over an existing file" 3 "already exists" record --from-file "$FILES" -o "$SCRATCH/full.ogg"
check "the existing file is untouched" "duration now $(duration "$SCRATCH/full.ogg")" \
  equal "$(duration "$SCRATCH/full.ogg")" "$d"

echo "# --duration and the default path"
expect_success "record --duration 1.2 (default path)" record --from-file "$FILES" --duration 1.2
f=$(cat "$OUT")
case "$f" in "$HUSH_HOME"/recordings/*.ogg) pass "default path is \$HUSH_HOME/recordings/<date-time>.ogg ($f)" ;;
  *) fail "default path is \$HUSH_HOME/recordings/<date-time>.ogg" "stdout: '$f'" ;; esac
check "--duration 1.2 stops at 1.2 s" "duration $(duration "$f")" equal "$(duration "$f")" 1.2
check "--duration recording is finalized" "no EOS" ends_with_eos "$f"

# ---------------------------------------------------------------------------------------------
echo "# crash safety: SIGKILL mid-recording"
start_recording --from-file "$FILES" -o "$SCRATCH/killed.ogg"
sleep 1.8
kill -KILL "$PID"
KILLED=$(now)
wait "$PID" 2>/dev/null
elapsed=$(python3 -c "print(round($KILLED - $STARTED, 3))")
d=$(duration "$SCRATCH/killed.ogg")
check "SIGKILL after $elapsed s: the file plays (hush info)" "info: $("$HUSH" info "$SCRATCH/killed.ogg" 2>&1)" \
  test -n "$d"
check "SIGKILL after $elapsed s: holds >= elapsed - 1 s of audio (got ${d:-nothing} s)" "duration '${d}'" \
  at_least "${d:-0}" "$(python3 -c "print($elapsed - 1.0)")"
check "SIGKILL: not more audio than time passed" "duration $d, elapsed $elapsed" at_least "$elapsed" "${d:-0}"

echo "# clean stop: SIGINT finalizes with everything recorded"
start_recording --from-file "$FILES" -o "$SCRATCH/stopped.ogg"
sleep 1.5
kill -INT "$PID"
STOPPED=$(now)
wait "$PID"
rc=$?
elapsed=$(python3 -c "print(round($STOPPED - $STARTED, 3))")
check "SIGINT: exit 0" "exit $rc; stderr: $(head -c 1000 "$SCRATCH/bg.stderr")" equal "$rc" 0
check "SIGINT: finalized (end-of-stream page)" "no EOS" ends_with_eos "$SCRATCH/stopped.ogg"
d=$(duration "$SCRATCH/stopped.ogg")
check "SIGINT after $elapsed s: holds >= elapsed - 0.3 s (got $d s)" "duration $d" \
  at_least "$d" "$(python3 -c "print($elapsed - 0.3)")"
start_recording --from-file "$FILES" -o "$SCRATCH/termed.ogg"
sleep 1.0
kill -TERM "$PID"
wait "$PID"
rc=$?
check "SIGTERM: exit 0 and finalized" "exit $rc" test "$rc" -eq 0 -a -s "$SCRATCH/termed.ogg"
check "SIGTERM: end-of-stream page" "no EOS" ends_with_eos "$SCRATCH/termed.ogg"

# ---------------------------------------------------------------------------------------------
echo "# encryption at rest"
expect_success "record --encrypt" record --from-file "$FILES" --encrypt -o "$SCRATCH/secret.ogg.enc"
check "keyring created with mode 600" "ls: $(ls -l "$HUSH_HOME" 2>&1)" equal "$(stat -c %a "$HUSH_HOME/keyring" 2>&1)" 600
check "encrypted file holds no plaintext Ogg (OggS, OpusHead, OpusTags)" "found plaintext" \
  no_plaintext_ogg "$SCRATCH/secret.ogg.enc"
expect_success "info on the encrypted recording" info "$SCRATCH/secret.ogg.enc"
check "info decrypts it: Ogg (encrypted), Opus, 2 channels" "stdout: $(cat "$OUT")" \
  grep -qE '^format: +Ogg \(encrypted\), Opus$' "$OUT"
d=$(duration "$SCRATCH/secret.ogg.enc")
check "encrypted recording decrypts to 3 s (got $d s)" "duration $d" at_least "$d" 2.95

start_recording --from-file "$FILES" --encrypt -o "$SCRATCH/secret-killed.ogg.enc"
sleep 1.8
kill -KILL "$PID"
KILLED=$(now)
wait "$PID" 2>/dev/null
elapsed=$(python3 -c "print(round($KILLED - $STARTED, 3))")
d=$(duration "$SCRATCH/secret-killed.ogg.enc")
check "encrypted + SIGKILL after $elapsed s: decrypts and holds >= elapsed - 1 s (got ${d:-nothing} s)" \
  "info: $("$HUSH" info "$SCRATCH/secret-killed.ogg.enc" 2>&1)" at_least "${d:-0}" "$(python3 -c "print($elapsed - 1.0)")"
check "encrypted + SIGKILL: reported as not finalized" "info: $("$HUSH" info "$SCRATCH/secret-killed.ogg.enc" 2>&1)" \
  equal "$(json_field "$SCRATCH/secret-killed.ogg.enc" container)" "Ogg (encrypted, not finalized)"

chmod 644 "$HUSH_HOME/keyring"
expect_error "keyring readable by others is refused" 3 "permissions 0644" info "$SCRATCH/secret.ogg.enc"
chmod 600 "$HUSH_HOME/keyring"
cp "$HUSH_HOME/keyring" "$SCRATCH/keyring.saved"
rm "$HUSH_HOME/keyring"
expect_error "keyring deleted: crypto-shredded" 4 "cannot decrypt" info "$SCRATCH/secret.ogg.enc"
expect_success "a new recording makes a new key" record --from-file "$D/mic.wav" --encrypt --duration 0.5 -o "$SCRATCH/new.ogg.enc"
expect_error "a new key does not open the old recording" 4 "cannot decrypt" info "$SCRATCH/secret.ogg.enc"
cp "$SCRATCH/keyring.saved" "$HUSH_HOME/keyring"
chmod 600 "$HUSH_HOME/keyring"
expect_success "the old keyring opens it again" info "$SCRATCH/secret.ogg.enc"
printf 'garbage\n' > "$HUSH_HOME/keyring"
expect_error "corrupt keyring" 4 "not a Hush keyring" info "$SCRATCH/secret.ogg.enc"

# ---------------------------------------------------------------------------------------------
echo "# bad arguments and missing devices"
expect_error "--from-file of a missing file" 3 "missing.wav" record --from-file "$D/missing.wav" -o "$SCRATCH/x1.ogg"
expect_error "--from-file with three files" 2 "from-file" record --from-file "$D/mic.wav,$D/mic.wav,$D/mic.wav" -o "$SCRATCH/x2.ogg"
expect_error "--duration -1" 2 "duration" record --from-file "$D/mic.wav" --duration -1 -o "$SCRATCH/x3.ogg"
expect_error "--from-file with --system" 2 "from-file" record --from-file "$D/mic.wav" --system -o "$SCRATCH/x4.ogg"
expect_error "-o in a missing directory" 3 "no/such" record --from-file "$D/mic.wav" -o "$SCRATCH/no/such/x.ogg"
expect_error "no sound server" 3 "cannot open microphone" record -o "$SCRATCH/x5.ogg"
check "no output file is left when recording could not start" "$(ls "$SCRATCH"/x*.ogg 2>&1)" \
  test -z "$(ls "$SCRATCH"/x*.ogg 2>/dev/null)"

# ---------------------------------------------------------------------------------------------
echo "# real capture through PulseAudio (null sinks)"
if command -v pulseaudio >/dev/null && command -v paplay >/dev/null; then
  PA=$SCRATCH/pa
  mkdir -p "$PA/run" "$PA/home"
  XDG_RUNTIME_DIR=$PA/run HOME=$PA/home pulseaudio -n --daemonize=no --exit-idle-time=-1 --use-pid-file=no \
    --disable-shm=yes -L "module-native-protocol-unix socket=$PA/native auth-anonymous=1" \
    -L "module-null-sink sink_name=hush_sys rate=48000" -L "module-null-sink sink_name=hush_mic rate=48000" \
    --log-target=stderr >"$PA/daemon.log" 2>&1 &
  PA_PID=$!
  export PULSE_SERVER=unix:$PA/native
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
  pactl set-default-sink hush_sys
  fixture sox -R -n -r 48000 -c 1 -b 16 -e signed-integer "$PA/t440.wav" synth 6 sine 440 vol 0.5
  fixture sox -R -n -r 48000 -c 1 -b 16 -e signed-integer "$PA/t1k.wav" synth 6 sine 1000 vol 0.5
  paplay -d hush_mic "$PA/t440.wav" & P1=$!
  paplay -d hush_sys "$PA/t1k.wav" & P2=$!
  sleep 0.5
  expect_success "record --mic hush_mic.monitor --system --duration 2" \
    record --mic hush_mic.monitor --system --duration 2 -o "$SCRATCH/live.ogg"
  kill "$P1" "$P2" 2>/dev/null
  wait "$P1" "$P2" 2>/dev/null
  kill "$PA_PID"
  wait "$PA_PID" 2>/dev/null
  check "live.ogg: 2 s, 2 channels" "info: $("$HUSH" info "$SCRATCH/live.ogg" 2>&1)" \
    equal "$(duration "$SCRATCH/live.ogg") $(json_field "$SCRATCH/live.ogg" channels)" "2.0 2"
  # channel 0 carries the 440 Hz "microphone", channel 1 the 1 kHz system audio.
  if command -v opusdec >/dev/null; then
    opusdec --quiet --rate 48000 "$SCRATCH/live.ogg" "$SCRATCH/live.wav"
    report=$(python3 - "$SCRATCH/live.wav" <<'PY'
import math, struct, sys, wave
w = wave.open(sys.argv[1]); n, ch = w.getnframes(), w.getnchannels()
v = struct.unpack("<%dh" % (n * ch), w.readframes(n))
def level(x, f, sr=48000):
    k = 2 * math.cos(2 * math.pi * f / sr); s1 = s2 = 0.0
    for s in x: s1, s2 = s + k * s1 - s2, s1
    return math.sqrt(max(s1 * s1 + s2 * s2 - k * s1 * s2, 0.0)) / max(len(x), 1)
l = [[level(v[c::ch][4800:], f) for f in (440, 1000)] for c in range(ch)]
print("ch0 440/1000 Hz: %.0f/%.0f  ch1 440/1000 Hz: %.0f/%.0f" % (l[0][0], l[0][1], l[1][0], l[1][1]))
sys.exit(0 if l[0][0] > 1000 > 10 * l[0][1] and l[1][1] > 1000 > 10 * l[1][0] else 1)
PY
)
    check "live capture: mic tone on channel 0, system tone on channel 1 ($report)" "$report" test $? -eq 0
  else
    echo "skip - live capture channel content (no opusdec)"
  fi
else
  echo "skip - real capture (no pulseaudio daemon installed; scripts/setup.sh installs it)"
fi

finish_tests
