#!/usr/bin/env bash
# Issue 3's independent evaluation: Hush (neural, spectral) against RNNoise 0.1 and 0.2 on speech
# and noise that neither training nor the dev set contains (`hush-bench independent-set`; what
# is in it: apps/hush-bench/independent_set.h). STOI, ESTOI, SI-SDR and DNSMOS by SNR into
# bench/results/independent-*.md/json. PESQ is not scored: no Debian package implements it.
# About 40 minutes on 2 cores (DNSMOS dominates).
#   bench/independent_eval.sh [BUILD_DIR]      # default build/release
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bench="$build/apps/hush-bench"
out=bench/results
set_dir=$build/independent-set
[ -f "$set_dir/manifest.json" ] || "$bench" independent-set --out "$set_dir"
for engine in neural spectral; do
  "$bench" quality --devset "$set_dir" --engine "$engine" --dnsmos-script bench/dnsmos.mjs \
    --markdown "$out/independent-$engine.md" --json "$out/independent-$engine.json"
done
for release in 0.1 0.2; do
  node bench/rnnoise.mjs --devset "$set_dir" --release "$release"
  "$bench" quality --devset "$set_dir" --enhanced "$set_dir/enhanced-rnnoise-$release" --dnsmos-script bench/dnsmos.mjs \
    --markdown "$out/independent-rnnoise-$release.md" --json "$out/independent-rnnoise-$release.json"
done
