#!/usr/bin/env bash
# One command for a newcomer: install, build, and run the demo (synthetic speech + noise ->
# denoised WAVs, before/after quality and speed, spectrogram PNG in ./hush-demo/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh release
./build/release/apps/hush demo --out-dir hush-demo "$@"
