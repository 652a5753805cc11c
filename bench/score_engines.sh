#!/usr/bin/env bash
# Scores Hush's engines (neural, spectral) and RNNoise 0.1/0.2 on one evaluation set with
# STOI, ESTOI, SI-SDR and DNSMOS: bench/results/PREFIX-{neural,spectral,rnnoise-R}.{md,json}.
# Used by noise_engines.sh (the dev set) and independent_eval.sh (the independent set).
#   bench/score_engines.sh BUILD_DIR SET_DIR PREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
bench="$1/apps/hush-bench"
set_dir=$2
out=bench/results/$3
for engine in neural spectral; do
  "$bench" quality --devset "$set_dir" --engine "$engine" --dnsmos-script bench/dnsmos.mjs \
    --markdown "$out-$engine.md" --json "$out-$engine.json"
done
# RNNoise (WebAssembly from npm) on the same clips, scored the same way.
for release in 0.1 0.2; do
  node bench/rnnoise.mjs --devset "$set_dir" --release "$release"
  "$bench" quality --devset "$set_dir" --enhanced "$set_dir/enhanced-rnnoise-$release" --dnsmos-script bench/dnsmos.mjs \
    --markdown "$out-rnnoise-$release.md" --json "$out-rnnoise-$release.json"
done
