#!/usr/bin/env bash
# `hush-bench quality --enhanced DIR` scores another denoiser's files (bench/rnnoise.mjs writes
# RNNoise's). Scoring the noisy clips themselves must read every clip by its id and change
# nothing: each row's SI-SDR gain is +0.00 dB. A missing file and a --rate are clear errors.
# Usage: quality_external.sh HUSH_BENCH WORK_DIR
set -euo pipefail
bench="$1"; work="$2"
data="${HUSH_DATA:-}"
if [ -z "$data" ] || [ ! -d "$data/speech/librispeech-mini" ]; then
  echo "skip: no dev data at '$data'"; exit 77
fi
rm -rf "$work"; mkdir -p "$work"
"$bench" devset --data "$data" --out "$work/devset" --clips-per-snr 2 > /dev/null
"$bench" quality --devset "$work/devset" --enhanced "$work/devset/noisy" --markdown "$work/table.md" > /dev/null
cat "$work/table.md"
rows=$(grep -c '^| ' "$work/table.md")
unchanged=$(grep -c '(+0.00)' "$work/table.md")
[ "$rows" -eq 9 ] && [ "$unchanged" -eq 8 ] || { echo "FAIL: $unchanged of 8 rows unchanged"; exit 1; }

cp -r "$work/devset/noisy" "$work/partial"
rm "$work/partial/snr+10_001.wav"
if "$bench" quality --devset "$work/devset" --enhanced "$work/partial" > "$work/missing.log" 2>&1; then
  echo "FAIL: a missing file was scored"; exit 1
fi
grep -q "snr+10_001" "$work/missing.log" || { cat "$work/missing.log"; echo "FAIL: error does not name the clip"; exit 1; }
if "$bench" quality --devset "$work/devset" --enhanced "$work/devset/noisy" --rate 8000 > "$work/rate.log" 2>&1; then
  echo "FAIL: --rate accepted with --enhanced"; exit 1
fi
grep -q "do not apply" "$work/rate.log" || { cat "$work/rate.log"; exit 1; }
echo "ok"
