#!/usr/bin/env bash
# Measures both noise engines the way the README reports them and writes bench/results/*.md:
# dev-set quality (with DNSMOS) at 16 kHz, RNNoise 0.1 and 0.2 on the same clips, the neural engine
# natively at 8 and 48 kHz, speed, and the 48 kHz full-band pair. About 35 minutes on 2 cores
# (DNSMOS dominates).
#   bench/noise_engines.sh [BUILD_DIR]      # default build/release
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bench="$build/apps/hush-bench"
out=bench/results
devset=$build/devset
[ -f "$devset/manifest.json" ] || "$bench" devset --out "$devset"
bench/score_engines.sh "$build" "$devset" quality
for rate in 8000 48000; do
  for engine in neural spectral; do
    "$bench" quality --devset "$devset" --engine "$engine" --rate "$rate" --markdown "$out/quality-$engine-$rate.md"
  done
done
for engine in neural spectral; do
  "$bench" speed --engine "$engine" --seconds 30 --markdown "$out/speed-$engine.md"
done
/usr/bin/python3 bench/fullband_pair.py "$build/apps/hush" | tee "$out/fullband-pair.md"
