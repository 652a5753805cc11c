#!/usr/bin/env bash
# Quality gate: a change that makes an engine worse on the dev set fails here.
# Builds a small deterministic dev set (4 clips per SNR) and requires, at 0..10 dB SNR, the
# SI-SDR gain and STOI change the engine reached when this gate was set (README "Measured").
# These are regression floors, not the product targets; DNSMOS is left to hush-bench (slow).
# Usage: quality_gate.sh HUSH_BENCH WORK_DIR ENGINE MIN_SI_SDR_GAIN_DB MIN_STOI_DELTA
set -euo pipefail
bench="$1"; work="$2"; engine="$3"; min_si_sdr_gain_db="$4"; min_stoi_delta="$5"
data="${HUSH_DATA:-}"
if [ -z "$data" ] || [ ! -d "$data/speech/librispeech-mini" ]; then
  echo "skip: no dev data at '$data'"; exit 77
fi
rm -rf "$work"; mkdir -p "$work"
"$bench" devset --data "$data" --out "$work/devset" --clips-per-snr 4
"$bench" quality --devset "$work/devset" --engine "$engine" --gate \
  --gate-si-sdr-gain-db "$min_si_sdr_gain_db" --gate-stoi-delta "$min_stoi_delta"
