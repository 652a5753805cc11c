#!/usr/bin/env bash
# ctest's entry to the web UI tests: skips (77) with the reason when something they need is
# missing, else runs node --test on web/tests.   usage: run.sh HUSHD [SCREENSHOT_DIR]
set -uo pipefail
HUSHD=$1
WEB=$(cd "$(dirname "$0")/.." && pwd)
CHROMIUM=${HUSH_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "SKIP: no node"; exit 77; }
[ -x "$CHROMIUM" ] || { echo "SKIP: no Chromium at $CHROMIUM (apt-get install chromium; see scripts/setup.sh)"; exit 77; }
[ -d "$WEB/node_modules/playwright-core" ] || { echo "SKIP: no $WEB/node_modules (run npm ci in web/)"; exit 77; }
command -v espeak-ng >/dev/null || { echo "SKIP: no espeak-ng (the test's speech)"; exit 77; }
export HUSHD_BIN=$HUSHD HUSH_CHROMIUM=$CHROMIUM
[ -n "${2:-}" ] && export HUSH_SCREENSHOT_DIR=${HUSH_SCREENSHOT_DIR:-$2}
cd "$WEB" && exec node --test --test-reporter=spec tests/*.test.mjs
