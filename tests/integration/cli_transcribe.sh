#!/usr/bin/env bash
# cli_transcribe.sh HUSH_BINARY SCRATCH_DIR
#
# `hush transcribe` end to end on a real LibriSpeech utterance ($HUSH_DATA; exit 77 = skipped
# without it): every output format, word error rate under a generous bound, word times inside
# the file and in order, --denoise, stdin (`-`), --live, a two-channel file labelled "me", and
# clear errors with the right exit codes for an empty, corrupt or missing file and a bad
# --format. HUSH_TEST_KEEP_GOING=1 runs every check and fails at the end.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools sox python3
UTT=${HUSH_DATA:-}/speech/librispeech-mini/6272/70171/6272-70171-0021.flac
REF="IT WAS BYRON AND TURNING OVER THE LEAVES TILL I CAME TO DON JUAN I READ IT THROUGH"
if [ -z "${HUSH_DATA:-}" ] || [ ! -f "$UTT" ]; then
  echo "skip - no LibriSpeech utterance at '$UTT' (set HUSH_DATA)"
  exit 77
fi
export HUSH_HOME=$SCRATCH/home

# wer REF HYP_FILE: prints the word error rate of the words in HYP_FILE.
wer() {
  python3 - "$1" "$2" <<'PY'
import re, sys
ref = re.findall(r"[a-z0-9']+", sys.argv[1].lower())
hyp = re.findall(r"[a-z0-9']+", re.sub(r"\[[0-9:]+\]", " ", open(sys.argv[2]).read().lower()))
d = list(range(len(hyp) + 1))
for i, r in enumerate(ref, 1):
    prev, d[0] = d[0], i
    for j, h in enumerate(hyp, 1):
        prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
print("%.3f" % (d[-1] / len(ref)))
PY
}
below() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$1" "$2"; }
DUR=$(soxi -D "$UTT")

# ---------------------------------------------------------------------------------------------
echo "# transcribe a LibriSpeech utterance in every format"
dir=$SCRATCH/formats
mkdir -p "$dir"
expect_success "transcribe --format json" transcribe -q --format json "$UTT"
cp "$OUT" "$dir/t.json"
check "json output parses" "$(head -c 500 "$dir/t.json")" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$dir/t.json"
python3 - "$dir/t.json" >"$dir/words.txt" <<'PY' || fail "json has segments with words" "$(head -c 500 "$dir/t.json")"
import json, sys
t = json.load(open(sys.argv[1]))
assert t["asr_engine"].startswith("pocketsphinx"), t["asr_engine"]
words = [w for s in t["segments"] for w in s["words"]]
assert words, "no words"
print(" ".join(w["text"] for w in words))
PY
w=$(wer "$REF" "$dir/words.txt")
check "word error rate $w < 0.5 (hypothesis: $(cat "$dir/words.txt"))" "reference: $REF" below "$w" 0.5
check "word times inside the file (0..$DUR s), each start <= end, in order" "$(head -c 800 "$dir/t.json")" \
  python3 - "$dir/t.json" "$DUR" <<'PY'
import json, sys
t, dur = json.load(open(sys.argv[1])), float(sys.argv[2])
last = 0.0
for s in t["segments"]:
    assert s["start_s"] <= s["end_s"] <= dur + 1e-6, s
    for w in s["words"]:
        assert 0 <= w["start_s"] <= w["end_s"] <= dur + 1e-6, w
        assert w["start_s"] >= last - 1e-6, (w, last)
        assert 0 <= w["confidence"] <= 1, w
        last = w["end_s"]
assert abs(t["duration_s"] - dur) < 0.01, t["duration_s"]
PY
expect_success "transcribe (default txt)" transcribe -q "$UTT"
check "txt: '[00:00:0x] words' lines" "stdout: $(cat "$OUT")" grep -qE '^\[00:00:0[0-9]\] [a-z]' "$OUT"
expect_success "transcribe --format srt" transcribe -q --format srt "$UTT"
check "srt: numbered cue with a comma timestamp" "stdout: $(cat "$OUT")" \
  python3 -c 'import re,sys; s=open(sys.argv[1]).read(); sys.exit(0 if re.match(r"1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n\S", s) else 1)' "$OUT"
expect_success "transcribe --format vtt" transcribe -q --format vtt "$UTT"
check "vtt: WEBVTT header and a dot timestamp" "stdout: $(cat "$OUT")" \
  python3 -c 'import re,sys; s=open(sys.argv[1]).read(); sys.exit(0 if re.match(r"WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> ", s) else 1)' "$OUT"
expect_success "transcribe -o t.md (format from the extension)" transcribe -q -o "$dir/t.md" "$UTT"
check "-o t.md writes Markdown with a title and nothing on stdout" "$(head -c 300 "$dir/t.md")" \
  eval "grep -q '^# Transcript: 6272-70171-0021.flac' '$dir/t.md' && test ! -s '$OUT'"

# ---------------------------------------------------------------------------------------------
echo "# --denoise, stdin, --live"
expect_success "transcribe --denoise" transcribe -q --denoise --format txt -o "$dir/denoised.txt" "$UTT"
w=$(wer "$REF" "$dir/denoised.txt")
check "--denoise: word error rate $w < 0.5 ($(cat "$dir/denoised.txt"))" "reference: $REF" below "$w" 0.5
fixture sox "$UTT" -t raw -r 16000 -c 1 -b 16 -e signed-integer -L "$dir/utt.s16"
STDIN=$dir/utt.s16 expect_success "transcribe - (raw s16le 16 kHz on stdin)" transcribe - --format txt
cp "$OUT" "$dir/stdin.txt"
check "stdin gives the same words as the file" "stdin: $(cat "$dir/stdin.txt"); file: $(cat "$dir/words.txt")" \
  equal "$(sed 's/^\[[^]]*\] //' "$dir/stdin.txt" | tr '\n' ' ' | sed 's/ $//')" "$(cat "$dir/words.txt")"
STDIN=$dir/utt.s16 expect_success "transcribe - --live (not a tty)" transcribe - --live
check "--live prints interim lines ('... ') and a final '[00:00:0x] ' line" "stdout: $(head -c 1000 "$OUT")" \
  eval "grep -q '^\.\.\. ' '$OUT' && grep -qE '^\[00:00:0[0-9]\] ' '$OUT'"
expect_success "transcribe FILE --live -o live.json" transcribe --live -o "$dir/live.json" "$UTT"
check "--live -o also writes the formatted transcript" "$(head -c 300 "$dir/live.json")" \
  python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["segments"]' "$dir/live.json"

# ---------------------------------------------------------------------------------------------
echo "# two channels: microphone = me, system audio = others"
fixture sox "$UTT" "$dir/mic.wav" pad 0 "$DUR"
fixture sox -n -r 16000 -c 1 "$dir/silence.wav" trim 0 "$DUR"
fixture sox "$dir/silence.wav" "$UTT" "$dir/system.wav"
fixture sox -M "$dir/mic.wav" "$dir/system.wav" "$dir/meeting.wav"
expect_success "transcribe 2-channel --format txt" transcribe -q "$dir/meeting.wav"
check "first line is 'me:', a later one 'others:'" "stdout: $(cat "$OUT")" \
  eval "head -1 '$OUT' | grep -qE '^\[00:00:0[0-9]\] me: ' && grep -qE '^\[00:00:[0-9]{2}\] others: ' '$OUT'"

expect_success "transcribe --speakers 1 (diarization)" transcribe -q --speakers 1 "$UTT"
check "--speakers 1 labels every line 'S1:'" "stdout: $(cat "$OUT")" \
  eval "test -s '$OUT' && ! grep -vqE '^\[[0-9:]{8}\] S1: ' '$OUT'"

# ---------------------------------------------------------------------------------------------
echo "# bad input: clear errors, right exit codes"
: >"$dir/empty.wav"
expect_error "empty file" 4 "empty.wav" transcribe "$dir/empty.wav"
head -c 4000 /dev/urandom >"$dir/corrupt.wav"
printf 'RIFF\x10\x00\x00\x00WAVEjunk' | dd of="$dir/corrupt.wav" conv=notrunc status=none
expect_error "corrupt file" 4 "corrupt.wav" transcribe "$dir/corrupt.wav"
expect_error "missing file" 3 "no-such-file.wav" transcribe "$dir/no-such-file.wav"
expect_error "bad --format" 2 "format" transcribe --format docx "$UTT"
expect_error "bad --speakers" 2 "speakers" transcribe --speakers lots "$UTT"
STDIN=/dev/null expect_error "empty stdin" 4 "stdin" transcribe -
expect_error "unwritable -o" 3 "cannot write" transcribe -q -o "$dir/no/such/dir/t.txt" "$UTT"

finish_tests
