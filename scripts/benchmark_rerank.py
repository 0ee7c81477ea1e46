"""The chat model as a reranker: nDCG@10 of hybrid search against hybrid search with its first 10
chunks judged by the model (``core.rerank``), at several shares of the judgement, and the time the
judging takes per question. Each chunk is judged once; the shares are scored from the saved
judgements (``--save``), so a share can be chosen on one set and reported on another.

    .venv/bin/python scripts/benchmark_rerank.py --data-dir D --model qwen2.5-coder-0.5b-instruct \
        --queries 40 /tmp/kq/xen-a /tmp/kq/ko-a [--questions resources/eval/retrieval-ko/questions.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.evaluation.metrics import dedupe, ndcg  # noqa: E402
from desktop_app.core.evaluation.retrieval_eval import (  # noqa: E402
    beir_store_path, hit_key, index_corpus, load_beir, load_library_questions)
from desktop_app.core.rerank import RERANK_DEPTH, blended, judgement  # noqa: E402
from desktop_app.core.retrieval import retrieve  # noqa: E402
from desktop_app.core.store import Store  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402

SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)


def judged_rows(workspace, embedder, model, target: str, count: int) -> list[dict]:
    if target.endswith(".jsonl"):
        store = workspace.open_store(read_only=True)
        queries = load_library_questions(Path(target), store)
    else:
        corpus, queries = load_beir(Path(target))
        store = Store(beir_store_path(workspace.data.root / "eval", Path(target), embedder.info.identity))
        index_corpus(store, embedder, corpus)
    rows = []
    with store:
        for query in queries[:count]:
            with_page = any("#p" in key for key in query.relevant)
            hits = retrieve(store, embedder, query.text, k=30, min_similarity=-1.0)
            started = time.perf_counter()
            judged = [judgement(model, query.text, hit.text) for hit in hits[:RERANK_DEPTH]]
            rows.append({"id": query.id, "query": query.text, "relevant": query.relevant,
                         "hits": [[hit_key(h, with_page=with_page), h.score] for h in hits],
                         "judged": judged, "seconds": time.perf_counter() - started})
            print(f"  {query.id}: {rows[-1]['seconds']:.1f} s", file=sys.stderr, flush=True)
    return rows


def ndcg_with_share(rows: list[dict], share: float | None) -> float:
    """Mean nDCG@10; ``share`` None: hybrid search's own order."""
    total = 0.0
    for row in rows:
        hits = row["hits"]
        if share is not None:
            head = [(blended(score, judged, share), -index, key)
                    for index, ((key, score), judged) in enumerate(zip(hits, row["judged"]))]
            hits = [[key, 0.0] for *_, key in sorted(head, reverse=True)] + hits[len(head):]
        total += ndcg(dedupe([key for key, _ in hits])[:10], row["relevant"], 10)
    return total / max(1, len(rows))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", help="BEIR-layout folders")
    parser.add_argument("--questions", action="append", default=[], help="questions about the data dir's library")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--model", default=None, help="a GGUF file or bundled model key (default: the app's)")
    parser.add_argument("--queries", type=int, default=40, help="first N queries of each set")
    parser.add_argument("--save", type=Path, default=None, help="keep the judgements (JSON lines) here")
    parser.add_argument("--load", type=Path, default=None, help="score saved judgements instead of judging")
    args = parser.parse_args()
    if args.load:
        by_set: dict[str, list[dict]] = {}
        for line in args.load.open(encoding="utf-8"):
            row = json.loads(line)
            by_set.setdefault(row["set"], []).append(row)
    else:
        workspace = Workspace.open(args.data_dir)
        embedder = workspace.make_embedder()
        embedder.load()
        by_set = {}
        with workspace.load_chat_model(args.model) as model:
            print(f"judge: {model.name}, {model.n_threads} threads", flush=True)
            for target in [*args.sets, *args.questions]:
                by_set[target] = judged_rows(workspace, embedder, model, target, args.queries)
        if args.save:
            with args.save.open("w", encoding="utf-8") as out:
                for target, rows in by_set.items():
                    for row in rows:
                        out.write(json.dumps({"set": target, **row}, ensure_ascii=False) + "\n")
    print(f"{'set':<52}{'queries':>8}{'hybrid':>8}" + "".join(f"{f'share {s}':>11}" for s in SHARES)
          + f"{'judging s/q (median)':>22}")
    for target, rows in by_set.items():
        seconds = statistics.median(row["seconds"] for row in rows)
        print(f"{target:<52}{len(rows):>8}{ndcg_with_share(rows, None):>8.4f}"
              + "".join(f"{ndcg_with_share(rows, s):>11.4f}" for s in SHARES) + f"{seconds:>22.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
