#!/usr/bin/env bash
# One command for every test: install, build the release and ASan+UBSan presets, run all
# ctest tiers in both, the DNSMOS script's tests, and a short libFuzzer run of each parser.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUSH_DATA="${HUSH_DATA:-$(cd .. && pwd)/shared/data}"
FUZZ_SECONDS="${HUSH_FUZZ_SECONDS:-60}"

scripts/setup.sh release asan fuzz

echo "== release: all tests"
ctest --preset release -j "$(nproc)"
echo "== asan+ubsan: all tests"
ctest --preset asan -j "$(nproc)"

echo "== DNSMOS script tests"
node --test bench/

echo "== fuzzing ${FUZZ_SECONDS}s per target"
for target in build/fuzz/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target"); corpus_seed="fuzz/corpus/${name#fuzz_}"
  work=$(mktemp -d)
  cp -r "$corpus_seed"/. "$work"/ 2>/dev/null || true
  "$target" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 "$work" 2>&1 | tail -n 3
  rm -rf "$work"
done
echo "== all tests passed"
