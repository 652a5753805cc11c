#!/usr/bin/env bash
# `hush demo` — the README's first command — runs on built-in defaults and writes what it promises:
# the default (neural) engine's output and, for comparison, the spectral engine's.
set -euo pipefail
hush="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
"$hush" demo --out-dir "$work/out" > "$work/stdout.txt"
cat "$work/stdout.txt"
for f in clean.wav noisy.wav denoised.wav denoised-spectral.wav spectrogram.png; do
  [ -s "$work/out/$f" ] || { echo "FAIL: demo did not write $f"; exit 1; }
done
cmp -s "$work/out/denoised.wav" "$work/out/denoised-spectral.wav" \
  && { echo "FAIL: denoised.wav (neural) and denoised-spectral.wav are identical"; exit 1; }
for metric in STOI ESTOI SI-SDR "seg. SNR" "RTF" "real-time factor"; do
  grep -q "$metric" "$work/stdout.txt" || { echo "FAIL: demo output lacks $metric"; exit 1; }
done
# The table's columns are "noisy neural spectral".
grep -qE '^ +metric +noisy +neural +spectral$' "$work/stdout.txt" \
  || { echo "FAIL: demo table header is not 'metric noisy neural spectral'"; exit 1; }
# Both denoised files must score better than the noisy one on SI-SDR ("SI-SDR (dB)  noisy  neural  spectral").
# Both must gain at least 1 dB (measured: neural 5.00 -> 7.65, spectral 5.00 -> 8.57; espeak-ng's
# voice is out of domain for the network, so hush-bench quality on real speech judges it).
read -r noisy neural spectral < <(awk '/SI-SDR/ {print $3, $4, $5}' "$work/stdout.txt")
awk -v a="$noisy" -v b="$neural" 'BEGIN { exit !(b > a + 1.0) }' || { echo "FAIL: neural SI-SDR $noisy -> $neural"; exit 1; }
awk -v a="$noisy" -v b="$spectral" 'BEGIN { exit !(b > a + 1.0) }' || { echo "FAIL: spectral SI-SDR $noisy -> $spectral"; exit 1; }
echo "PASS: demo wrote its files; SI-SDR $noisy -> $neural dB (neural), $spectral dB (spectral)"
