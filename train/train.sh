#!/usr/bin/env bash
# Reproduces the shipped neural model from scratch on a Debian 12 machine (CPU only):
#   train/train.sh            # about 80 minutes of training on 2 cores (see train/README.md)
# Steps: install packages, train (resumable: rerun the same command after an interruption),
# export models/hushnet-v1.hnn + manifest, regenerate the PyTorch reference the C++ test uses,
# and rebuild. Environment: HUSH_DATA (default ../shared/data), RUN_DIR, STEPS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
HUSH_EXTRA_PACKAGES="python3-scipy python3-soundfile libopenblas0-openmp" scripts/setup.sh release

run_dir=${RUN_DIR:-$root/train/runs/hushnet-v1}
python=/usr/bin/python3  # Debian's, where python3-torch lives
"$python" train/train.py --run-dir "$run_dir" --steps "${STEPS:-5500}" "$@"
"$python" train/export.py "$run_dir/best.pt" models/hushnet-v1.hnn
(cd train && "$python" golden.py ../models/hushnet-v1.hnn ../tests/data/hushnet-golden)
cmake --build --preset release
echo "train.sh: models/hushnet-v1.hnn written; measure it with:"
echo "  build/release/apps/hush-bench devset && build/release/apps/hush-bench quality --engine neural"
