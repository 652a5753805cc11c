#!/usr/bin/env bash
# test_p11_no_training_export.sh HUSH_BINARY SCRATCH_DIR
#
# Privacy P11: no training on user data without explicit permission. The on-device Hush has no
# feedback or export-for-training feature at all (nothing rates transcripts, nothing collects
# examples), so the promise holds if nothing from a meeting is written anywhere but where the
# user keeps it. This test makes that checkable: a full library cycle (add with transcript and
# notes, list, search, show, export, delete) runs under strace, and every file or directory it
# successfully creates, opens for writing, renames or links must lie under HUSH_HOME or be the
# export file the user named (or its temporary sibling). $HOME, $XDG_* and $TMPDIR point at
# empty sandbox folders, which must still be empty afterwards. If a feedback/training export is
# ever added, its own test belongs here. Exit 77 (skipped) without a working strace.
set -u
if [ $# -ne 2 ]; then
  echo "usage: $0 HUSH_BINARY SCRATCH_DIR" >&2
  exit 2
fi
HUSH=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SCRATCH=$2
case "$SCRATCH" in "" | /) echo "refusing scratch dir '$SCRATCH'" >&2; exit 2 ;; esac
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH" || exit 1
SCRATCH=$(cd "$SCRATCH" && pwd)
if ! command -v strace >/dev/null || ! strace -f -qq -o /dev/null true 2>/dev/null; then
  echo "skip - strace is missing or ptrace is not permitted here" >&2
  exit 77
fi
command -v python3 >/dev/null || { echo "FAIL: needs python3" >&2; exit 1; }

FAILURES=0
fail() { echo "FAIL - $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok   - $*"; }

mkdir -p "$SCRATCH/cwd" "$SCRATCH/sandbox/home" "$SCRATCH/sandbox/xdg-data" "$SCRATCH/sandbox/xdg-cache" \
  "$SCRATCH/sandbox/xdg-config" "$SCRATCH/sandbox/xdg-state" "$SCRATCH/sandbox/tmp" "$SCRATCH/exports"
export HUSH_HOME=$SCRATCH/hush-home HOME=$SCRATCH/sandbox/home TMPDIR=$SCRATCH/sandbox/tmp
export XDG_DATA_HOME=$SCRATCH/sandbox/xdg-data XDG_CACHE_HOME=$SCRATCH/sandbox/xdg-cache
export XDG_CONFIG_HOME=$SCRATCH/sandbox/xdg-config XDG_STATE_HOME=$SCRATCH/sandbox/xdg-state
EXPORT=$SCRATCH/exports/meeting.md

sox -R -n -r 16000 -c 1 -b 16 "$SCRATCH/input.wav" synth 1 sine 440 || { echo "FAIL: no fixture" >&2; exit 1; }
cat >"$SCRATCH/t.json" <<'EOF'
{"source":"x.wav","duration_s":1,"speakers":[{"id":0,"label":"me"}],
 "segments":[{"start_s":0,"end_s":1,"text":"the quarterly budget needs review","speaker":0}]}
EOF
cat >"$SCRATCH/n.json" <<'EOF'
{"summarizer":"test","summary":[{"text":"the quarterly budget needs review","time_s":0,"speaker":0}],
 "action_items":[{"text":"review the budget","owner":"me","due":"friday","time_s":0,"speaker":0}]}
EOF

cd "$SCRATCH/cwd" || exit 1
n=0
traced() {  # traced ARGS...: hush ARGS under strace; each run's log is $SCRATCH/trace.N
  n=$((n + 1))
  # LeakSanitizer cannot run under ptrace; an ASan build's leak checks run in the other tests.
  if ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" strace -f -qq -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,truncate \
       -o "$SCRATCH/trace.$n" "$HUSH" "$@" </dev/null >/dev/null 2>"$SCRATCH/stderr.$n"; then
    pass "hush $*"
  else
    fail "hush $* failed: $(head -c 500 "$SCRATCH/stderr.$n")"
  fi
}
traced meetings add "$SCRATCH/input.wav" --title budget --transcript "$SCRATCH/t.json" --notes "$SCRATCH/n.json"
traced meetings list
traced meetings search budget
traced meetings show 1
traced meetings export 1 --format md -o "$EXPORT"
traced meetings export 1 --format json -o "$EXPORT"
traced meetings delete 1 --yes

# Every successful write-side call's paths, resolved against the working directory.
report=$(python3 - "$SCRATCH/cwd" "$HUSH_HOME" "$EXPORT" "$SCRATCH"/trace.* <<'EOF'
import os, re, sys
cwd, home, export, logs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
write_flags = re.compile(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC")
call = re.compile(r'^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)')
bad = []
for log in logs:
    for line in open(log):
        m = call.match(line)
        if not m or int(m.group(3)) < 0:
            continue  # failed calls create nothing (e.g. mkdir of an existing parent)
        name, args = m.group(1), m.group(2)
        if name in ("open", "openat") and not write_flags.search(args):
            continue
        for path in re.findall(r'"((?:[^"\\]|\\.)*)"', args):
            if name in ("rename", "renameat", "renameat2", "link", "linkat") and path == "":
                continue
            if not path.startswith("/"):
                if name.endswith("at") and not args.startswith("AT_FDCWD"):
                    bad.append("%s (relative to a directory fd): %s" % (path, line.strip()))
                    continue
                path = os.path.join(cwd, path)
            p = os.path.normpath(path)
            ok = (p == home or p.startswith(home + "/") or p == export or p.startswith(export + ".tmp-")
                  or p.startswith("/dev/"))
            if not ok:
                bad.append("%s: %s" % (p, line.strip()))
print("\n".join(bad))
EOF
)
if [ -z "$report" ]; then
  pass "every file written lies under HUSH_HOME or is the chosen export"
else
  fail "files written outside HUSH_HOME and the export path:"$'\n'"$report"
fi
# The scan must be able to fail: the export itself was written, and it is outside HUSH_HOME.
if grep -q "\"$EXPORT\"" "$SCRATCH"/trace.*; then
  pass "the trace sees the export file being written (the check is not blind)"
else
  fail "the trace never shows the export file $EXPORT being written"
fi
leftover=$(find "$SCRATCH/sandbox" "$SCRATCH/cwd" -mindepth 1 ! -type d -print | head -5)
if [ -z "$leftover" ]; then
  pass "HOME, XDG folders, TMPDIR and the working directory stay empty"
else
  fail "files appeared outside HUSH_HOME: $leftover"
fi

[ "$FAILURES" -eq 0 ] || { echo "test_p11_no_training_export: $FAILURES check(s) FAILED" >&2; exit 1; }
echo "test_p11_no_training_export: all checks passed"
