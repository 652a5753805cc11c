#!/usr/bin/env bash
# cli_call.sh HUSH_BINARY SCRATCH_DIR
#
# `hush call`, the offline run of the real-time two-way pipeline: each echo canceller removes
# an echo that `--aec off` leaves in place; a far end at another sample rate than the mic is
# converted; a far end that stops early (the reference stops mid-call) is counted and the rest
# of the call still comes out, at full length and without a burst; the incoming (render) path
# writes its own file; and bad input fails with one clear error.
#
# Fixtures are synthesized with sox (a noise "voice" for the far end, a tone-burst near end,
# the echo path is a delay + low-pass + reverb), so the test needs no data set.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"
require_tools sox soxi python3

cd "$SCRATCH"
# Far end: 10 s of speech-band noise with a 4 Hz syllable envelope.
fixture sox -n -r 16000 -c 1 far.wav synth 10 pinknoise band 1000 1500 tremolo 4 80 vol 0.5
# What the loudspeaker's sound does on its way back into the mic: 30 ms later, darker, a room.
fixture sox far.wav echo.wav pad 0.03 0 lowpass 3500 reverb 20 50 30 trim 0 10
# The near-end talker: tone bursts, quieter than the echo.
fixture sox -n -r 16000 -c 1 near.wav synth 10 sine 300 tremolo 2 90 vol 0.1
fixture sox -m echo.wav near.wav mic.wav
fixture sox far.wav -r 48000 far48.wav
fixture sox far.wav far_short.wav trim 0 4

# rms_db FILE [START_S]: RMS level in dBFS from START_S (default 5 s, after convergence).
rms_db() { sox "$1" -n trim "${2:-5}" stats 2>&1 | awk '/RMS lev dB/ {print $4}'; }
# at_least_db_below A B DB: level A is at least DB dB below level B.
at_least_db_below() { python3 -c "import sys; sys.exit(0 if float('$1') <= float('$2') - $3 else 1)"; }

# ---- echo removal: each canceller against none ----------------------------------------------
expect_success "echo only, no canceller" call --mic echo.wav --far-end far.wav -o off.wav --aec off --no-agc --strength-db 0
for aec in webrtc speex; do
  expect_success "echo only, $aec" call --mic echo.wav --far-end far.wav -o "$aec.wav" --aec "$aec" --no-agc --strength-db 0
  check "$aec: summary names the canceller and its ERLE" "$(stderr_text)" grep -q "echo canceller $aec, ERLE" "$ERR"
  off_db=$(rms_db off.wav) aec_db=$(rms_db "$aec.wav")
  check "$aec removes at least 15 dB of echo ($off_db -> $aec_db dBFS)" "" at_least_db_below "$aec_db" "$off_db" 15
done
check "no canceller leaves the echo (within 1 dB)" "$(rms_db off.wav) vs $(rms_db echo.wav)" \
  python3 -c "import sys; sys.exit(0 if abs(float('$(rms_db off.wav)') - float('$(rms_db echo.wav)')) < 1 else 1)"

# ---- the default pipeline with a talker: output has the mic's length and rate ---------------
expect_success "default pipeline" call --mic mic.wav --far-end far.wav -o sent.wav
check "sent.wav: mic's rate and length" "$(soxi -r sent.wav) $(soxi -s sent.wav)" \
  equal "$(soxi -r sent.wav) $(soxi -s sent.wav)" "16000 $(soxi -s mic.wav)"

# ---- far end at 48 kHz, mic at 16 kHz ----------------------------------------------------------
expect_success "far end at another rate" call --mic echo.wav --far-end far48.wav -o rate.wav --aec webrtc --no-agc --strength-db 0
check "48 kHz far end still cancels (converted to 16 kHz)" "$(rms_db rate.wav) vs $(rms_db off.wav)" \
  at_least_db_below "$(rms_db rate.wav)" "$(rms_db off.wav)" 15

# ---- the reference stops after 4 s ------------------------------------------------------------
expect_success "far end stops early" call --mic mic.wav --far-end far_short.wav -o stopped.wav --aec speex --no-agc --strength-db 0
check "frames without a reference are counted" "$(stderr_text)" grep -qE "reference missing in [0-9]{3} of [0-9]+ frames" "$ERR"
check "full length after the reference stopped" "$(soxi -s stopped.wav)" equal "$(soxi -s stopped.wav)" "$(soxi -s mic.wav)"
# No burst: after the far end stops, no 100 ms block of the output is louder than the mic's.
no_burst() {
  sox "$1" -t raw -e signed -b 16 -c 1 "$1.raw" && sox "$2" -t raw -e signed -b 16 -c 1 "$2.raw" &&
    python3 - "$1.raw" "$2.raw" <<'EOF'
import array, sys
def blocks(path):
    v = array.array("h", open(path, "rb").read())
    return [sum(x * x for x in v[i:i + 1600]) / 1600.0 for i in range(0, len(v) - 1600, 1600)]
out, mic = blocks(sys.argv[1]), blocks(sys.argv[2])
sys.exit(0 if all(o <= m * 1.26 + 1.0 for o, m in zip(out[41:], mic[41:])) else 1)  # +1 dB
EOF
}
check "no burst when the reference stops" "" no_burst stopped.wav mic.wav

# ---- the render path ------------------------------------------------------------------------------
expect_success "incoming path" call --mic mic.wav -o sent2.wav --incoming mic.wav --incoming-out heard.wav
check "heard.wav written at full length" "$(soxi -s heard.wav 2>&1)" equal "$(soxi -s heard.wav)" "$(soxi -s mic.wav)"

# ---- bad input ----------------------------------------------------------------------------------------
printf 'RIFF\x10\x00\x00\x00WAVEjunk' > corrupt.wav
expect_error "corrupt mic file" 4 "" call --mic corrupt.wav -o x.wav
expect_error "missing far-end file" 3 "" call --mic mic.wav --far-end nope.wav -o x.wav
expect_error "--incoming without --incoming-out" 2 "incoming-out" call --mic mic.wav -o x.wav --incoming mic.wav
expect_error "unknown canceller" 2 "echo canceller" call --mic mic.wav --far-end far.wav -o x.wav --aec bogus
expect_error "strength out of range" 2 "" call --mic mic.wav -o x.wav --strength-db 99

finish_tests
