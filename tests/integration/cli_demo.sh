#!/usr/bin/env bash
# `hush demo` — the README's first command — runs on built-in defaults and writes what it promises.
set -euo pipefail
hush="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
"$hush" demo --out-dir "$work/out" > "$work/stdout.txt"
cat "$work/stdout.txt"
for f in clean.wav noisy.wav denoised.wav spectrogram.png; do
  [ -s "$work/out/$f" ] || { echo "FAIL: demo did not write $f"; exit 1; }
done
for metric in STOI ESTOI SI-SDR "real-time factor"; do
  grep -q "$metric" "$work/stdout.txt" || { echo "FAIL: demo output lacks $metric"; exit 1; }
done
# The denoised file must score better than the noisy one on SI-SDR (the line is "SI-SDR (dB)  noisy  denoised").
read -r noisy denoised < <(awk '/SI-SDR/ {print $3, $4}' "$work/stdout.txt")
awk -v a="$noisy" -v b="$denoised" 'BEGIN { exit !(b > a + 1.0) }' || { echo "FAIL: SI-SDR $noisy -> $denoised"; exit 1; }
echo "PASS: demo wrote its files; SI-SDR $noisy -> $denoised dB"
