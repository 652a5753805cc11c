#!/usr/bin/env bash
# A private, throwaway PostgreSQL 15 cluster for tests (the postgres cases of
# tests/unit/test_sql_connection.cpp and hushd's store tests).
#
#   scripts/pg_test_server.sh start DIR   initdb in DIR, start it, create database hush_test;
#                                         prints postgresql://postgres@127.0.0.1:PORT/hush_test
#                                         and writes it to DIR/url
#   scripts/pg_test_server.sh stop DIR    stops it and deletes its data (DIR/url goes too)
#   scripts/pg_test_server.sh restart DIR [DOWN_S]
#                                         stops the running cluster (fast shutdown: clients are
#                                         disconnected), keeps it down DOWN_S seconds (default 0),
#                                         starts it again with the same data, port and url
#
# The cluster listens on 127.0.0.1 at a free port and on a unix socket of its own, with trust
# authentication, fsync off (throwaway data): it never touches a system cluster (e.g. Debian's
# on 5432). initdb refuses to run as root, so as root the cluster runs as the `postgres` system
# user. Exit 77 when the PostgreSQL 15 server binaries are not installed (ctest: skipped).
# PG_BIN overrides the binary folder (default /usr/lib/postgresql/15/bin).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR | restart DIR [DOWN_S]" >&2; exit 2; }
[[ $# -eq 2 || ( $# -eq 3 && $1 == restart ) ]] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner=()
owner=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
  owner=postgres
  as_owner=(runuser -u postgres --)
fi
run() { "${as_owner[@]}" "$@"; }

# Where the cluster lives: DIR/pg, unless the postgres user cannot reach DIR (a parent only root
# may enter) or the socket path would pass the unix limit of 107 bytes; then a fresh folder in
# /tmp, remembered in DIR/pgdata so `stop` finds it.
stop_cluster() {
  [[ -f $dir/pgdata ]] || return 0
  local home
  home=$(cat "$dir/pgdata")
  if [[ -f $home/data/postmaster.pid ]]; then
    run "$bin/pg_ctl" -D "$home/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$home" "$dir/pgdata" "$dir/url"
}

case $cmd in
  stop)
    stop_cluster
    exit 0 ;;
  restart)
    [[ -f $dir/pgdata ]] || { echo "pg_test_server: no cluster in $dir to restart" >&2; exit 1; }
    home=$(cat "$dir/pgdata")
    run "$bin/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null
    sleep "${3:-0}"
    run "$bin/pg_ctl" -D "$home/data" -l "$home/postgres.log" -w -t 60 start >/dev/null
    exit 0 ;;
  start) ;;
  *) usage ;;
esac

if [[ ! -x $bin/initdb || ! -x $bin/pg_ctl ]]; then
  echo "pg_test_server: no PostgreSQL 15 server in $bin (apt-get install postgresql-15); skipping" >&2
  exit 77
fi
if [[ ${#as_owner[@]} -gt 0 ]] && ! id postgres >/dev/null 2>&1; then
  echo "pg_test_server: running as root but there is no 'postgres' user to run the cluster as" >&2
  exit 1
fi

stop_cluster  # a leftover from an earlier run: start from scratch

home=$dir/pg
if [[ ${#home} -gt 80 ]] || ! (chown "$owner" "$dir" 2>/dev/null || true; run test -w "$dir" -a -x "$dir"); then
  home=$(mktemp -d /tmp/hush-pg.XXXXXX)
else
  mkdir -p "$home"
fi
chown "$owner" "$home" 2>/dev/null || true
chmod 700 "$home"
echo "$home" >"$dir/pgdata"

log=$home/postgres.log
if ! run "$bin/initdb" -D "$home/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >"$home/initdb.log" 2>&1; then
  echo "pg_test_server: initdb failed:" >&2
  cat "$home/initdb.log" >&2
  exit 1
fi

# A free port: probe with bash's /dev/tcp, and retry if another process takes it first.
started=
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  cat >"$home/data/postgresql.auto.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$home'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
CONF
  chown "$owner" "$home/data/postgresql.auto.conf"
  if run "$bin/pg_ctl" -D "$home/data" -l "$log" -w -t 60 start >/dev/null 2>&1; then
    started=1
    break
  fi
  grep -q "could not bind\|Address already in use" "$log" 2>/dev/null || break
done
if [[ -z $started ]]; then
  echo "pg_test_server: the server did not start; its log:" >&2
  cat "$log" >&2 || true
  exit 1
fi

if ! "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE hush_test" >&2; then
  echo "pg_test_server: cannot create database hush_test" >&2
  exit 1
fi

url="postgresql://postgres@127.0.0.1:$port/hush_test"
echo "$url" >"$dir/url"
echo "$url"
