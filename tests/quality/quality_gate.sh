#!/usr/bin/env bash
# Quality gate: a change that makes the spectral engine worse on the dev set fails here.
# Builds a small deterministic dev set (4 clips per SNR) and requires, at 0..10 dB SNR, the
# SI-SDR gain and STOI change the engine reached when this gate was set (README "Measured").
# These are regression floors, not the product targets; DNSMOS is left to hush-bench (slow).
set -euo pipefail
bench="$1"; work="$2"
data="${HUSH_DATA:-}"
if [ -z "$data" ] || [ ! -d "$data/speech/librispeech-mini" ]; then
  echo "skip: no dev data at '$data'"; exit 77
fi
rm -rf "$work"; mkdir -p "$work"
"$bench" devset --data "$data" --out "$work/devset" --clips-per-snr 4
"$bench" quality --devset "$work/devset" --gate --gate-si-sdr-gain-db 2.5 --gate-stoi-delta -0.002
