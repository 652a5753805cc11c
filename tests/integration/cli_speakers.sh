#!/usr/bin/env bash
# cli_speakers.sh HUSH_BINARY SCRATCH_DIR
#
# `hush speakers` end to end with real LibriSpeech voices ($HUSH_DATA; exit 77 = skipped without
# it), privacy P10: enrolling without --consent is refused and stores nothing; too little speech,
# a missing or corrupt file and a reserved name are clear errors; with consent the profile is
# listed and `hush transcribe --speakers 2` of a two-person conversation names the enrolled
# person (and only her); withdrawing deletes the profile, the same transcription no longer names
# her, and the embedding's bytes are in no file under HUSH_HOME. Transcribing with --speakers and
# no library creates nothing. HUSH_TEST_KEEP_GOING=1 runs every check and fails at the end.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools sox python3
MINI=${HUSH_DATA:-}/speech/librispeech-mini
ALICE_ENROL=$MINI/6272/70171/6272-70171-0000.flac  # her voice, another utterance than the meeting's
ALICE=$MINI/6272/70171/6272-70171-0001.flac
OTHER=$MINI/7367/86737/7367-86737-0002.flac
for f in "$ALICE_ENROL" "$ALICE" "$OTHER"; do
  if [ -z "${HUSH_DATA:-}" ] || [ ! -f "$f" ]; then
    echo "skip - no LibriSpeech utterance at '$f' (set HUSH_DATA)"
    exit 77
  fi
done
export HUSH_HOME=$SCRATCH/home

detail() { echo "command: $CMD -> exit $RC"; echo "stdout: $(head -c 800 "$OUT")"; echo "stderr: $(head -c 800 "$ERR")"; }
no_profiles() { "$HUSH" speakers list </dev/null 2>/dev/null | grep -q '^no speaker profiles'; }
# stored_profiles: rows in the library's speaker table (0 when there is no library yet).
stored_profiles() {
  python3 - "$HUSH_HOME/library.db" <<'PY'
import os, sqlite3, sys
if not os.path.exists(sys.argv[1]):
    print(0)
else:
    print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM speaker_profiles").fetchone()[0])
PY
}
# files_with_needle NEEDLE_FILE: files under HUSH_HOME holding the whole needle or its middle 32 bytes.
files_with_needle() {
  python3 - "$1" "$HUSH_HOME" <<'PY'
import os, sys
needle = open(sys.argv[1], "rb").read()
assert len(needle) >= 64, "needle too short"
parts = [needle, needle[len(needle) // 2:len(needle) // 2 + 32]]
for root, _, files in os.walk(sys.argv[2]):
    for name in files:
        path = os.path.join(root, name)
        data = open(path, "rb").read()
        if any(p in data for p in parts):
            print(path)
PY
}
# labels JSON: "label start_s end_s" per segment of a transcript.
labels() {
  python3 - "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
names = {s["id"]: s["label"] for s in t["speakers"]}
for s in t["segments"]:
    print(names.get(s.get("speaker", -1), "-"), s["start_s"], s["end_s"])
PY
}
# label_at JSON T: the label of the segment that overlaps time T most nearly (the one around it).
label_at() { labels "$1" | awk -v t="$2" '$2 <= t && $3 >= t { print $1; exit }'; }
count_label() { labels "$1" | awk -v l="$2" '$1 == l' | wc -l; }

# ---------------------------------------------------------------------------------------------
echo "# fixtures"
# A conversation: Alice and another speaker in alternating 4 s turns, 0.3 s apart:
# alice 0-4, other 4.3-8.3, alice 8.6-12.6, other 12.9-16.9, alice 17.2-..., other ...
for i in 0 1 2; do
  fixture sox "$ALICE" -r 16000 -c 1 "$SCRATCH/a$i.wav" trim $((4 * i)) 4 pad 0 0.3
  fixture sox "$OTHER" -r 16000 -c 1 "$SCRATCH/b$i.wav" trim $((4 * i)) 4 pad 0 0.3
done
fixture sox "$SCRATCH/a0.wav" "$SCRATCH/b0.wav" "$SCRATCH/a1.wav" "$SCRATCH/b1.wav" "$SCRATCH/a2.wav" \
  "$SCRATCH/b2.wav" "$SCRATCH/meeting.wav"
fixture sox "$ALICE_ENROL" "$SCRATCH/alice.wav"
fixture sox "$ALICE_ENROL" "$SCRATCH/alice-short.wav" trim 0 3
fixture sox -n -r 16000 -c 1 -b 16 "$SCRATCH/silence.wav" trim 0 10
printf 'RIFF not really a wave file' >"$SCRATCH/corrupt.wav"

# ---------------------------------------------------------------------------------------------
echo "# transcribing with --speakers and no library creates nothing"
expect_success "transcribe --speakers 2, no library" transcribe -q --speakers 2 --format json "$SCRATCH/meeting.wav"
check "no HUSH_HOME was created" "$(ls -la "$HUSH_HOME" 2>&1)" test ! -e "$HUSH_HOME"
cp "$OUT" "$SCRATCH/before.json"
check "two anonymous speakers" "$(labels "$SCRATCH/before.json" | head)" \
  equal "$(labels "$SCRATCH/before.json" | awk '{print $1}' | sort -u | tr '\n' ' ')" "S1 S2 "

# ---------------------------------------------------------------------------------------------
echo "# enrolling needs consent and enough speech"
expect_error "enroll without --consent" 2 "consent" speakers enroll alice "$SCRATCH/alice.wav"
check "nothing stored without consent" "$(stored_profiles) profiles" equal "$(stored_profiles)" 0
check "list shows no profile" "$("$HUSH" speakers list 2>&1)" no_profiles
expect_error "enroll 3 s of speech" 2 "at least 5 s" speakers enroll alice "$SCRATCH/alice-short.wav" --consent
expect_error "enroll silence" 2 "0\.0 s of speech" speakers enroll alice "$SCRATCH/silence.wav" --consent
expect_error "enroll a missing file" 3 "" speakers enroll alice "$SCRATCH/nope.wav" --consent
expect_error "enroll a corrupt file" 4 "" speakers enroll alice "$SCRATCH/corrupt.wav" --consent
expect_error "enroll a reserved name" 2 "label Hush gives" speakers enroll S1 "$SCRATCH/alice.wav" --consent
expect_error "enroll an empty name" 2 "name" speakers enroll "" "$SCRATCH/alice.wav" --consent
check "still nothing stored" "$(stored_profiles) profiles" equal "$(stored_profiles)" 0
expect_error "withdraw an unknown name" 2 "no speaker profile named 'alice'" speakers withdraw alice

# ---------------------------------------------------------------------------------------------
echo "# enrol with consent, list, transcribe"
expect_success "enroll alice --consent" speakers enroll alice "$SCRATCH/alice.wav" --consent
check "enroll says how to withdraw" "$(detail)" grep -q "hush speakers withdraw 'alice'" "$OUT"
check "one profile stored" "$(stored_profiles) profiles" equal "$(stored_profiles)" 1
expect_success "speakers list" speakers list
check "list names alice with the consent time" "$(detail)" grep -qE '^alice +[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$OUT"
python3 - "$HUSH_HOME/library.db" "$SCRATCH/needle.bin" <<'PY' || fail "read the stored embedding" "see above"
import sqlite3, sys
blob = sqlite3.connect(sys.argv[1]).execute("SELECT embedding FROM speaker_profiles WHERE name = 'alice'").fetchone()[0]
open(sys.argv[2], "wb").write(blob)
PY
check "the scan finds the embedding while enrolled" "no file holds it: the scan looks in the wrong place" \
  test -n "$(files_with_needle "$SCRATCH/needle.bin")"

expect_success "transcribe --speakers 2 names alice" transcribe -q --speakers 2 --format json "$SCRATCH/meeting.wav"
cp "$OUT" "$SCRATCH/named.json"
check "stderr says who was named" "$(detail)" grep -qE '^hush: S[12] is alice' "$ERR"
check "alice's first turn is labelled alice" "$(labels "$SCRATCH/named.json")" equal "$(label_at "$SCRATCH/named.json" 2.0)" alice
check "alice's last turn is labelled alice" "$(labels "$SCRATCH/named.json")" equal "$(label_at "$SCRATCH/named.json" 19.0)" alice
other=$(label_at "$SCRATCH/named.json" 6.0)
check "the other speaker is not named ($other)" "$(labels "$SCRATCH/named.json")" grep -qE '^S[12]$' <<<"$other"
check "the other speaker keeps her label in her last turn" "$(labels "$SCRATCH/named.json")" \
  equal "$(label_at "$SCRATCH/named.json" 23.5)" "$other"

# ---------------------------------------------------------------------------------------------
echo "# withdraw consent"
expect_success "withdraw alice" speakers withdraw alice
check "no profile listed" "$("$HUSH" speakers list 2>&1)" no_profiles
check "no profile stored" "$(stored_profiles) profiles" equal "$(stored_profiles)" 0
leftovers=$(files_with_needle "$SCRATCH/needle.bin")
check "P10: the embedding's bytes are in no file under HUSH_HOME" "found in: $leftovers" test -z "$leftovers"
expect_success "transcribe again" transcribe -q --speakers 2 --format json "$SCRATCH/meeting.wav"
cp "$OUT" "$SCRATCH/after.json"
check "nobody is named alice any more" "$(labels "$SCRATCH/after.json" | head)" equal "$(count_label "$SCRATCH/after.json" alice)" 0
check "labels are as before enrolment" "$(labels "$SCRATCH/after.json" | head)" \
  equal "$(labels "$SCRATCH/after.json")" "$(labels "$SCRATCH/before.json")"
check "stderr names nobody" "$(stderr_text)" not grep -q ' is alice' "$ERR"
expect_error "withdraw twice" 2 "no speaker profile named 'alice'" speakers withdraw alice

finish_tests
