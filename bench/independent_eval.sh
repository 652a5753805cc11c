#!/usr/bin/env bash
# Issue 3's independent evaluation: Hush (neural, spectral) against RNNoise 0.1 and 0.2 on speech
# and noise that neither training nor the dev set contains (`hush-bench independent-set`; what
# is in it: apps/hush-bench/independent_set.h). STOI, ESTOI, SI-SDR and DNSMOS by SNR into
# bench/results/independent-*.md/json. PESQ is not scored: no Debian package implements it.
# About 40 minutes on 2 cores (DNSMOS dominates). The scoring itself is bench/score_engines.sh.
#   bench/independent_eval.sh [BUILD_DIR]      # default build/release
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bench="$build/apps/hush-bench"
set_dir=$build/independent-set
[ -f "$set_dir/manifest.json" ] || "$bench" independent-set --out "$set_dir"
bench/score_engines.sh "$build" "$set_dir" independent
