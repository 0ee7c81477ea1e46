"""Write a BEIR-layout folder of invented documents and questions, to time the retrieval evaluation.

    .venv/bin/python scripts/make_synthetic_beir.py /tmp/beir-synthetic --docs 3000 --queries 300
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.grounding_data import FACT_TEMPLATES, FILLER_SENTENCES, NamePool, invent_fact  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    names = NamePool(rng, "ba de fi go hu ka le mo nu pa re si to vu wa xe yo zu".split(),
                   "Ada Ben Cleo Dan Eva Finn Gil Hugo Iris Jack Kira Liam".split())
    out = Path(args.out)
    (out / "qrels").mkdir(parents=True, exist_ok=True)
    corpus, queries, qrels = [], [], []
    for index in range(args.docs):
        facts = [invent_fact(rng, names, rng.choice(FACT_TEMPLATES)) for _ in range(rng.randint(2, 5))]
        body = " ".join([f[0] for f in facts] + rng.sample(FILLER_SENTENCES, 2))
        corpus.append({"_id": f"d{index}", "title": f"Record {index}", "text": body})
        if len(queries) < args.queries and rng.random() < args.queries / args.docs * 1.2:
            queries.append({"_id": f"q{len(queries)}", "text": rng.choice(facts)[1]})
            qrels.append((queries[-1]["_id"], f"d{index}"))
    (out / "corpus.jsonl").write_text("\n".join(json.dumps(c) for c in corpus) + "\n", encoding="utf-8")
    (out / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries) + "\n", encoding="utf-8")
    (out / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, d in qrels),
                                           encoding="utf-8")
    print(f"{len(corpus)} documents, {len(queries)} queries in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
