#!/usr/bin/env bash
# Installs what Hush needs on Debian 12 (only what is missing), then configures and builds
# the given CMake presets (default: release).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  cmake ninja-build g++ clang libclang-rt-14-dev pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libsndfile1-dev libopusfile-dev libopusenc-dev libsoxr-dev libkissfft-dev libpng-dev
  libcli11-dev nlohmann-json3-dev zlib1g-dev
  libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us  # speech recognition (src/asr)
  libsqlite3-dev libsodium-dev libpulse-dev pulseaudio-utils  # meeting library, encryption, recording
  libwebrtc-audio-processing-dev libspeexdsp-dev  # echo cancellation and AGC (src/enhance)
  ladspa-sdk  # the LADSPA plugin (plugins/ladspa) and applyplugin, a host its tests run it in
  pipewire pipewire-bin  # hush live: filter-chain config tested in a private headless daemon (not
                         # pipewire-audio-client-libraries: it conflicts with pulseaudio)
  pulseaudio  # a private headless daemon with null sinks for tests/integration/cli_record.sh
  libboost-dev libssl-dev openssl libpq-dev libzip-dev  # hushd: Beast/Asio, TLS, PostgreSQL, export ZIP
  postgresql curl  # hushd tests: a private PostgreSQL cluster (scripts/pg_test_server.sh), curl as a client
  espeak-ng libespeak-ng-dev
  sox opus-tools
  python3-torch python3-numpy python3-soundfile  # PyTorch-vs-C++ parity test, bench scripts
  chromium  # hushd's web UI test (web/tests): headless Chromium driven by npm playwright-core,
            # which never downloads a browser of its own
)
# train/train.sh adds the training-only packages (SciPy, soundfile, OpenBLAS) through this.
read -r -a extra <<< "${HUSH_EXTRA_PACKAGES:-}"
PACKAGES+=("${extra[@]}")
# Node.js may come from outside Debian (with its own npm); only add Debian's when absent.
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# DNSMOS scorer for hush-bench (npm onnxruntime-node, CPU only).
if [ ! -d bench/node_modules/onnxruntime-node ]; then
  (cd bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error) || echo "setup: npm install failed; DNSMOS will be skipped"
fi

# The web UI test's browser driver (npm playwright-core; the browser is Debian's chromium).
if [ ! -d web/node_modules/playwright-core ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error) || echo "setup: npm install failed; the web UI test will be skipped"
fi

presets=("$@")
[ ${#presets[@]} -eq 0 ] && presets=(release)
for preset in "${presets[@]}"; do
  cmake --preset "$preset" > /dev/null
  cmake --build --preset "$preset" -j "$(nproc)"
done
