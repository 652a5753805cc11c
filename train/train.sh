#!/usr/bin/env bash
# Reproduces the shipped neural model from scratch on a Debian 12 machine (CPU only):
#   train/train.sh            # about 130 minutes of training on 2 cores (see train/README.md)
# Steps: install packages; train the gains-only network (phase 1), then fine-tune it with the
# deep filter on the low bins at strengths of 10-50 dB (phase 2) -- both resumable:
# rerun the same command after an interruption; export models/hushnet-v2.hnn + manifest,
# regenerate the PyTorch references the C++ tests use, and rebuild.
# Environment: HUSH_DATA (default ../shared/data), RUN_DIR (phase 1; phase 2 uses RUN_DIR-df),
# STEPS (phase 1, default 5500), DF_STEPS (phase 2, default 4000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
HUSH_EXTRA_PACKAGES="python3-scipy python3-soundfile libopenblas0-openmp" scripts/setup.sh release

run_dir=${RUN_DIR:-$root/train/runs/hushnet-v2-gains}
python=/usr/bin/python3  # Debian's, where python3-torch lives
"$python" train/train.py --run-dir "$run_dir" --df-bins 0 --steps "${STEPS:-5500}" "$@"
"$python" train/train.py --run-dir "$run_dir-df" --init-from "$run_dir/best.pt" --strength-db 25 \
  --strength-range-db 10 50 --lr 3e-4 --warmup 100 --steps "${DF_STEPS:-4000}" "$@"
"$python" train/export.py "$run_dir-df/best.pt" models/hushnet-v2.hnn
(cd train && "$python" golden.py ../models/hushnet-v2.hnn ../tests/data/hushnet-golden)
(cd train && "$python" tiny_model.py ../tests/data &&
  "$python" golden.py ../tests/data/hushnet-tiny-df.hnn ../tests/data/hushnet-tiny-df-golden --output-only)
cmake --build --preset release
echo "train.sh: models/hushnet-v2.hnn written; measure it with:"
echo "  build/release/apps/hush-bench devset && build/release/apps/hush-bench quality --engine neural"
