#!/usr/bin/env bash
# The app as a user installs it: `pip install .` (a wheel, not editable) into a fresh venv, run from
# outside the source tree. It must find the shipped adapter and the icons, and answer with the adapter.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
pip="$work/venv/bin/python -m pip"
$pip install --quiet --upgrade pip
$pip install --quiet torch==2.13.0 ${TORCH_INDEX:-}
$pip install --quiet --find-links "$root/.wheels" "$root"
cd "$work"
app="$work/venv/bin/desktop-app --data-dir $work/data"
"$work/venv/bin/python" - <<'PY'
from desktop_app.core.paths import bundled_adapters_dir, icons_dir
for folder, wanted in ((bundled_adapters_dir(), "grounded-citations.gguf"), (icons_dir(), "desktop-app.svg")):
    assert "site-packages" in str(folder) and (folder / wanted).is_file(), (folder, wanted)
print("installed package data:", bundled_adapters_dir(), icons_dir())
PY
mkdir docs
printf 'Plant history\n\nThe Quenford desalination plant was commissioned in 1987 by the engineer Maris Okonkwo.\n' \
  > docs/quenford.md
$app adapters list | grep -q '^grounded-citations' || { echo "the shipped adapter is not listed"; exit 1; }
$app ingest docs >/dev/null
# the shipped adapter fits Qwen 0.5B (the default model is the 1.5B)
$app ask "Who commissioned the Quenford desalination plant?" --model qwen2.5-coder-0.5b-instruct \
  --adapter grounded-citations --json --no-save > answer.json
"$work/venv/bin/python" - <<'PY'
import json
answer = json.load(open("answer.json"))
assert answer["adapters"] and answer["adapters"][0][0] == "grounded-citations.gguf", answer
assert "Okonkwo" in answer["answer"] and 1 in answer["cited"], answer
print("wheel install: `desktop-app ask --model qwen2.5-coder-0.5b-instruct --adapter grounded-citations` answered:",
      answer["answer"])
PY
