#!/usr/bin/env bash
# Regenerates the PyTorch reference from the shipped model file (train/golden.py, which reads
# the .hnn back, so the exporter is checked too) and holds the C++ engine to it.
# Usage: torch_parity.sh PYTHON GOLDEN_TEST_BINARY WORK_DIR. Exit 77 (skipped) without PyTorch.
set -euo pipefail
python=$1 test_binary=$2 work=$3
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
if ! "$python" -c "import torch, numpy" 2>/dev/null; then
  echo "PyTorch not installed (apt-get install python3-torch): skipped"
  exit 77
fi
rm -rf "$work" && mkdir -p "$work"
(cd "$source_dir/train" && "$python" golden.py "$source_dir/models/hushnet-v3.hnn" "$work/golden")
cmp "$work/golden-in.f32" "$source_dir/tests/data/hushnet-golden-in.f32"
HUSH_GOLDEN_PREFIX="$work/golden" "$test_binary" --gtest_filter=NeuralEngine.MatchesPyTorchTo1e4
