#!/usr/bin/env bash
# cli_denoise.sh HUSH_BINARY SCRATCH_DIR
#
# Happy paths of the `hush` CLI: `hush denoise` over every common sample rate, mono and stereo,
# WAV and FLAC, Ogg Vorbis, Ogg Opus and raw PCM inputs, --spectrogram and --float, --engine
# (default, neural, spectral) and --model (tests/data/hushnet-tiny.hnn); `hush info`
# (text and --json, and its SNR estimate); and latency compensation (a click train comes out
# at the same sample indices it went in).
#
# All fixtures are generated here (sox, oggenc, opusenc, python3 without numpy); nothing audio
# is committed. Stops at the first failure; HUSH_TEST_KEEP_GOING=1 runs every check and fails
# at the end.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_success
require_tools sox soxi python3

no_temp_files() { [ -z "$(find "$1" -name '*.tmp-*' -print -quit)" ]; }

# "RATE CHANNELS FRAMES" as soxi reads them.
layout() { echo "$(soxi -r "$1" 2>&1) $(soxi -c "$1" 2>&1) $(soxi -s "$1" 2>&1)"; }

# Peak absolute value and RMS of a 16-bit or float WAV, "<peak> <rms>" in full-scale units.
python_levels='
import struct, sys, wave
w = wave.open(sys.argv[1])
n, ch, width = w.getnframes(), w.getnchannels(), w.getsampwidth()
raw = w.readframes(n)
if width == 2:
    v = [x / 32768.0 for x in struct.unpack("<%dh" % (n * ch), raw)]
else:
    raise SystemExit("unexpected sample width %d" % width)
peak = max(abs(x) for x in v) if v else 0.0
rms = (sum(x * x for x in v) / len(v)) ** 0.5 if v else 0.0
print("%.6f %.6f" % (peak, rms))
'
# audible_and_quieter IN OUT: the output is not silent, and it is quieter than the noisy input
# (the noise went somewhere), without being crushed to nothing.
audible_and_quieter() {
  local a b
  a=$(python3 -c "$python_levels" "$1") || return 1
  b=$(python3 -c "$python_levels" "$2") || return 1
  python3 -c '
import sys
in_peak, in_rms, out_peak, out_rms = map(float, sys.argv[1:5])
sys.exit(0 if 0.0 < out_rms < in_rms and out_rms > in_rms * 0.05 else 1)' $a $b
}

# ---------------------------------------------------------------------------------------------
echo "# denoise: every common rate, mono and stereo, WAV -> WAV and FLAC -> FLAC"
for rate in 8000 16000 22050 32000 44100 48000; do
  for ch in 1 2; do
    dir=$SCRATCH/rates/${rate}_$ch
    mkdir -p "$dir"
    # 3 s of tone(s) under white noise, 16-bit.
    if [ "$ch" -eq 1 ]; then
      fixture sox -R -n -r "$rate" -c 1 -b 16 -e signed-integer "$dir/x.wav" \
        synth 3 sine 440 synth 3 whitenoise mix vol 0.4
    else
      fixture sox -R -n -r "$rate" -c 2 -b 16 -e signed-integer "$dir/x.wav" \
        synth 3 sine 440 sine 660 synth 3 whitenoise whitenoise mix vol 0.4
    fi
    fixture sox -R "$dir/x.wav" "$dir/x.flac"
    want=$(layout "$dir/x.wav")
    frames=$((rate * 3))
    check "fixture $rate Hz ${ch} ch: soxi reads '$rate $ch $frames'" "got '$want'" \
      equal "$want" "$rate $ch $frames"

    for ext in wav flac; do
      label="denoise x.$ext -> y.$ext ($rate Hz, $ch ch)"
      expect_success "$label" denoise "$dir/x.$ext" "$dir/y.$ext"
      got=$(layout "$dir/y.$ext")
      check "$label: same rate, channels and sample count ($want)" \
        "command: $CMD; input '$want', output '$got' (rate channels frames)" equal "$got" "$want"
      check "$label: nothing on stdout" "stdout: $(head -c 300 "$OUT")" test ! -s "$OUT"
      check "$label: no temp file left" "$(ls -A "$dir")" no_temp_files "$dir"
    done
    check "denoise $rate Hz $ch ch: output is audible and quieter than the noisy input" \
      "levels (peak rms) in: $(python3 -c "$python_levels" "$dir/x.wav") out: $(python3 -c "$python_levels" "$dir/y.wav")" \
      audible_and_quieter "$dir/x.wav" "$dir/y.wav"
  done
done

# ---------------------------------------------------------------------------------------------
echo "# denoise: Ogg Vorbis, Ogg Opus and raw PCM inputs"
dir=$SCRATCH/codecs
mkdir -p "$dir"
fixture sox -R -n -r 44100 -c 2 -b 16 -e signed-integer "$dir/src44.wav" \
  synth 3 sine 440 sine 660 synth 3 whitenoise whitenoise mix vol 0.4
fixture sox -R -n -r 48000 -c 2 -b 16 -e signed-integer "$dir/src48.wav" \
  synth 3 sine 440 sine 660 synth 3 whitenoise whitenoise mix vol 0.4

if command -v oggenc >/dev/null; then
  fixture oggenc -Q -o "$dir/x.ogg" "$dir/src44.wav"
  expect_success "denoise Ogg Vorbis (44100 Hz, 2 ch) -> WAV" denoise "$dir/x.ogg" "$dir/vorbis.wav"
  got=$(layout "$dir/vorbis.wav")
  check "denoise Ogg Vorbis -> WAV: 44100 Hz, 2 ch, 132300 frames" "output '$got'" \
    equal "$got" "44100 2 132300"
else
  echo "skip - Ogg Vorbis input (no oggenc)"
fi

if command -v opusenc >/dev/null; then
  # Opus decodes at 48 kHz; a 48 kHz source keeps the length exact.
  fixture opusenc --quiet "$dir/src48.wav" "$dir/x.opus"
  expect_success "denoise Ogg Opus (48000 Hz, 2 ch) -> WAV" denoise "$dir/x.opus" "$dir/opus.wav"
  got=$(layout "$dir/opus.wav")
  check "denoise Ogg Opus -> WAV: 48000 Hz, 2 ch, 144000 frames" "output '$got'" \
    equal "$got" "48000 2 144000"
else
  echo "skip - Ogg Opus input (no opusenc)"
fi

fixture sox -R -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$dir/x.pcm16" \
  synth 3 sine 440 synth 3 whitenoise mix vol 0.4
check "raw fixture holds 48000 s16le samples" "size $(wc -c <"$dir/x.pcm16")" \
  equal "$(wc -c <"$dir/x.pcm16")" 96000
expect_success "denoise raw PCM (--raw-rate 16000 --raw-channels 1 --raw-format s16le) -> WAV" \
  denoise --raw-rate 16000 --raw-channels 1 --raw-format s16le "$dir/x.pcm16" "$dir/raw.wav"
got=$(layout "$dir/raw.wav")
check "denoise raw PCM -> WAV: 16000 Hz, 1 ch, 48000 frames" "output '$got'" equal "$got" "16000 1 48000"

# ---------------------------------------------------------------------------------------------
echo "# denoise: --spectrogram and --float"
expect_success "denoise --spectrogram out.png" \
  denoise --spectrogram "$dir/spec.png" "$dir/src44.wav" "$dir/spec.wav"
magic=$(head -c 8 "$dir/spec.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')
check "--spectrogram writes a PNG (magic 89 50 4e 47 0d 0a 1a 0a)" "first bytes: '$magic'" \
  equal "$magic" "89504e470d0a1a0a"
check "--spectrogram still writes the audio" "no $dir/spec.wav" test -s "$dir/spec.wav"
expect_success "denoise --float" denoise --float "$dir/src44.wav" "$dir/float.wav"
# (soxi warns that libsndfile's 16-byte float fmt chunk lacks cbSize; the warning is not ours.)
enc=$(soxi -e "$dir/float.wav" 2>/dev/null) bits=$(soxi -b "$dir/float.wav" 2>/dev/null)
check "--float writes 32-bit float WAV" "soxi: encoding '$enc', $bits bits" \
  equal "$enc/$bits" "Floating Point PCM/32"

# ---------------------------------------------------------------------------------------------
echo "# denoise: --engine default|neural|spectral and --model"
dir=$SCRATCH/engines
mkdir -p "$dir"
fixture sox -R -n -r 16000 -c 1 -b 16 -e signed-integer "$dir/x.wav" synth 3 sine 440 synth 3 whitenoise mix vol 0.4
want=$(layout "$dir/x.wav")
for engine in default neural spectral; do
  expect_success "denoise --engine $engine" denoise --engine "$engine" "$dir/x.wav" "$dir/$engine.wav"
  got=$(layout "$dir/$engine.wav")
  check "denoise --engine $engine: same rate, channels and sample count ($want)" "output '$got'" equal "$got" "$want"
done
# The neural engine is the default: the same built-in model, the same samples.
check "--engine default writes exactly what --engine neural writes" "outputs differ" \
  cmp -s "$dir/default.wav" "$dir/neural.wav"
check "--engine spectral differs from --engine neural" "outputs are identical" \
  not cmp -s "$dir/spectral.wav" "$dir/neural.wav"
TINY_MODEL=$HUSH_SOURCE_DIR/tests/data/hushnet-tiny.hnn
check "fixture $TINY_MODEL exists" "missing" test -s "$TINY_MODEL"
expect_success "denoise --model hushnet-tiny.hnn" denoise --model "$TINY_MODEL" "$dir/x.wav" "$dir/tiny.wav"
got=$(layout "$dir/tiny.wav")
check "denoise --model hushnet-tiny.hnn: same rate, channels and sample count ($want)" "output '$got'" \
  equal "$got" "$want"
check "--model hushnet-tiny.hnn is used (output differs from the built-in model's)" "outputs are identical" \
  not cmp -s "$dir/tiny.wav" "$dir/neural.wav"
expect_success "denoise --engine neural --model hushnet-tiny.hnn" \
  denoise --engine neural --model "$TINY_MODEL" "$dir/x.wav" "$dir/tiny2.wav"
check "--engine neural --model = --model alone" "outputs differ" cmp -s "$dir/tiny.wav" "$dir/tiny2.wav"

# ---------------------------------------------------------------------------------------------
echo "# info: text and --json, and the SNR estimate"
dir=$SCRATCH/info
mkdir -p "$dir"
# Clean: 0.25 s tone bursts with 0.25 s of digital silence between them (speech-like pauses).
fixture sox -R -n -r 16000 -c 1 -b 16 -e signed-integer "$dir/clean.wav" \
  synth 0.25 sine 440 vol 0.5 pad 0 0.25 repeat 5
fixture sox -R -n -r 16000 -c 1 -b 16 -e signed-integer "$dir/noise.wav" synth 3 whitenoise vol 0.05
fixture sox -R -m "$dir/clean.wav" "$dir/noise.wav" "$dir/noisy.wav"
fixture sox -R -n -r 44100 -c 2 -b 16 -e signed-integer "$dir/stereo.wav" \
  synth 2.5 sine 440 sine 660 synth 2.5 whitenoise whitenoise mix vol 0.4

expect_success "info clean.wav" info "$dir/clean.wav"
for line in '^sample rate: +16000 Hz$' '^channels: +1$' '^duration: +3\.000 s \(48000 samples per channel\)$' \
            '^format: +WAV, PCM 16-bit$' '^estimated SNR: +-?[0-9.]+ dB$'; do
  check "info clean.wav prints a line matching /$line/" "stdout: $(cat "$OUT")" grep -qE "$line" "$OUT"
done
expect_success "info stereo.wav" info "$dir/stereo.wav"
for line in '^sample rate: +44100 Hz$' '^channels: +2$' '^duration: +2\.500 s \(110250 samples per channel\)$'; do
  check "info stereo.wav prints a line matching /$line/" "stdout: $(cat "$OUT")" grep -qE "$line" "$OUT"
done

json_field() {  # json_field FILE KEY: prints the value; fails on invalid JSON or a missing key
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}
for name in clean noisy stereo; do
  expect_success "info --json $name.wav" info --json "$dir/$name.wav"
  cp "$OUT" "$dir/$name.json"
  check "info --json $name.wav prints valid JSON" "stdout: $(cat "$OUT")" \
    python3 -c 'import json, sys; json.load(sys.stdin)' <"$OUT"
  check "info --json $name.wav prints exactly one line" "stdout: $(cat "$OUT")" \
    equal "$(awk 'END { print NR }' "$OUT")" 1
done
got="$(json_field "$dir/stereo.json" sample_rate_hz) $(json_field "$dir/stereo.json" channels) $(json_field "$dir/stereo.json" frames)"
check "info --json stereo.wav: sample_rate_hz, channels, frames = 44100 2 110250" "got '$got'" \
  equal "$got" "44100 2 110250"
snr_clean=$(json_field "$dir/clean.json" estimated_snr_db 2>&1)
snr_noisy=$(json_field "$dir/noisy.json" estimated_snr_db 2>&1)
check "info --json: estimated SNR of noisy.wav ($snr_noisy dB) < clean.wav ($snr_clean dB)" \
  "clean: $snr_clean, noisy: $snr_noisy" \
  python3 -c 'import sys; sys.exit(0 if float(sys.argv[2]) < float(sys.argv[1]) else 1)' "$snr_clean" "$snr_noisy"

# ---------------------------------------------------------------------------------------------
echo "# latency compensation: clicks come out where they went in"
dir=$SCRATCH/latency
mkdir -p "$dir"
# make_clicks FILE RATE CHANNELS: 3 s of quiet Gaussian noise (sigma 30 LSB) with full-ish
# impulses at fixed sample indices (in every channel), including one 5 samples from each end.
make_clicks() {
  python3 - "$@" <<'EOF'
import random, struct, sys, wave
path, rate, ch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
n = 3 * rate
rng = random.Random(7)
s = [max(-32768, min(32767, int(rng.gauss(0, 30)))) for _ in range(n * ch)]
for p in (5, 4000, 11111, 20000, 27345, n - 5):
    for c in range(ch):
        s[p * ch + c] = 20000
w = wave.open(path, "wb")
w.setnchannels(ch); w.setsampwidth(2); w.setframerate(rate)
w.writeframes(struct.pack("<%dh" % (n * ch), *s))
w.close()
EOF
}
# compare_peaks IN OUT: the 6 largest, mutually > 50 samples apart, peaks of every channel of
# OUT lie within 2 samples of IN's. Prints what it found.
compare_peaks() {
  python3 - "$@" <<'EOF'
import struct, sys, wave
def channels(path):
    w = wave.open(path)
    n, ch = w.getnframes(), w.getnchannels()
    assert w.getsampwidth() == 2, "expected 16-bit output"
    v = struct.unpack("<%dh" % (n * ch), w.readframes(n))
    return [v[c::ch] for c in range(ch)]
def peaks(x, k=6, gap=50):
    found = []
    for i in sorted(range(len(x)), key=lambda i: -abs(x[i])):
        if all(abs(i - j) > gap for j in found):
            found.append(i)
            if len(found) == k:
                break
    return sorted(found)
a, b = channels(sys.argv[1]), channels(sys.argv[2])
ok = len(a) == len(b) and all(len(x) == len(y) for x, y in zip(a, b))
for c, (x, y) in enumerate(zip(a, b)):
    pa, pb = peaks(x), peaks(y)
    good = len(pa) == len(pb) and all(abs(i - j) <= 2 for i, j in zip(pa, pb))
    print("channel %d: input peaks %s, output peaks %s%s" % (c, pa, pb, "" if good else "  <-- misaligned"))
    ok = ok and good
sys.exit(0 if ok else 1)
EOF
}
for cfg in "16000 1" "44100 2"; do
  set -- $cfg
  make_clicks "$dir/clicks_$1_$2.wav" "$1" "$2" || { echo "FAIL: could not make clicks" >&2; exit 1; }
  expect_success "denoise --strength-db 0 clicks ($1 Hz, $2 ch)" \
    denoise --strength-db 0 "$dir/clicks_$1_$2.wav" "$dir/out_$1_$2.wav"
  report=$(compare_peaks "$dir/clicks_$1_$2.wav" "$dir/out_$1_$2.wav" 2>&1)
  status=$?
  echo "$report" | sed 's/^/       /'
  check "clicks ($1 Hz, $2 ch): output peaks at the input's sample indices (+-2)" \
    "command: $CMD"$'\n'"$report" equal "$status" 0
done

finish_tests
