#!/usr/bin/env bash
# The README's live-stream load table: a throwaway hushd (fresh data directory, its first admin's
# API key) on a free loopback port, then `hush-bench listen` streaming one LibriSpeech utterance
# from N clients at real time, staggered, with hushd's CPU measured. Each count takes about
# 25 s (the utterance 3 times with 1 s pauses).
#   bench/live_load.sh [--build DIR] [--query Q] [--markdown FILE] [--streams 1,4,8,...]
#   e.g. bench/live_load.sh --query denoise=spectral --streams 12,16,18
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
query=""
markdown=""
streams=1,4,8,10,12,14,16,18,20
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --query) query=$2; shift 2 ;;
    --markdown) markdown=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    *) echo "live_load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
audio=${HUSH_DATA:-../shared/data}/speech/librispeech-mini/6272/70171/6272-70171-0021.flac
[ -f "$audio" ] || { echo "live_load.sh: $audio not found (set HUSH_DATA)" >&2; exit 1; }

scratch=$(mktemp -d)
export HUSHD_DATA=$scratch/data
out=$(echo "a long enough password" | "$build/apps/hushd" admin create --email load@example.com --name Load)
key=$(awk '/^api key/{print $3}' <<< "$out")
"$build/apps/hushd" --listen 127.0.0.1:0 > "$scratch/hushd.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 100); do grep -q "serving on" "$scratch/hushd.log" && break; sleep 0.1; done
port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$scratch/hushd.log")
[ -n "$port" ] || { cat "$scratch/hushd.log" >&2; exit 1; }

args=(--audio "$audio" --port "$port" --key "$key" --streams "$streams" --repeat 3 --server-pid "$pid" --quiet)
[ -n "$query" ] && args+=(--query "$query")
[ -n "$markdown" ] && args+=(--markdown "$markdown")
"$build/apps/hush-bench" listen "${args[@]}"
