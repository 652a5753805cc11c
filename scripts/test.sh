#!/usr/bin/env bash
# One command for every test: install, build the release and ASan+UBSan presets, run all
# ctest tiers in both, the DNSMOS script's tests, and a short libFuzzer run of each parser.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUSH_DATA="${HUSH_DATA:-$(cd .. && pwd)/shared/data}"
# Seconds per fuzz target: the two original parsers (audio, model files) get the most; the
# meeting-assistant and server parsers are smaller and get less: 2 x 60 + 10 x 25 = 370 s in all.
FUZZ_SECONDS="${HUSH_FUZZ_SECONDS:-60}"
FUZZ_SECONDS_SMALL="${HUSH_FUZZ_SECONDS_SMALL:-25}"

# The asan and fuzz presets keep line tables only (-g1, CMakePresets.json): sanitizer reports
# still name file and line, and one test file compiled 22 % faster into half the object size.
scripts/setup.sh release asan fuzz

echo "== release: all tests"
ctest --preset release -j "$(nproc)"
echo "== asan+ubsan: all tests"
ctest --preset asan -j "$(nproc)"

echo "== DNSMOS script tests"
node --test bench/

echo "== fuzzing: ${FUZZ_SECONDS}s for audio_reader and model_file, ${FUZZ_SECONDS_SMALL}s for the others"
# UBSan in the fuzz build only reports by default; a finding must fail the stage.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
for target in build/fuzz/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=$(basename "$target"); corpus_seed="fuzz/corpus/${name#fuzz_}"
  case "$name" in
    fuzz_audio_reader | fuzz_model_file) seconds="$FUZZ_SECONDS" ;;
    *) seconds="$FUZZ_SECONDS_SMALL" ;;
  esac
  work=$(mktemp -d)
  cp -r "$corpus_seed"/. "$work"/ 2>/dev/null || true
  echo "-- $name (${seconds}s)"
  # A finding writes ./crash-* (or leak-*, timeout-*) into the repository root, to keep as a
  # regression input in the corpus once fixed.
  if ! "$target" -max_total_time="$seconds" -print_final_stats=1 "$work" > "$work.log" 2>&1; then
    grep -v -e '^#[0-9]' -e '^INFO:' "$work.log" | tail -n 60
    echo "== fuzzing $name FAILED (full log: $work.log)"
    exit 1
  fi
  grep -E -e '^#[0-9]+[[:space:]]+DONE' -e '^stat::number_of_executed_units' "$work.log" || true
  rm -rf "$work" "$work.log"
done
echo "== all tests passed"
