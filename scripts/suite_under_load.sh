#!/usr/bin/env bash
# The whole test suite N times in a row (default 10) with a CPU hog spinning on one core: a widget
# touched off the GUI thread only crashes under load. One line per run in $OUT/summary.txt.
#     bash scripts/suite_under_load.sh [RUNS]
set -u
cd "$(dirname "$0")/.."
runs=${1:-10}
out=${OUT:-$(mktemp -d)}
( while :; do :; done ) & hog=$!
trap 'kill $hog' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
    > "$out/run$i.log" 2>&1
  echo "run $i rc=$? $(( $(date +%s) - start ))s $(tail -1 "$out/run$i.log")" | tee -a "$out/summary.txt"
done
