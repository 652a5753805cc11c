#!/usr/bin/env bash
# cli_ladspa.sh HUSH_BINARY SCRATCH_DIR
#
# The LADSPA plugin (build/<preset>/plugins/ladspa/hush_ladspa.so, next to the hush binary's
# apps/ folder) in real hosts: ladspa-sdk's listplugins, analyseplugin and applyplugin, and
# sox's ladspa effect. What they produce must be what the library produces on the same input
# (`hush call --aec off` for hush_mic, its --incoming render path for hush_speaker), aligned
# by the latency the plugin reports (sox -l compensates it; applyplugin does not, so its output
# is shifted by the value sox read from the plugin's "latency" port). Also: sox's block size
# does not change the output, 22.05 and 96 kHz files (resampled inside the plugin) come out
# sensible, and noise alone gets quieter by about the strength.
#
# Speech comes from $HUSH_DATA (LibriSpeech) mixed with recorded noise when available, else
# from sox synth. Exit 77 only when a host program is missing.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_success

for tool in sox soxi applyplugin listplugins analyseplugin python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: needs '$tool' (sox, ladspa-sdk, python3)"; exit 77; }
done
sox --help-effect ladspa 2>&1 | grep -q 'ladspa.*MODULE' || { echo "SKIP: this sox has no ladspa effect"; exit 77; }

PLUGIN_DIR=$(cd "$(dirname "$HUSH")/.." && pwd)/plugins/ladspa
PLUGIN=$PLUGIN_DIR/hush_ladspa.so
[ -f "$PLUGIN" ] || { echo "FAIL: no plugin at $PLUGIN (build target hush_ladspa)" >&2; exit 1; }

# A sanitizer build's plugin needs the sanitizer runtime loaded first in the (uninstrumented)
# host; the hosts' own leaks are not ours (the plugin's are checked by unit_test_ladspa_plugin).
asan_runtime=$(ldd "$PLUGIN" | awk '/libasan/ {print $3; exit}')
host() {
  if [ -n "$asan_runtime" ]; then
    LD_PRELOAD=$asan_runtime ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 "$@"
  else
    "$@"
  fi
}

# run_host LABEL COMMAND...: runs a host program (stdout and stderr to $SCRATCH/host.log).
run_host() {
  local label=$1
  shift
  host "$@" >"$SCRATCH/host.log" 2>&1
  local rc=$?
  check "$label: exit 0" "command: $*; exit $rc; output: $(head -c 1500 "$SCRATCH/host.log")" equal "$rc" 0
  check "$label: no sanitizer report" "$(head -c 1500 "$SCRATCH/host.log")" \
    no_sanitizer_report "$SCRATCH/host.log"
}

# Raw 32-bit float copies for the comparisons (sox reads 16-bit samples as x / 32768, exactly
# as the library does).
to_f32() { sox "$1" -t f32 "$2" 2>/dev/null; }

python_compare='
import math, struct, sys
def load(path):
    data = open(path, "rb").read()
    return struct.unpack("<%df" % (len(data) // 4), data)
a, b = load(sys.argv[1]), load(sys.argv[2])
shift = int(sys.argv[3])
n = min(len(a) - shift, len(b))
worst = max(abs(a[t + shift] - b[t]) for t in range(n)) if n > 0 else float("inf")
print("%.9g %d" % (worst, n))
'
# max_diff A B SHIFT: "<max |A[t+SHIFT] - B[t]|> <samples compared>".
max_diff() { python3 -c "$python_compare" "$@"; }
# within TOLERANCE A B SHIFT: at least 1 s compared and no sample further apart than TOLERANCE.
within() {
  local tol=$1 got diff count
  shift
  got=$(max_diff "$@") || return 1
  read -r diff count <<<"$got"
  python3 -c 'import sys; d, n, t = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]); sys.exit(0 if n >= 16000 and d <= t else 1)' \
    "$diff" "$count" "$tol"
}

python_levels='
import math, struct, sys
data = open(sys.argv[1], "rb").read()
x = struct.unpack("<%df" % (len(data) // 4), data)
start = int(len(x) * float(sys.argv[2]))
tail = x[start:]
finite = all(math.isfinite(v) for v in x)
rms = math.sqrt(sum(v * v for v in tail) / max(1, len(tail)))
print("%d %.9g" % (finite, rms))
'
# levels F32 FROM_FRACTION: "<all finite 1/0> <rms from that fraction of the file on>".
levels() { python3 -c "$python_levels" "$@"; }

# ---- fixtures ---------------------------------------------------------------------------------
mkdir -p "$SCRATCH/in"
noisy_speech_fixture "$SCRATCH/in/x48.wav" 4
IN=$SCRATCH/in/x48.wav
FRAMES=$(soxi -s "$IN")
fixture sox -R -n -r 48000 -b 16 -c 1 "$SCRATCH/in/noise_only.wav" synth 4 whitenoise gain -n -26
fixture sox -R "$IN" -r 96000 "$SCRATCH/in/x96.wav"
fixture sox -R "$IN" -r 22050 "$SCRATCH/in/x22.wav"

# The library's output on the same input (aligned with it, as every hush command writes).
expect_success "library reference: hush call --aec off --strength-db 25 --float" \
  call --mic "$IN" -o "$SCRATCH/lib.wav" --aec off --strength-db 25 --float -q
expect_success "library reference: hush call --aec off --strength-db 25 (16-bit)" \
  call --mic "$IN" -o "$SCRATCH/lib16.wav" --aec off --strength-db 25 -q
expect_success "library reference: background voices 20 dB, voice gate 300 ms, strength 10" \
  call --mic "$IN" -o "$SCRATCH/lib_bg.wav" --aec off --strength-db 10 --background-voices 20 \
  --voice-gate 300 --float -q
expect_success "library reference: the render path (--incoming, strength 25)" \
  call --mic "$IN" -o "$SCRATCH/unused.wav" --aec off --incoming "$IN" --incoming-out "$SCRATCH/lib_heard.wav" \
  --incoming-strength-db 25 --float -q
for f in lib lib16 lib_bg lib_heard; do to_f32 "$SCRATCH/$f.wav" "$SCRATCH/$f.f32"; done

# ---- ladspa-sdk: listplugins, analyseplugin ---------------------------------------------------
echo "# listplugins and analyseplugin"
run_host "listplugins (LADSPA_PATH=plugin dir)" env LADSPA_PATH="$PLUGIN_DIR" listplugins
lists_both_labels() { grep -q "/hush_mic)" "$1" && grep -q "/hush_speaker)" "$1"; }
check "listplugins shows hush_mic and hush_speaker" "$(cat "$SCRATCH/host.log")" \
  lists_both_labels "$SCRATCH/host.log"
run_host "analyseplugin hush_mic" analyseplugin "$PLUGIN" hush_mic
for port in '"Input" input, audio' '"Output" output, audio' '"Strength (dB)" input, control, 0 to 60' \
            '"Background voices (dB)" input, control, 0 to 40' '"Voice gate grace (ms)" input, control, 0 to 5000' \
            '"latency" output, control'; do
  check "analyseplugin hush_mic: $port" "$(cat "$SCRATCH/host.log")" grep -qF "$port" "$SCRATCH/host.log"
done
run_host "analyseplugin hush_speaker" analyseplugin "$PLUGIN" hush_speaker
for port in '"Input" input, audio' '"Output" output, audio' '"Strength (dB)" input, control, 0 to 60' \
            '"latency" output, control'; do
  check "analyseplugin hush_speaker: $port" "$(cat "$SCRATCH/host.log")" grep -qF "$port" "$SCRATCH/host.log"
done

# ---- sox --------------------------------------------------------------------------------------
echo "# sox ladspa -l (sox compensates the reported latency)"
run_host "sox ladspa -l hush_mic 25 0 0 (float output)" \
  sox -D "$IN" -e floating-point -b 32 "$SCRATCH/sox_l.wav" ladspa -l "$PLUGIN" hush_mic 25 0 0
to_f32 "$SCRATCH/sox_l.wav" "$SCRATCH/sox_l.f32"
check "sox -l output has the input's length ($FRAMES samples)" "soxi: $(soxi -s "$SCRATCH/sox_l.wav")" \
  equal "$(soxi -s "$SCRATCH/sox_l.wav")" "$FRAMES"
echo "# sox vs library (float): max |diff| and samples compared: $(max_diff "$SCRATCH/sox_l.f32" "$SCRATCH/lib.f32" 0)"
check "sox hush_mic = hush call, sample for sample (float, |diff| <= 1e-6)" \
  "max |diff|, samples: $(max_diff "$SCRATCH/sox_l.f32" "$SCRATCH/lib.f32" 0)" \
  within 1e-6 "$SCRATCH/sox_l.f32" "$SCRATCH/lib.f32" 0

run_host "sox ladspa -l hush_mic 10 20 300" \
  sox -D "$IN" -e floating-point -b 32 "$SCRATCH/sox_bg.wav" ladspa -l "$PLUGIN" hush_mic 10 20 300
to_f32 "$SCRATCH/sox_bg.wav" "$SCRATCH/sox_bg.f32"
check "sox hush_mic 10 20 300 = hush call --strength-db 10 --background-voices 20 --voice-gate 300" \
  "max |diff|, samples: $(max_diff "$SCRATCH/sox_bg.f32" "$SCRATCH/lib_bg.f32" 0)" \
  within 1e-6 "$SCRATCH/sox_bg.f32" "$SCRATCH/lib_bg.f32" 0

run_host "sox ladspa -l hush_speaker 25" \
  sox -D "$IN" -e floating-point -b 32 "$SCRATCH/sox_heard.wav" ladspa -l "$PLUGIN" hush_speaker 25
to_f32 "$SCRATCH/sox_heard.wav" "$SCRATCH/sox_heard.f32"
check "sox hush_speaker = hush call's render path (--incoming)" \
  "max |diff|, samples: $(max_diff "$SCRATCH/sox_heard.f32" "$SCRATCH/lib_heard.f32" 0)" \
  within 1e-6 "$SCRATCH/sox_heard.f32" "$SCRATCH/lib_heard.f32" 0

echo "# sox's block size (--buffer) does not change the output"
for buffer in 1031 100000; do
  run_host "sox --buffer $buffer ladspa -l hush_mic" \
    sox -D --buffer "$buffer" "$IN" -e floating-point -b 32 "$SCRATCH/sox_b$buffer.wav" ladspa -l "$PLUGIN" hush_mic 25 0 0
  to_f32 "$SCRATCH/sox_b$buffer.wav" "$SCRATCH/sox_b$buffer.f32"
  check "sox --buffer $buffer: identical to the default buffer" "files differ" \
    cmp -s "$SCRATCH/sox_b$buffer.f32" "$SCRATCH/sox_l.f32"
done
# (Below the latency, sox's drain can only push part of the tail out -- sox's limit, not ours --
# so a tiny buffer is compared on what it wrote.)
run_host "sox --buffer 37 ladspa -l hush_mic" \
  sox -D --buffer 37 "$IN" -e floating-point -b 32 "$SCRATCH/sox_b37.wav" ladspa -l "$PLUGIN" hush_mic 25 0 0
to_f32 "$SCRATCH/sox_b37.wav" "$SCRATCH/sox_b37.f32"
check "sox --buffer 37: the same samples as the default buffer" \
  "max |diff|, samples: $(max_diff "$SCRATCH/sox_b37.f32" "$SCRATCH/sox_l.f32" 0)" \
  within 0 "$SCRATCH/sox_b37.f32" "$SCRATCH/sox_l.f32" 0

echo "# sox ladspa without -l: the output lags by the reported latency"
run_host "sox -V4 ladspa -l (reads the latency port)" sox -V4 -D "$IN" -n ladspa -l "$PLUGIN" hush_mic 25 0 0
LATENCY=$(sed -n 's/.*latency detected is \([0-9]*\).*/\1/p' "$SCRATCH/host.log" | head -n 1)
check "sox read a latency from the plugin's latency port" "sox -V4 log: $(grep -i latency "$SCRATCH/host.log")" \
  test -n "$LATENCY"
LATENCY=${LATENCY:-0}
echo "# reported latency at 48 kHz: $LATENCY samples"
run_host "sox ladspa hush_mic 25 0 0 (16-bit, the brief's command line)" \
  sox -D "$IN" "$SCRATCH/sox16.wav" ladspa "$PLUGIN" hush_mic 25 0 0
to_f32 "$SCRATCH/sox16.wav" "$SCRATCH/sox16.f32"
echo "# sox (16-bit, shifted by $LATENCY) vs library (16-bit): $(max_diff "$SCRATCH/sox16.f32" "$SCRATCH/lib16.f32" "$LATENCY")"
# Both sides round to 16 bits (libsndfile scales by 32767, sox by 32768): 2 steps apart at most.
check "sox 16-bit output, shifted by the latency, = hush call 16-bit within 2/32768" \
  "max |diff|, samples: $(max_diff "$SCRATCH/sox16.f32" "$SCRATCH/lib16.f32" "$LATENCY")" \
  within 6.2e-5 "$SCRATCH/sox16.f32" "$SCRATCH/lib16.f32" "$LATENCY"

# ---- applyplugin ------------------------------------------------------------------------------
echo "# applyplugin (16-bit WAV only; 1 s of silence appended to flush the latency)"
run_host "applyplugin -s 1 hush_mic 25 0 0" \
  applyplugin -s 1 "$IN" "$SCRATCH/apply.wav" "$PLUGIN" hush_mic 25 0 0
to_f32 "$SCRATCH/apply.wav" "$SCRATCH/apply.f32"
echo "# applyplugin (shifted by $LATENCY) vs library (16-bit): $(max_diff "$SCRATCH/apply.f32" "$SCRATCH/lib16.f32" "$LATENCY")"
# applyplugin reads x/32767.5 and writes by truncating x*32767.5: up to 3 steps from the library.
check "applyplugin output, shifted by the latency, = hush call within 3/32768" \
  "max |diff|, samples: $(max_diff "$SCRATCH/apply.f32" "$SCRATCH/lib16.f32" "$LATENCY")" \
  within 9.2e-5 "$SCRATCH/apply.f32" "$SCRATCH/lib16.f32" "$LATENCY"
check "applyplugin wrote the input plus 1 s" "soxi: $(soxi -s "$SCRATCH/apply.wav")" \
  equal "$(soxi -s "$SCRATCH/apply.wav")" "$((FRAMES + 48000))"

# ---- rates the library does not run at --------------------------------------------------------
# The plugin resamples to the library's next rate up (22.05 -> 32 kHz, 96 -> 48 kHz) and back;
# its output there is compared with the library run on the input converted to that rate.
echo "# 96 kHz and 22.05 kHz (resampled inside the plugin)"
for rate in 96000 22050; do
  src=$SCRATCH/in/x$((rate / 1000)).wav
  proc=48000
  [ "$rate" -lt 32000 ] && proc=32000
  run_host "sox ladspa -l hush_mic at $rate Hz" \
    sox -D "$src" -e floating-point -b 32 "$SCRATCH/r$rate.wav" ladspa -l "$PLUGIN" hush_mic 25 0 0
  check "$rate Hz: output at $rate Hz with the input's length" \
    "soxi: $(soxi -r "$SCRATCH/r$rate.wav") Hz, $(soxi -s "$SCRATCH/r$rate.wav") vs $(soxi -s "$src") samples" \
    equal "$(soxi -r "$SCRATCH/r$rate.wav") $(soxi -s "$SCRATCH/r$rate.wav")" "$rate $(soxi -s "$src")"
  fixture sox -R "$src" -r "$proc" "$SCRATCH/in/x${rate}_at_$proc.wav"
  expect_success "library reference for $rate Hz: hush call at $proc Hz" \
    call --mic "$SCRATCH/in/x${rate}_at_$proc.wav" -o "$SCRATCH/lib_$rate.wav" --aec off --strength-db 25 --float -q
  to_f32 "$SCRATCH/lib_$rate.wav" "$SCRATCH/lib_$rate.f32"
  fixture sox "$SCRATCH/r$rate.wav" -r "$proc" -t f32 "$SCRATCH/r$rate.f32"
  got=$(levels "$SCRATCH/r$rate.f32" 0.25)
  want=$(levels "$SCRATCH/lib_$rate.f32" 0.25)
  echo "# $rate Hz: (finite, rms) $got; library at $proc Hz: $want"
  check "$rate Hz: every sample finite" "levels: $got" test "${got%% *}" = 1
  check "$rate Hz: as loud as the library's output (within 1 dB)" "rms $got vs $want" \
    python3 -c 'import math, sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if b > 0 and abs(20 * math.log10(max(a, 1e-12) / b)) < 1 else 1)' \
    "${got#* }" "${want#* }"
  corr=$(python3 -c '
import math, struct, sys
def load(p):
    d = open(p, "rb").read(); return struct.unpack("<%df" % (len(d) // 4), d)
a, b = load(sys.argv[1]), load(sys.argv[2])
n = min(len(a), len(b)); s = n // 4
ab = sum(a[t] * b[t] for t in range(s, n)); aa = sum(a[t] * a[t] for t in range(s, n)); bb = sum(b[t] * b[t] for t in range(s, n))
print("%.4f" % (ab / math.sqrt(aa * bb) if aa > 0 and bb > 0 else 0))' "$SCRATCH/r$rate.f32" "$SCRATCH/lib_$rate.f32")
  echo "# $rate Hz: correlation with the library's output at $proc Hz: $corr"
  check "$rate Hz: the library's waveform (correlation > 0.99)" "correlation $corr" \
    python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.99 else 1)' "$corr"
done

# ---- noise alone ------------------------------------------------------------------------------
# The speaker path is the noise suppressor alone; the mic path adds the AGC, which lifts quiet
# noise by a few dB (hush call measures the same).
echo "# noise alone gets quieter by about the strength"
to_f32 "$SCRATCH/in/noise_only.wav" "$SCRATCH/noise_in.f32"
noise_in=$(levels "$SCRATCH/noise_in.f32" 0.25)
# noise_drop LABEL STRENGTH ARGS...: prints how many dB quieter sox ladspa -l ARGS makes the noise.
noise_drop() {
  local name=$1
  shift
  host sox -D "$SCRATCH/in/noise_only.wav" -e floating-point -b 32 "$SCRATCH/$name.wav" ladspa -l "$PLUGIN" "$@" \
    >"$SCRATCH/host.log" 2>&1 || { echo "nan"; return; }
  to_f32 "$SCRATCH/$name.wav" "$SCRATCH/$name.f32"
  local out
  out=$(levels "$SCRATCH/$name.f32" 0.25)
  python3 -c 'import math, sys; print("%.1f" % (20 * math.log10(float(sys.argv[1]) / max(float(sys.argv[2]), 1e-12))))' \
    "${noise_in#* }" "${out#* }"
}
in_range() { python3 -c 'import sys; v, lo, hi = map(float, sys.argv[1:4]); sys.exit(0 if lo <= v <= hi else 1)' "$@"; }
for strength in 10 25 40; do
  drop=$(noise_drop "speaker_$strength" hush_speaker "$strength")
  echo "# white noise, hush_speaker $strength dB: $drop dB quieter"
  check "white noise, hush_speaker at $strength dB: $((strength - 2)) to $((strength + 2)) dB quieter" \
    "dropped $drop dB" in_range "$drop" "$((strength - 2))" "$((strength + 2))"
done
drop=$(noise_drop mic_25 hush_mic 25 0 0)
echo "# white noise, hush_mic 25 dB (with AGC): $drop dB quieter"
check "white noise, hush_mic at 25 dB: 15 to 27 dB quieter (the AGC lifts quiet noise a little)" \
  "dropped $drop dB" in_range "$drop" 15 27

finish_tests
