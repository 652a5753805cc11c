#!/usr/bin/env bash
# cli_meetings.sh HUSH_BINARY SCRATCH_DIR
#
# `hush meetings` end to end against a scratch HUSH_HOME: add (audio, transcript, notes), list,
# search (including text that would be FTS5 syntax: quotes, *, parentheses), show, export in
# every format, settings (notes off stores nothing), delete (refused without --yes when stdin
# is not a terminal), retention (an expired meeting is swept at the next command), and bad
# input: unknown or malformed IDs exit 2, missing files 3, corrupt files 4, each with one
# `hush: error:` line.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools sox python3
export HUSH_HOME=$SCRATCH/home TZ=UTC

contains() { grep -qF -- "$2" "$1"; }  # contains FILE TEXT
detail() { echo "command: $CMD -> exit $RC"; echo "stdout: $(head -c 800 "$OUT")"; echo "stderr: $(head -c 800 "$ERR")"; }
meeting_count() { "$HUSH" meetings list </dev/null 2>/dev/null | awk 'NR > 1 && $1 ~ /^[0-9]+$/' | wc -l; }

# ---------------------------------------------------------------------------------------------
echo "# fixtures"
sox -R -n -r 16000 -c 1 -b 16 "$SCRATCH/standup.wav" synth 3 sine 440 || { echo "FAIL: sox" >&2; exit 1; }
cat >"$SCRATCH/t.json" <<'EOF'
{"source":"standup.wav","asr_engine":"test","duration_s":3,
 "speakers":[{"id":0,"label":"me"},{"id":1,"label":"S1"}],
 "segments":[{"start_s":0,"end_s":1.5,"text":"good morning let us review the budget","speaker":0},
             {"start_s":1.5,"end_s":3,"text":"alice will send the draft by friday","speaker":1}]}
EOF
cat >"$SCRATCH/n.json" <<'EOF'
{"summarizer":"test","summary":[{"text":"the budget needs a review","time_s":0,"speaker":0}],
 "action_items":[{"text":"send the draft","owner":"alice","due":"by friday","time_s":1.5,"speaker":1}],
 "decisions":[{"text":"we keep the venue","time_s":2,"speaker":0}],"questions":[],"topics":["budget"],
 "chapters":[{"title":"Budget","start_s":0,"end_s":3}]}
EOF
cp "$SCRATCH/standup.wav" "$SCRATCH/original.wav"
printf 'not audio at all' >"$SCRATCH/junk.wav"
printf '{"segments": [' >"$SCRATCH/broken.json"

# ---------------------------------------------------------------------------------------------
echo "# add and list"
expect_success "list on an empty library" meetings list
check "empty list says so" "$(detail)" contains "$OUT" "No meetings"
expect_success "add audio + transcript + notes" meetings add "$SCRATCH/standup.wav" --title "Standup" \
  --transcript "$SCRATCH/t.json" --notes "$SCRATCH/n.json"
check "add prints the new ID" "$(detail)" equal "$(cat "$OUT")" 1
check "the audio was copied into HUSH_HOME/recordings" "$(ls -R "$HUSH_HOME")" test -f "$HUSH_HOME/recordings/standup.wav"
expect_success "add a transcript without audio" meetings add --transcript "$SCRATCH/t.json" --title "Retro"
check "second ID is 2" "$(detail)" equal "$(cat "$OUT")" 2
expect_success "list" meetings list
check "list shows Standup with transcript, notes and audio" "$(detail)" grep -qE '^ +1 .* 0:03 +TNA- +Standup$' "$OUT"
check "list shows Retro (transcript only), newest first" "$(detail)" \
  equal "$(awk 'NR > 1 { print $1 }' "$OUT" | tr '\n' ' ')" "2 1 "

# ---------------------------------------------------------------------------------------------
echo "# search"
expect_success "search budget" meetings search budget
check "search highlights the match" "$(detail)" contains "$OUT" "[budget]"
check "search names the meeting" "$(detail)" contains "$OUT" "Standup"
check "search shows segment times" "$(detail)" contains "$OUT" "[0:00]"
check "search also finds notes" "$(detail)" contains "$OUT" "(notes)"
expect_success "search a phrase" meetings search '"send the draft"'
check "phrase found in both meetings' transcripts" "$(detail)" equal "$(grep -cE '^[0-9]+ ' "$OUT")" 2
expect_success "search a prefix" meetings search 'budg*'
check "prefix finds budget" "$(detail)" contains "$OUT" "[budget]"
for q in '(budget' 'budget)' "budget's" 'budget AND (' 'NEAR(budget' 'text:budget' '{budget}' '^budget'; do
  expect_success "search '$q' (FTS5 syntax searched as text)" meetings search "$q"
done
expect_success "search with no match" meetings search zebra
check "no match says so on stderr" "$(detail)" contains "$ERR" "no meeting matches"
expect_error "search with an unbalanced quote" 2 "" meetings search '"budget'
check "unbalanced quote is explained" "$(detail)" contains "$ERR" "unbalanced"
for q in '*' '()' '"' '' '"*"'; do
  expect_error "search '$q' (no words)" 2 "" meetings search "$q"
done

# ---------------------------------------------------------------------------------------------
echo "# show and export"
expect_success "show 1" meetings show 1
for want in "Standup" "Duration:  0:03" "Speakers:  me, S1" "Summary:" "send the draft (owner: alice) (due: by friday)" \
            "[0:00] me: good morning let us review the budget" "[0:02] S1: alice will send the draft by friday"; do
  check "show prints '$want'" "$(detail)" contains "$OUT" "$want"
done
for fmt in txt srt vtt json md; do
  expect_success "export 1 --format $fmt" meetings export 1 --format "$fmt" -o "$SCRATCH/out.$fmt"
  check "export $fmt wrote a non-empty file" "$(detail)" test -s "$SCRATCH/out.$fmt"
done
check "txt has the first segment" "$(cat "$SCRATCH/out.txt")" contains "$SCRATCH/out.txt" "good morning let us review the budget"
check "srt has cue timings" "$(cat "$SCRATCH/out.srt")" contains "$SCRATCH/out.srt" "00:00:00,000 --> 00:00:01,500"
check "vtt starts with WEBVTT" "$(head -3 "$SCRATCH/out.vtt")" equal "$(head -1 "$SCRATCH/out.vtt")" "WEBVTT"
check "md has the action item" "$(cat "$SCRATCH/out.md")" contains "$SCRATCH/out.md" "send the draft"
check "json is the transcript plus meeting and notes" "$(head -c 600 "$SCRATCH/out.json")" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["meeting"]["title"] == "Standup" and j["meeting"]["id"] == 1
assert len(j["segments"]) == 2 and j["notes"]["action_items"][0]["owner"] == "alice"' "$SCRATCH/out.json"
expect_success "export to stdout" meetings export 2 --format txt
check "stdout export has the transcript" "$(detail)" contains "$OUT" "alice will send the draft"
expect_success "the json export reads back as a transcript" meetings add --transcript "$SCRATCH/out.json" --title "Re-import"
expect_success "delete the re-import" meetings delete 3 --yes
expect_error "export --format bogus" 2 "" meetings export 1 --format bogus
expect_error "export into a missing folder" 3 "" meetings export 1 --format txt -o "$SCRATCH/no/such/dir/x.txt"

# ---------------------------------------------------------------------------------------------
echo "# bad IDs and bad files"
for id in 99 0 abc 1x 9999999999999999999999; do
  expect_error "show '$id'" 2 "" meetings show "$id"
done
check "an unknown ID is named" "$(detail)" contains "$ERR" "9999999999999999999999"
expect_error "export 99" 2 "" meetings export 99 --format json
expect_error "delete 99" 2 "" meetings delete 99 --yes
expect_error "add a missing audio file" 3 "" meetings add "$SCRATCH/missing.wav"
expect_error "add a file that is not audio" 4 "" meetings add "$SCRATCH/junk.wav"
expect_error "add a broken transcript" 4 "" meetings add --transcript "$SCRATCH/broken.json"
expect_error "add a missing transcript" 3 "" meetings add --transcript "$SCRATCH/missing.json"
expect_error "add nothing" 2 "" meetings add
check "failed adds stored nothing" "$(meeting_count)" equal "$(meeting_count)" 2

# ---------------------------------------------------------------------------------------------
echo "# settings: notes off stores nothing"
expect_success "settings" meetings settings
check "notes on by default" "$(detail)" contains "$OUT" "notes:     on"
expect_success "settings --notes off" meetings settings --notes off
check "notes now off" "$(detail)" contains "$OUT" "notes:     off"
expect_error "add a transcript with notes off" 2 "" meetings add "$SCRATCH/standup.wav" --transcript "$SCRATCH/t.json"
check "the refusal says why" "$(detail)" contains "$ERR" "notes are off"
check "nothing was added with notes off" "$(meeting_count)" equal "$(meeting_count)" 2
expect_error "settings --notes maybe" 2 "" meetings settings --notes maybe
expect_success "settings --notes on" meetings settings --notes on

# ---------------------------------------------------------------------------------------------
echo "# delete"
expect_error "delete without --yes on a non-terminal stdin" 2 "" meetings delete 1
check "the refusal mentions --yes" "$(detail)" contains "$ERR" "--yes"
check "meeting 1 is still there" "$(meeting_count)" equal "$(meeting_count)" 2
expect_success "delete 1 --yes" meetings delete 1 --yes
check "the library's audio copy is gone" "$(ls -R "$HUSH_HOME")" test ! -e "$HUSH_HOME/recordings/standup.wav"
check "the user's own file is untouched" "" cmp -s "$SCRATCH/standup.wav" "$SCRATCH/original.wav"
expect_success "search after delete" meetings search alice
check "only meeting 2 is found" "$(detail)" equal "$(grep -cE '^[0-9]+ ' "$OUT")" 1
expect_error "delete 1 again" 2 "" meetings delete 1 --yes

# ---------------------------------------------------------------------------------------------
echo "# retention"
expect_success "retention (show)" meetings retention
check "keeps forever by default" "$(detail)" contains "$OUT" "keep forever"
expect_error "retention --days -1" 2 "" meetings retention --days -1
expect_success "retention --days 30" meetings retention --days 30
check "retention is 30 days" "$(detail)" contains "$OUT" "30 days"
if command -v sqlite3 >/dev/null; then
  # Backdate meeting 2 by 40 days (as if the clock moved on); the next command sweeps it.
  sqlite3 "$HUSH_HOME/library.db" "UPDATE meetings SET created_at = created_at - 40 * 86400 WHERE id = 2" ||
    fail "could not backdate meeting 2"
  expect_success "list after the meeting expired" meetings list
  check "the sweep reports the deletion" "$(detail)" contains "$ERR" "retention: deleted 1 meeting"
  check "the expired meeting is gone" "$(detail)" contains "$OUT" "No meetings"
else
  echo "skip - retention sweep on open (no sqlite3 to backdate a meeting)"
fi
expect_success "retention --days 0" meetings retention --days 0

finish_tests
