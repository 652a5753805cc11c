#!/usr/bin/env bash
# hushd under faults, with the real binary and curl (issue 7):
#   kill  kill -9 during uploads and during jobs: after a restart on the same data directory every
#         upload that got a 2xx exists and completes (orphaned jobs are taken again once their
#         short lease runs out), its audio is exactly what was sent, cut requests got no 2xx, and
#         SQLite's integrity_check passes on the database the kill left behind;
#   disk  the data directory on a 3 MiB tmpfs (user+mount namespace, no root needed): uploads
#         until the disk is full get 507 naming the full disk, never a 2xx for audio that was not
#         stored; reads keep working; once space is freed uploads work again;
#   pg    --database on a private PostgreSQL cluster that is restarted while hushd runs:
#         requests during the outage get 503, after it the same hushd serves and runs jobs.
# usage: hushd_faults.sh HUSHD SCRATCH_DIR kill|disk|pg
# Exit 77 (skipped) when a part cannot run here: no curl/espeak-ng/sqlite3, no unprivileged
# user namespaces (disk), no PostgreSQL 15 server (pg). Each passing assertion prints "# ok ...".
set -uo pipefail
HUSHD=$1 SCRATCH=$2 PART=$3
case "$SCRATCH" in "" | /) echo "FAIL: refusing scratch dir '$SCRATCH'"; exit 1 ;; esac
rm -rf "$SCRATCH" && mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
PG_SCRIPT=$HERE/../../scripts/pg_test_server.sh
for tool in curl espeak-ng; do
  command -v $tool >/dev/null || { echo "SKIP: no $tool"; exit 77; }
done
FAILURES=0
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -f "$SCRATCH/pg/url" ] && bash "$PG_SCRIPT" stop "$SCRATCH/pg" >/dev/null 2>&1
}
trap cleanup EXIT
check() {  # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "# ok $what"; else echo "FAIL - $what"; FAILURES=$((FAILURES + 1)); fi
}
finish() {
  check "no sanitizer report in hushd's logs" bash -c "! cat '$SCRATCH'/hushd*.log | grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error'"
  if [ "$FAILURES" -ne 0 ]; then
    echo "$FAILURES check(s) failed; hushd logs:"
    tail -n 40 "$SCRATCH"/hushd*.log
    exit 1
  fi
  echo "all hushd $PART fault checks passed"
  exit 0
}

# start_hushd LOG ARGS...: starts hushd in the background, sets PID and URL.
start_hushd() {
  local log=$1; shift
  "$HUSHD" --listen 127.0.0.1:0 "$@" > "$log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_serving "$log"
}
wait_serving() {
  local port=
  for _ in $(seq 200); do
    port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$1" 2>/dev/null)
    [ -n "$port" ] && break
    sleep 0.1
  done
  URL=http://127.0.0.1:$port
  [ -n "$port" ]
}
admin_create() {  # sets KEY, WS, AUTH (HUSHD_DATA / HUSHD_DATABASE_URL chosen by the caller)
  local out
  out=$(echo "a long enough password" | "$HUSHD" admin create --email ada@example.com --name Ada "$@" 2>&1)
  KEY=$(awk '/^api key/{print $3}' <<< "$out")
  WS=$(awk '/^workspace/{print $2}' <<< "$out")
  AUTH="Authorization: Bearer $KEY"
  [ -n "$KEY" ] && [ -n "$WS" ] || { echo "admin create failed: $out"; return 1; }
}
enable_recording() {
  curl -s -o /dev/null -w '%{http_code}' -X PATCH -H "$AUTH" -d '{"recording_enabled":true}' \
    "$URL/v1/workspaces/$WS/settings"
}
# upload FILE OUT [curl options]: POST /v1/recordings; OUT gets the body, OUT.code the status
# (000 when no answer came) and OUT.rc curl's exit status.
upload() {
  local file=$1 out=$2; shift 2
  curl -s "$@" -o "$out" -w '%{http_code}' -H "$AUTH" -F file=@"$file" -F consent=true -F title=fault \
    "$URL/v1/recordings" > "$out.code"
  echo $? > "$out.rc"
}
status_of() { curl -s -H "$AUTH" "$URL/v1/recordings/$1" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'; }
id_in() { sed -n 's/.*"id":"\(rec_[0-9a-f]*\)".*/\1/p' "$1"; }

espeak-ng -w "$SCRATCH/short.wav" "hello everyone, this is the weekly planning meeting" 2>/dev/null

# ------------------------------------------------------------------------------------------
part_kill() {
  command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3 for the integrity check"; exit 77; }
  export HUSHD_DATA=$SCRATCH/data
  # A longer recording (about 25 s of speech), so its job is still running at the kill.
  espeak-ng -w "$SCRATCH/long.wav" "$(for _ in 1 2 3 4 5 6; do
    printf 'the quarterly planning meeting covers the budget, the hiring plan and the release. '; done)" 2>/dev/null
  admin_create || exit 1
  start_hushd "$SCRATCH/hushd1.log" --workers 1 || { echo "FAIL: hushd did not start"; exit 1; }
  check "recording turned on" test "$(enable_recording)" = 200

  # Three uploads that finish before the kill; their jobs queue behind the running one.
  local uploaders=()
  for i in 1 2 3; do upload "$SCRATCH/long.wav" "$SCRATCH/first$i" & uploaders+=($!); done
  wait "${uploaders[@]}"
  for i in 1 2 3; do check "upload $i before the kill -> 201" test "$(cat "$SCRATCH/first$i.code")" = 201; done
  for _ in $(seq 100); do
    [ "$(status_of "$(id_in "$SCRATCH/first1")")" = processing ] && break
    grep -q '"status":"processing"' <(curl -s -H "$AUTH" "$URL/v1/recordings") && break
    sleep 0.1
  done
  check "a job is running at the kill" grep -q '"status":"processing"' <(curl -s -H "$AUTH" "$URL/v1/recordings")
  # Four more, sent slowly (each takes seconds), cut by the kill while in flight.
  uploaders=()
  for i in 1 2 3 4; do upload "$SCRATCH/long.wav" "$SCRATCH/cut$i" --limit-rate 150k & uploaders+=($!); done
  sleep 1.5
  kill -9 "$PID"
  wait "$PID" "${uploaders[@]}" 2>/dev/null
  check "integrity_check of the database the kill left" \
    test "$(sqlite3 "$HUSHD_DATA/hushd.db" 'PRAGMA integrity_check;' 2>&1)" = ok

  local accepted=() cut_with_2xx=0 cut=0
  for f in "$SCRATCH"/first?.code "$SCRATCH"/cut?.code; do
    local code
    f=${f%.code}
    code=$(cat "$f.code")
    # 000: no answer at all; 100: only the interim "100 Continue" before the body was cut.
    case $code in
      2??) accepted+=("$(id_in "$f")") ;;
      000 | 1??) ;;
      *) echo "# $(basename "$f"): $code" ;;
    esac
    if [[ $f == */cut? && $code == 2?? && $(cat "$f.rc") != 0 ]]; then cut_with_2xx=$((cut_with_2xx + 1)); fi
    if [[ $f == */cut? && ( $code == 000 || $code == 1?? ) ]]; then cut=$((cut + 1)); fi
  done
  check "no cut request got a 2xx" test "$cut_with_2xx" = 0
  check "uploads were in flight at the kill ($cut cut)" test "$cut" -gt 0
  echo "# ${#accepted[@]} uploads were accepted before the kill"

  start_hushd "$SCRATCH/hushd2.log" --workers 2 || { echo "FAIL: hushd did not restart"; exit 1; }
  local pending=("${accepted[@]}") deadline=$((SECONDS + 150))
  while [ ${#pending[@]} -gt 0 ] && [ $SECONDS -lt $deadline ]; do
    local still=()
    for id in "${pending[@]}"; do [ "$(status_of "$id")" = completed ] || still+=("$id"); done
    pending=("${still[@]}")
    [ ${#pending[@]} -gt 0 ] && sleep 1
  done
  check "every accepted recording completes after the restart (${#accepted[@]}, $((SECONDS)) s)" test ${#pending[@]} = 0
  local original
  original=$(sha256sum < "$SCRATCH/long.wav")
  for id in $(curl -s -H "$AUTH" "$URL/v1/recordings" | grep -o '"id":"rec_[0-9a-f]*"' | cut -d'"' -f4); do
    local code
    code=$(curl -s -o "$SCRATCH/audio.out" -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings/$id/audio")
    check "listed recording $id serves its whole audio" \
      test "$code:$(sha256sum < "$SCRATCH/audio.out")" = "200:$original"
    check "listed recording $id completes" test "$(status_of "$id")" = completed
  done
  local rec
  rec=$(curl -s -H "$AUTH" "$URL/v1/recordings")
  for id in "${accepted[@]}"; do check "accepted $id is listed" grep -q "$id" <<< "$rec"; done
  kill -TERM "$PID"; wait "$PID"
  check "the restarted hushd stops cleanly" test $? = 0
  check "integrity_check after the restart" test "$(sqlite3 "$HUSHD_DATA/hushd.db" 'PRAGMA integrity_check;')" = ok
}

# ------------------------------------------------------------------------------------------
part_disk() {
  command -v unshare >/dev/null || { echo "SKIP: no unshare"; exit 77; }
  local mnt=$SCRATCH/small
  mkdir -p "$mnt"
  if ! unshare -rm sh -c "mount -t tmpfs -o size=3m tmpfs '$mnt'" 2>"$SCRATCH/unshare.err"; then
    echo "SKIP: cannot mount a tmpfs in a user+mount namespace: $(cat "$SCRATCH/unshare.err")"
    exit 77
  fi
  # Inside the namespace: the tmpfs, a 600 KiB filler to free later, the first admin, then hushd.
  # The admin's key goes to $SCRATCH (outside the tmpfs, visible to this script).
  unshare -rm sh -c "
    mount -t tmpfs -o size=3m tmpfs '$mnt' || exit 1
    export HUSHD_DATA='$mnt/data'
    dd if=/dev/zero of='$mnt/filler' bs=1024 count=600 2>/dev/null
    echo 'a long enough password' | '$HUSHD' admin create --email ada@example.com --name Ada > '$SCRATCH/admin.out' 2>&1
    exec '$HUSHD' --listen 127.0.0.1:0 --workers 0" > "$SCRATCH/hushd.log" 2>&1 &
  PID=$!
  PIDS+=("$PID")
  wait_serving "$SCRATCH/hushd.log" || { echo "FAIL: hushd did not start on the tmpfs"; cat "$SCRATCH/hushd.log"; exit 1; }
  KEY=$(awk '/^api key/{print $3}' "$SCRATCH/admin.out")
  WS=$(awk '/^workspace/{print $2}' "$SCRATCH/admin.out")
  AUTH="Authorization: Bearer $KEY"
  check "recording turned on" test "$(enable_recording)" = 200

  local stored=() full_code= n
  for n in $(seq 60); do
    upload "$SCRATCH/short.wav" "$SCRATCH/up$n"
    local code
    code=$(cat "$SCRATCH/up$n.code")
    if [ "$code" = 201 ]; then stored+=("$(id_in "$SCRATCH/up$n")"); continue; fi
    full_code=$code
    break
  done
  echo "# $((${#stored[@]})) uploads fit; upload $n answered $full_code: $(head -c 300 "$SCRATCH/up$n")"
  check "the disk fills up" test -n "$full_code"
  check "a full disk answers 507" test "$full_code" = 507
  check "the 507 names the full disk" grep -q "disk is full" "$SCRATCH/up$n"
  check "the 507 is a JSON error" grep -q '"error":{' "$SCRATCH/up$n"
  upload "$SCRATCH/short.wav" "$SCRATCH/again"
  check "a second upload on the full disk is 507 too" test "$(cat "$SCRATCH/again.code")" = 507
  check "hushd is still running" kill -0 "$PID"
  check "reads keep working: the list" \
    test "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings")" = 200
  local all_ok=1 id
  for id in "${stored[@]}"; do
    [ "$(curl -s -o "$SCRATCH/audio.out" -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings/$id/audio")" = 200 ] &&
      cmp -s "$SCRATCH/audio.out" "$SCRATCH/short.wav" || all_ok=0
  done
  check "every 201 recording serves its whole audio on the full disk" test "$all_ok" = 1
  local count
  count=$(curl -s -H "$AUTH" "$URL/v1/recordings" | grep -o '"id":"rec_' | wc -l)
  check "no recording exists for a refused upload (${#stored[@]} listed)" test "$count" = "${#stored[@]}"

  # In hushd's namespace (unshare exec'ed sh, which exec'ed hushd: the same process), take the
  # rest of the disk, reserve included: database writes then meet ENOSPC / SQLITE_FULL itself.
  in_ns() { nsenter -t "$PID" -U -m --preserve-credentials "$@"; }
  in_ns dd if=/dev/zero of="$mnt/filler2" bs=4096 2>/dev/null  # ends with ENOSPC, as meant
  if in_ns test -f "$mnt/filler2"; then
    code=$(curl -s -o "$SCRATCH/write.json" -w '%{http_code}' -X PATCH -H "$AUTH" -d '{"retention_days":30}' \
      "$URL/v1/workspaces/$WS/settings")
    echo "# a database write on a disk with 0 bytes free: $code $(head -c 200 "$SCRATCH/write.json")"
    check "a database write on a completely full disk -> 507 or 200, never 500" \
      bash -c "[ $code = 507 ] && grep -q 'disk is full' '$SCRATCH/write.json' || [ $code = 200 ]"
    upload "$SCRATCH/short.wav" "$SCRATCH/zero"
    check "an upload on a completely full disk -> 507" test "$(cat "$SCRATCH/zero.code")" = 507
    check "hushd survives a completely full disk" kill -0 "$PID"
    # Free space: remove the fillers.
    in_ns rm -f "$mnt/filler" "$mnt/filler2"
    upload "$SCRATCH/short.wav" "$SCRATCH/after"
    check "after space is freed (fillers removed) an upload works again" test "$(cat "$SCRATCH/after.code")" = 201
  else
    echo "# nsenter not permitted: freeing space by deleting recordings only"
  fi
  for id in "${stored[@]:0:3}"; do
    check "deleting $id on a nearly full disk works" \
      test "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "$AUTH" "$URL/v1/recordings/$id")" = 200
  done
  upload "$SCRATCH/short.wav" "$SCRATCH/after2"
  check "after deleting recordings an upload works again" test "$(cat "$SCRATCH/after2.code")" = 201
  check "no crash" kill -0 "$PID"
  kill -TERM "$PID"; wait "$PID"
  check "hushd stops cleanly" test $? = 0
}

# ------------------------------------------------------------------------------------------
part_pg() {
  bash "$PG_SCRIPT" start "$SCRATCH/pg" > /dev/null 2> "$SCRATCH/pg.err"
  case $? in
    0) ;;
    77) echo "SKIP: $(cat "$SCRATCH/pg.err")"; exit 77 ;;
    *) echo "FAIL: cannot start PostgreSQL: $(cat "$SCRATCH/pg.err")"; exit 1 ;;
  esac
  export HUSHD_DATABASE_URL
  HUSHD_DATABASE_URL=$(cat "$SCRATCH/pg/url")
  export HUSHD_DATA=$SCRATCH/data
  admin_create || exit 1
  start_hushd "$SCRATCH/hushd.log" --workers 1 || { echo "FAIL: hushd did not start"; exit 1; }
  check "recording turned on" test "$(enable_recording)" = 200
  upload "$SCRATCH/short.wav" "$SCRATCH/before"
  local before
  before=$(id_in "$SCRATCH/before")
  check "upload before the restart -> 201" test "$(cat "$SCRATCH/before.code")" = 201

  # Down for 6 s, then up again with the same data and port.
  bash "$PG_SCRIPT" restart "$SCRATCH/pg" 6 > "$SCRATCH/restart.log" 2>&1 &
  local restarter=$!
  sleep 2
  local code
  code=$(curl -s -o "$SCRATCH/down.json" -D "$SCRATCH/down.headers" -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings")
  echo "# during the outage: $code $(head -c 200 "$SCRATCH/down.json")"
  check "a read during the outage -> 503" test "$code" = 503
  check "the 503 names the database" grep -q "database is unavailable" "$SCRATCH/down.json"
  check "the 503 says when to retry" grep -qi "^retry-after:" "$SCRATCH/down.headers"
  upload "$SCRATCH/short.wav" "$SCRATCH/during"
  check "an upload during the outage -> 503" test "$(cat "$SCRATCH/during.code")" = 503
  wait "$restarter"
  check "the cluster restarted" test $? = 0

  code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings")
  check "the first request after the restart -> 200 (dead pooled connections replaced)" test "$code" = 200
  for i in 1 2 3 4 5 6; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL/v1/recordings/$before")
    [ "$code" = 200 ] || break
  done
  check "the same hushd keeps serving after the restart" test "$code" = 200
  upload "$SCRATCH/short.wav" "$SCRATCH/after"
  local after
  after=$(id_in "$SCRATCH/after")
  check "upload after the restart -> 201" test "$(cat "$SCRATCH/after.code")" = 201
  local st=
  for _ in $(seq 300); do st=$(status_of "$after"); [ "$st" = completed ] && break; sleep 0.2; done
  check "a job after the restart completes (no hushd restart)" test "$st" = completed
  check "the recording from before the restart is completed" test "$(status_of "$before")" = completed
  check "hushd was never restarted" kill -0 "$PID"
  kill -TERM "$PID"; wait "$PID"
  check "hushd stops cleanly" test $? = 0
}

case $PART in
  kill) part_kill ;;
  disk) part_disk ;;
  pg) part_pg ;;
  *) echo "usage: $0 HUSHD SCRATCH_DIR kill|disk|pg"; exit 2 ;;
esac
finish
