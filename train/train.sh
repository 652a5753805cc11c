#!/usr/bin/env bash
# Reproduces the shipped neural model from scratch on a Debian 12 machine (CPU only):
#   train/train.sh            # about 6 hours of training on 2 cores (see train/README.md)
# Steps: install packages; train the gains-only network (phase 1), fine-tune it with the deep
# filter on the low bins at strengths of 10-50 dB (phase 2, HushNet v2), widen it to 256 GRU
# units with a 64-unit filter layer (phases 3 and 4), weigh SI-SDR more (phases 5 and 6), widen the
# deep filter to the 96 lowest bins (phase 7) and train on phrases between silences (phase 8) -- all
# resumable: rerun the same command after an interruption. Then export models/hushnet-v3.hnn +
# manifest with the engine's gain release (0.8 per hop) and its DC bin held at the floor,
# regenerate the PyTorch references the C++ tests use, and rebuild.
# Environment: HUSH_DATA (default ../shared/data), RUN_DIR (phase 1; later phases use RUN_DIR-df,
# RUN_DIR-v3b, -v3c, -v3e, -v3j, -v3k, -v3n), STEPS (phase 1, default 5500), DF_STEPS (phase 2, default 4000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
HUSH_EXTRA_PACKAGES="python3-scipy python3-soundfile libopenblas0-openmp" scripts/setup.sh release

run_dir=${RUN_DIR:-$root/train/runs/hushnet-v2-gains}
python=/usr/bin/python3  # Debian's, where python3-torch lives
train() { "$python" train/train.py --strength-db 25 --strength-range-db 10 50 "$@"; }
"$python" train/train.py --run-dir "$run_dir" --df-bins 0 --steps "${STEPS:-5500}" "$@"
train --run-dir "$run_dir-df" --init-from "$run_dir/best.pt" --lr 3e-4 --warmup 100 --steps "${DF_STEPS:-4000}" "$@"
# v3 starts from v2 as shipped (half weights), widened: the new units start at zero influence.
"$python" train/export.py "$run_dir-df/best.pt" "$run_dir-df/hushnet-v2.hnn" --half
v3=(--hidden 256 --df-hidden 64)
train --run-dir "$run_dir-v3b" --init-from "$run_dir-df/hushnet-v2.hnn" "${v3[@]}" --lr 3e-4 --warmup 100 --steps 1700 "$@"
train --run-dir "$run_dir-v3c" --init-from "$run_dir-v3b/last.pt" "${v3[@]}" --lr 2e-4 --warmup 50 --steps 2600 "$@"
train --run-dir "$run_dir-v3e" --init-from "$run_dir-v3c/best.pt" "${v3[@]}" --lr 1.5e-4 --warmup 50 --steps 3000 \
  --sisdr-weight 0.03 --seed 2027 "$@"
# v3.1 (shipped at stop 19): v3e as exported (half weights), SI-SDR weighed more, trained through the release.
"$python" train/export.py "$run_dir-v3e/best.pt" "$run_dir-v3e/hushnet-v3e.hnn" --half
train --run-dir "$run_dir-v3j" --init-from "$run_dir-v3e/hushnet-v3e.hnn" "${v3[@]}" --lr 2e-4 --warmup 50 --steps 2500 \
  --sisdr-weight 0.1 --gain-release 0.8 --seed 2031 "$@"
"$python" train/export.py "$run_dir-v3j/best.pt" "$run_dir-v3j/hushnet-v3.1.hnn" --half --gain-release 0.8 --floor-bins 1 \
  --name hushnet-v3.1
# v3.2 (shipped): v3.1 as exported with its deep filter widened from 48 to 96 bins (the new filter
# outputs start at zero), then trained with 40% of examples as phrases between silences.
v3_1=(--sisdr-weight 0.1 --gain-release 0.8 --df-bins 96)
train --run-dir "$run_dir-v3k" --init-from "$run_dir-v3j/hushnet-v3.1.hnn" "${v3[@]}" "${v3_1[@]}" --lr 2e-4 --warmup 50 \
  --steps 3000 --seed 2033 "$@"
train --run-dir "$run_dir-v3n" --init-from "$run_dir-v3k/best.pt" "${v3[@]}" "${v3_1[@]}" --lr 1.5e-4 --warmup 50 \
  --steps 2500 --pauses 0.4 --seed 2037 "$@"
"$python" train/export.py "$run_dir-v3n/last.pt" models/hushnet-v3.hnn --half --gain-release 0.8 --floor-bins 1 \
  --name hushnet-v3.2
(cd train && "$python" golden.py ../models/hushnet-v3.hnn ../tests/data/hushnet-golden)
(cd train && "$python" tiny_model.py ../tests/data &&
  "$python" golden.py ../tests/data/hushnet-tiny-df.hnn ../tests/data/hushnet-tiny-df-golden --output-only)
cmake --build --preset release
echo "train.sh: models/hushnet-v3.hnn written; measure it with:"
echo "  build/release/apps/hush-bench devset && build/release/apps/hush-bench quality --engine neural"
