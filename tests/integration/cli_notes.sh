#!/usr/bin/env bash
# cli_notes.sh HUSH_BINARY SCRATCH_DIR
#
# `hush notes`: Markdown and JSON match the golden files of tests/data/notes (the same ones
# tests/unit/test_notes.cpp checks through the library), -o, --template, --summary-sentences,
# --summarizer-url falling back with a warning when nothing answers, and clear errors (exit
# code and message) for a missing file, invalid JSON, a wrong shape, a bad template and bad
# options. Stops at the first failure; HUSH_TEST_KEEP_GOING=1 runs every check.
set -u

. "$(dirname "$0")/lib_cli_args.sh" "$@"  # HUSH, a fresh SCRATCH, check, run_hush, expect_*
require_tools python3
export HUSH_HOME=$SCRATCH/home
DATA=$HUSH_SOURCE_DIR/tests/data/notes
MEETING=$DATA/meeting.json

echo "# golden Markdown and JSON"
expect_success "notes meeting.json" notes "$MEETING"
check "Markdown equals tests/data/notes/expected.md" "$(diff "$DATA/expected.md" "$OUT" | head -20)" \
  cmp -s "$OUT" "$DATA/expected.md"
expect_success "notes --format json" notes --format json "$MEETING"
check "JSON equals tests/data/notes/expected.json" "$(diff "$DATA/expected.json" "$OUT" | head -20)" \
  cmp -s "$OUT" "$DATA/expected.json"
expect_success "notes --format md -o notes.md" notes --format md -o "$SCRATCH/notes.md" "$MEETING"
check "-o writes the file" "missing" cmp -s "$SCRATCH/notes.md" "$DATA/expected.md"
check "-o: nothing on stdout" "stdout: $(head -c 300 "$OUT")" test ! -s "$OUT"

echo "# options"
expect_success "--summary-sentences 5" notes --format json --summary-sentences 5 "$MEETING"
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["summary"]))' "$OUT" 2>&1)
check "--summary-sentences 5 gives 5 summary lines" "got $n" equal "$n" 5

printf '# {{ title }}\n\nTodo:\n{{action_items}}\n\nDecided:\n{{decisions}}\n' >"$SCRATCH/t.md"
expect_success "--template" notes --template "$SCRATCH/t.md" "$MEETING"
check "--template: the layout is the template's" "stdout: $(head -c 400 "$OUT")" \
  equal "$(head -n 4 "$OUT")" "# Meeting notes: spring-launch

Todo:
- [ ] help with the refund bugs — Bob — this week (00:01:01)"
check "--template: no default sections" "stdout: $(head -c 400 "$OUT")" not grep -q '^## Summary' "$OUT"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
expect_success "--summarizer-url to a port nobody listens on" \
  notes --summarizer-url "http://127.0.0.1:$port/v1/chat/completions" --summarizer-timeout-s 3 "$MEETING"
check "falls back: stderr warns" "stderr: $(stderr_text)" \
  grep -q "hush: warning: summarizer at http://127.0.0.1:$port/v1/chat/completions: connect failed.*using the on-device extractive summary" "$ERR"
check "falls back: the notes are the extractive ones" "$(diff "$DATA/expected.md" "$OUT" | head -20)" \
  cmp -s "$OUT" "$DATA/expected.md"

echo "# errors"
expect_error "missing transcript" 3 "^hush: error: cannot open transcript '.*nope.json'" notes "$SCRATCH/nope.json"
printf '{"segments": [' >"$SCRATCH/cut.json"
expect_error "invalid JSON" 4 "^hush: error: transcript '.*cut.json' is not valid JSON" notes "$SCRATCH/cut.json"
printf '{"duration_s": 1e400}\n' >"$SCRATCH/huge.json"
expect_error "a number too large for a double" 4 "^hush: error: transcript '.*huge.json' is not valid JSON" notes "$SCRATCH/huge.json"
printf '[1, 2, 3]\n' >"$SCRATCH/array.json"
expect_error "JSON array instead of a transcript" 4 "^hush: error: '.*array.json': transcript JSON: top level" notes "$SCRATCH/array.json"
printf '{"segments": [{"start_s": "soon", "text": "hi"}]}\n' >"$SCRATCH/type.json"
expect_error "segment time of the wrong type" 4 "^hush: error: '.*type.json': transcript JSON: .*start_s" notes "$SCRATCH/type.json"
printf '{"speakers": [], "segments": [{"start_s": 0, "end_s": 1, "text": "hi", "speaker": 7}]}\n' >"$SCRATCH/spk.json"
expect_error "unknown speaker index" 4 "^hush: error: '.*spk.json': transcript JSON: .*speaker" notes "$SCRATCH/spk.json"
: >"$SCRATCH/empty.json"
expect_error "empty file" 4 "^hush: error: transcript '.*empty.json' is not valid JSON" notes "$SCRATCH/empty.json"
printf 'Hi {{attendees}}\n' >"$SCRATCH/bad.md"
expect_error "template with an unknown placeholder" 4 \
  "^hush: error: '.*bad.md': template line 1: unknown placeholder \{\{attendees\}\}" notes --template "$SCRATCH/bad.md" "$MEETING"
expect_error "missing template" 3 "^hush: error: cannot open template" notes --template "$SCRATCH/none.md" "$MEETING"
expect_error "--template with --format json" 2 "^hush: error: --template applies to --format md" \
  notes --format json --template "$SCRATCH/t.md" "$MEETING"
expect_error "https summarizer" 2 "^hush: error: summarizer URL 'https://example.com/v1': https is not supported" \
  notes --summarizer-url https://example.com/v1 "$MEETING"
expect_error "--format pdf" 2 "^hush: error: .*format" notes --format pdf "$MEETING"
expect_error "unwritable -o" 3 "^hush: error: .*x.md: cannot write" notes -o "$SCRATCH/no/such/dir/x.md" "$MEETING"

finish_tests
