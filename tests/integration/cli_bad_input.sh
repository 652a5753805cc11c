#!/usr/bin/env bash
# cli_bad_input.sh HUSH_BINARY SCRATCH_DIR
#
# Every way `hush denoise IN OUT` (and `hush info IN`) can be handed bad input or a bad output
# path must end the same way: the documented exit code (main.cpp: 2 usage, 3 file not found /
# not writable, 4 corrupt or unsupported audio), exactly one line on stderr that starts with
# "hush: error:" and names the offending file (or option), nothing on stdout, no crash or
# sanitizer report, and nothing left behind -- neither the output nor a temp file.
#
# Decided from the real behaviour (and asserted below):
#   * Truncated input is an error (exit 4, no output): a WAV whose data chunk promises more
#     bytes than the file holds, a FLAC that decodes fewer samples than STREAMINFO promises
#     or loses sync. The FLAC check below still accepts either clean outcome per cut point,
#     but requires the SAME outcome wherever the file was cut.
#
# All fixtures are generated here (sox, python3 without numpy); nothing audio is committed.
# Stops at the first failure; HUSH_TEST_KEEP_GOING=1 runs every check and fails at the end.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_error
require_tools sox python3
IN=$SCRATCH/in
mkdir -p "$IN"

# ---------------------------------------------------------------------------------------------
# Running hush. Each run gets a fresh, empty working directory and output directory, so that
# "nothing left behind" is a plain listing compare.

CASE=0
RUNDIR='' OUTDIR=''
# new_case: makes $RUNDIR (cwd for the run) and $OUTDIR (where outputs go), both empty.
new_case() {
  CASE=$((CASE + 1))
  RUNDIR=$SCRATCH/case$CASE/cwd
  OUTDIR=$SCRATCH/case$CASE/out
  mkdir -p "$RUNDIR" "$OUTDIR"
}
listing() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort); }
show_stderr() { cat -A "$ERR" | sed 's/^/  | /' | head -20; }

# expect_clean_error CODE MUST_NAME LABEL -- ARGS...
# Runs `hush ARGS...` in $RUNDIR and asserts the whole error contract: expect_error's (exit CODE,
# no crash, a "hush: error:" line, nothing on stdout, no sanitizer report), and on top of it that
# the error line is all of stderr, that it contains MUST_NAME (the file or option at fault;
# empty: no requirement), and that nothing is left behind in $OUTDIR or $RUNDIR.
expect_clean_error() {
  local code=$1 name=$2 label=$3
  shift 4
  local before_out before_cwd
  before_out=$(listing "$OUTDIR")
  before_cwd=$(listing "$RUNDIR")
  CWD=$RUNDIR expect_error "$label" "$code" "" "$@"
  check "$label: exactly one line on stderr" "command: $CMD"$'\n'"$(show_stderr)" \
    equal "$(wc -l <"$ERR")" 1
  if [ -n "$name" ]; then
    check "$label: error names '$name'" "command: $CMD"$'\n'"$(show_stderr)" grep -qF -- "$name" "$ERR"
  fi
  local after_out after_cwd
  after_out=$(listing "$OUTDIR")
  after_cwd=$(listing "$RUNDIR")
  check "$label: no output or temp file left behind" \
    "command: $CMD"$'\n'"output dir before: [$before_out] after: [$after_out]"$'\n'"working dir before: [$before_cwd] after: [$after_cwd]" \
    equal "$before_out|$before_cwd" "$after_out|$after_cwd"
}

# Both commands that take an input file: denoise (output into an empty dir) and info.
expect_input_error() {
  local code=$1 file=$2 label=$3
  new_case
  expect_clean_error "$code" "$file" "denoise $label" -- denoise "$file" "$OUTDIR/out.wav"
  new_case
  expect_clean_error "$code" "$file" "info $label" -- info "$file"
}

# soxi-free frame counter for the WAVs hush writes (python's wave module).
wav_frames() {
  python3 -c 'import sys, wave; w = wave.open(sys.argv[1]); print(w.getnframes(), w.getframerate(), w.getnchannels())' "$1"
}

# ---------------------------------------------------------------------------------------------
# Fixtures

# A 3 s, 16 kHz, 16-bit tone-plus-noise file: the source every corrupt variant starts from.
sox -R -n -r 16000 -c 1 -b 16 -e signed-integer "$IN/good.wav" synth 3 sine 440 synth 3 whitenoise mix vol 0.4 \
  || { echo "FAIL: sox could not make the fixture" >&2; exit 1; }
sox -R -n -r 16000 -c 2 -b 16 -e signed-integer "$IN/good_stereo.wav" \
  synth 3 sine 440 sine 660 synth 3 whitenoise whitenoise mix vol 0.4 \
  || { echo "FAIL: sox could not make the stereo fixture" >&2; exit 1; }

python3 - "$IN" <<'EOF' || { echo "FAIL: python3 could not make the fixtures" >&2; exit 1; }
import random, struct, sys, wave
d = sys.argv[1]
good = open(f"{d}/good.wav", "rb").read()
# sox writes a canonical 44-byte header for 16-bit mono PCM; the patches below rely on it.
assert good[:4] == b"RIFF" and good[8:16] == b"WAVEfmt " and good[36:40] == b"data", good[:44]
hdr = bytearray(good[:44])

open(f"{d}/text.wav", "w").write("This is not audio, just text with a .wav name.\n" * 20)
open(f"{d}/empty.wav", "wb").close()

# Header only: a valid header that honestly says 0 data bytes ...
w = wave.open(f"{d}/header_only.wav", "wb")
w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000); w.writeframes(b""); w.close()
# ... and the first 44 bytes of the good file: the header still claims 3 s of samples.
open(f"{d}/header_claims_data.wav", "wb").write(hdr)

# Absurd sample rates: patch the rate (and, to keep it consistent, the byte rate) fields.
for rate, name in ((1, "rate_1hz.wav"), (4000000000, "rate_4ghz.wav")):
    x = bytearray(good)
    x[24:28] = struct.pack("<I", rate)
    x[28:32] = struct.pack("<I", (rate * 2) & 0xFFFFFFFF)
    open(f"{d}/{name}", "wb").write(x)

rng = random.Random(1234)
noise = bytes(rng.getrandbits(8) for _ in range(32768))
# MP3-looking random bytes: an MPEG-1 Layer III frame sync, then garbage.
open(f"{d}/random.mp3", "wb").write(b"\xff\xfb\x90\x64" + noise)
# A WAV whose format tag says MPEG Layer III (0x0055) but keeps the 16-byte PCM fmt chunk.
x = bytearray(good)
x[20:22] = struct.pack("<H", 0x0055)
open(f"{d}/tag55_pcmfmt.wav", "wb").write(x)

# MP3-in-WAV with a proper MPEGLAYER3WAVEFORMAT fmt chunk (cbSize 12) around `payload`.
def mp3_in_wav(path, payload, rate=16000, channels=1):
    fmt = struct.pack("<HHIIHHH", 0x0055, channels, rate, 4000, 1, 0, 12)
    fmt += struct.pack("<HIHHH", 1, 2, 144, 1, 1393)  # wID, fdwFlags, nBlockSize, frames/block, delay
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")
    open(path, "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
mp3_in_wav(f"{d}/tag55_random.wav", noise)
EOF

# A real MP3, and the same MP3 frames wrapped in a 0x0055 WAV -- needs sox built with LAME.
HAVE_MP3=0
if sox -R "$IN/good.wav" "$IN/real.mp3" 2>/dev/null && [ -s "$IN/real.mp3" ]; then
  HAVE_MP3=1
  python3 - "$IN" <<'EOF' || { echo "FAIL: python3 could not wrap the MP3" >&2; exit 1; }
import struct, sys
d = sys.argv[1]
payload = open(f"{d}/real.mp3", "rb").read()
fmt = struct.pack("<HHIIHHH", 0x0055, 1, 16000, 4000, 1, 0, 12) + struct.pack("<HIHHH", 1, 2, 144, 1, 1393)
body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
body += b"data" + struct.pack("<I", len(payload)) + payload + (b"\0" if len(payload) % 2 else b"")
open(f"{d}/tag55_real_mp3.wav", "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
EOF
fi

# ---------------------------------------------------------------------------------------------
echo "# missing, empty and non-audio inputs"
expect_input_error 3 "$IN/does_not_exist.wav" "missing input file"
expect_input_error 4 "$IN/text.wav" "text file named .wav"
expect_input_error 4 "$IN/empty.wav" "zero-length file"
expect_input_error 4 "$IN/header_only.wav" "WAV header only (0 data bytes)"
expect_input_error 4 "$IN/header_claims_data.wav" "WAV header only (claims 3 s of data)"

# ---------------------------------------------------------------------------------------------
echo "# truncated WAV: an error (the data chunk promises more than the file holds)"
# 7000 whole stereo frames plus 3 bytes of a partial one, under a header that claims 48000.
head -c $((44 + 4 * 7000 + 3)) "$IN/good_stereo.wav" >"$IN/truncated.wav"
expect_input_error 4 "$IN/truncated.wav" "truncated WAV"

# ---------------------------------------------------------------------------------------------
echo "# truncated FLAC (cut in half, and at other points)"
sox -R "$IN/good_stereo.wav" "$IN/good.flac" || { echo "FAIL: sox could not write FLAC" >&2; exit 1; }
FLAC_SIZE=$(wc -c <"$IN/good.flac")
FLAC_BLOCK=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); assert d[:4] == b"fLaC"; print(int.from_bytes(d[8:10], "big"))' "$IN/good.flac")
# whole_blocks "FRAMES RATE CHANNELS" FRAMES: a shorter, non-empty stereo 16 kHz output whose
# length is a whole number of FLAC blocks.
whole_blocks() {
  [ "$1" = "$2 16000 2" ] && [ "$2" -gt 0 ] && [ "$2" -lt 48000 ] && [ $(($2 % FLAC_BLOCK)) -eq 0 ]
}
# check_truncated_flac PERCENT: one clean outcome or the other; prints the exit code to $RC.
check_truncated_flac() {
  local pct=$1 file=$IN/truncated_$1.flac
  head -c $((FLAC_SIZE * pct / 100)) "$IN/good.flac" >"$file"
  new_case
  CWD=$RUNDIR run_hush denoise "$file" "$OUTDIR/out.wav"
  local first_rc=$RC
  if [ "$RC" -eq 0 ]; then
    local got frames
    got=$(wav_frames "$OUTDIR/out.wav" 2>&1)
    frames=${got%% *}
    check "truncated FLAC ($pct%): exit 0, so a shorter output of whole ${FLAC_BLOCK}-frame blocks, 16000 Hz, 2 ch" \
      "hush denoise $file out.wav -> exit 0, output '$got' (frames rate channels)" \
      whole_blocks "$got" "$frames"
    check "truncated FLAC ($pct%): only out.wav in the output dir" \
      "output dir holds: $(listing "$OUTDIR" | tr '\n' ' ')" test "$(listing "$OUTDIR")" = "./out.wav"
  else
    rm -rf "$OUTDIR" && mkdir -p "$OUTDIR"
    expect_clean_error 4 "$file" "denoise truncated FLAC ($pct%)" -- denoise "$file" "$OUTDIR/out.wav"
  fi
  RC=$first_rc
}
check_truncated_flac 50
HALF_RC=$RC
OUTCOMES="50%->$HALF_RC"
CONSISTENT=1
for pct in 25 40 60 75 90; do
  check_truncated_flac "$pct"
  OUTCOMES="$OUTCOMES $pct%->$RC"
  [ "$RC" -eq "$HALF_RC" ] || CONSISTENT=0
done
check "truncated FLAC: the same outcome wherever the file is cut" \
  "exit codes by cut point: $OUTCOMES (hush denoise truncated.flac out.wav)" test "$CONSISTENT" -eq 1

# ---------------------------------------------------------------------------------------------
echo "# absurd sample rates"
expect_input_error 4 "$IN/rate_1hz.wav" "WAV header rate 1 Hz"
expect_input_error 4 "$IN/rate_4ghz.wav" "WAV header rate 4000000000 Hz"

# ---------------------------------------------------------------------------------------------
echo "# unsupported codecs"
expect_input_error 4 "$IN/random.mp3" "random bytes named .mp3"
if [ "$HAVE_MP3" -eq 1 ]; then
  expect_input_error 4 "$IN/real.mp3" "real MP3 file"
else
  echo "skip - real MP3 file (this sox cannot write MP3)"
fi
expect_input_error 4 "$IN/tag55_pcmfmt.wav" "WAV format tag 0x0055 with a PCM fmt chunk"
expect_input_error 4 "$IN/tag55_random.wav" "WAV format tag 0x0055 (MP3-in-WAV) holding random bytes"
if [ "$HAVE_MP3" -eq 1 ]; then
  expect_input_error 4 "$IN/tag55_real_mp3.wav" "WAV format tag 0x0055 (MP3-in-WAV) holding real MP3 frames"
else
  echo "skip - MP3-in-WAV holding real MP3 frames (this sox cannot write MP3)"
fi

# ---------------------------------------------------------------------------------------------
echo "# output not writable"
new_case
expect_clean_error 3 "$OUTDIR/no_such_dir/out.wav" "output into a missing directory" -- \
  denoise "$IN/good.wav" "$OUTDIR/no_such_dir/out.wav"
new_case
mkdir "$OUTDIR/out.wav"
expect_clean_error 3 "$OUTDIR/out.wav" "output path is a directory" -- denoise "$IN/good.wav" "$OUTDIR/out.wav"
check "output path is a directory: the directory is left empty" \
  "it holds: $(listing "$OUTDIR/out.wav" | tr '\n' ' ')" test -z "$(listing "$OUTDIR/out.wav")"
if [ "$(id -u)" -ne 0 ]; then
  new_case
  mkdir "$OUTDIR/readonly" && chmod 555 "$OUTDIR/readonly"
  expect_clean_error 3 "$OUTDIR/readonly/out.wav" "output into a read-only directory" -- \
    denoise "$IN/good.wav" "$OUTDIR/readonly/out.wav"
  chmod 755 "$OUTDIR/readonly"
else
  echo "skip - output into a read-only directory (running as root)"
fi
new_case
echo "previous contents" >"$OUTDIR/out.wav"
expect_clean_error 4 "$IN/text.wav" "failed run over an existing output" -- denoise "$IN/text.wav" "$OUTDIR/out.wav"
check "failed run over an existing output: the old file is untouched" \
  "content now: $(head -c 100 "$OUTDIR/out.wav")" grep -qx "previous contents" "$OUTDIR/out.wav"

# ---------------------------------------------------------------------------------------------
echo "# usage errors"
new_case
expect_clean_error 2 "out.xyz" "bad output extension .xyz" -- denoise "$IN/good.wav" "$OUTDIR/out.xyz"
new_case
expect_clean_error 2 "strength-db" "--strength-db -5" -- denoise --strength-db -5 "$IN/good.wav" "$OUTDIR/out.wav"
new_case
expect_clean_error 2 "bogus" "--engine bogus" -- denoise --engine bogus "$IN/good.wav" "$OUTDIR/out.wav"
new_case
expect_clean_error 2 "--model" "--model with --engine spectral" -- \
  denoise --engine spectral --model "$HUSH_SOURCE_DIR/tests/data/hushnet-tiny.hnn" "$IN/good.wav" "$OUTDIR/out.wav"
new_case
expect_clean_error 2 "" "no arguments" --
new_case
expect_clean_error 2 "" "denoise without arguments" -- denoise

# ---------------------------------------------------------------------------------------------
echo "# neural model files (--model): same contract as audio input"
# tests/data/hushnet-tiny-broken.hnn is hushnet-tiny.hnn with one byte flipped: its CRC fails.
BROKEN_MODEL=$HUSH_SOURCE_DIR/tests/data/hushnet-tiny-broken.hnn
[ -f "$BROKEN_MODEL" ] || { echo "FAIL: missing fixture $BROKEN_MODEL" >&2; exit 1; }
new_case
expect_clean_error 4 "checksum" "--model with a corrupted model (checksum)" -- \
  denoise --model "$BROKEN_MODEL" "$IN/good.wav" "$OUTDIR/out.wav"
check "--model with a corrupted model: the error line names the model file" "stderr: $(show_stderr)" \
  grep -qF -- "$BROKEN_MODEL" "$ERR"
new_case
expect_clean_error 3 "/nonexistent.hnn" "--model with a missing file" -- \
  denoise --model /nonexistent.hnn "$IN/good.wav" "$OUTDIR/out.wav"
new_case
expect_clean_error 3 "$IN" "--model with a directory" -- denoise --model "$IN" "$IN/good.wav" "$OUTDIR/out.wav"
new_case
expect_clean_error 4 "$IN/text.wav" "--model with a file that is not a model" -- \
  denoise --model "$IN/text.wav" "$IN/good.wav" "$OUTDIR/out.wav"

# ---------------------------------------------------------------------------------------------
echo "# no progress-bar carriage returns when stderr is not a terminal"
sox -R -n -r 16000 -c 1 -b 16 "$IN/ten_seconds.wav" synth 10 sine 440 synth 10 whitenoise mix vol 0.4
new_case
CWD=$RUNDIR run_hush denoise "$IN/ten_seconds.wav" "$OUTDIR/out.wav"
check "10 s input, stdin/stderr not a TTY: denoise exits 0" "exit $RC: $(cat "$ERR")" test "$RC" -eq 0
check "10 s input, stdin/stderr not a TTY: no '\\r' on stderr" "stderr: $(show_stderr)" \
  not grep -q $'\r' "$ERR"
check "10 s input, stdin/stderr not a TTY: no '\\r' on stdout" "stdout: $(head -c 300 "$OUT")" \
  not grep -q $'\r' "$OUT"

finish_tests
