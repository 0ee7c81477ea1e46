#!/usr/bin/env bash
# The end-to-end answer evaluation of docs/benchmarks.md: the dev set (resources/eval/qa-dev) and the
# held-out sets (resources/eval/qa-holdout, qa-unseen, qa-unseen-b, qa-unseen-c, qa-unseen-d, qa-unseen-e, qa-unseen-f, qa-unseen-g, qa-unseen-h, qa-unseen-i, qa-unseen-j, qa-unseen-k ... qa-unseen-t), each through Qwen 0.5B without and with its adapter and
# through Qwen 1.5B. Tables on stdout and in $OUT/*.txt, every answer in $OUT/*.jsonl.
#     bash scripts/eval_qa_all.sh            (about 285 minutes on 2 cores; run it on an idle machine)
# After a change to the checks that review a finished draft, see what it changes in every saved answer first:
#     .venv/bin/python scripts/review_drafts_again.py $OUT/*.jsonl --data-dir $DATA
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA:-$(mktemp -d)}
out=${OUT:-$data/results}
mkdir -p "$out"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
for set in qa-dev qa-holdout qa-unseen qa-unseen-b qa-unseen-c qa-unseen-d qa-unseen-e qa-unseen-f qa-unseen-g qa-unseen-h qa-unseen-i qa-unseen-j qa-unseen-k qa-unseen-l qa-unseen-m qa-unseen-n qa-unseen-o qa-unseen-p qa-unseen-q qa-unseen-r qa-unseen-s qa-unseen-t; do
  for model in qwen2.5-coder-0.5b-instruct qwen2.5-coder-1.5b-instruct; do
    echo "== $set, $model"
    .venv/bin/desktop-app --data-dir "$data" eval qa "resources/eval/$set" --model "$model" \
      --details "$out/$set-$model.jsonl" | tee "$out/$set-$model.txt"
  done
done
