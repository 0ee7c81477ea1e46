"""A BEIR-layout folder from a part of a BEIR set's corpus: the queries whose relevant documents
are all in that part, with their qrels (judged-irrelevant documents need not be there).

Public copies of BEIR sets often hold only some of a corpus outside Git LFS (docs/benchmarks.md,
"Three BEIR sets"). For SciFact:

    .venv/bin/python scripts/beir_subset.py OUT --corpus corpus_candidate.jsonl \
        --queries queries.jsonl --qrels qrels/test.tsv

Corpus lines may name their id ``_id`` or ``doc_id``; a line without a title keeps an empty one.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    args = parser.parse_args()

    corpus = {}
    for line in args.corpus.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            doc_id = str(record.get("_id", record.get("doc_id")))
            corpus[doc_id] = {"_id": doc_id, "title": record.get("title") or "", "text": record.get("text", "")}
    relevant: dict[str, dict[str, int]] = {}
    with open(args.qrels, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            fields = [f.strip() for cell in row for f in cell.split()]  # some copies mix spaces and tabs
            if len(fields) < 3 or not fields[-1].lstrip("-").isdigit():
                continue
            relevant.setdefault(fields[0], {})[fields[-2]] = int(fields[-1])
    wanted = {q: [d for d, grade in docs.items() if grade > 0] for q, docs in relevant.items()}
    kept = {q: docs for q, docs in relevant.items() if wanted[q] and all(d in corpus for d in wanted[q])}
    texts = {}
    for line in args.queries.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts[str(record["_id"])] = record["text"]
    kept = {q: docs for q, docs in kept.items() if q in texts}

    (args.out / "qrels").mkdir(parents=True, exist_ok=True)
    with open(args.out / "corpus.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in corpus.values())
    with open(args.out / "queries.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"_id": q, "text": texts[q]}, ensure_ascii=False) + "\n" for q in kept)
    with open(args.out / "qrels" / "test.tsv", "w", encoding="utf-8") as handle:
        handle.write("query-id\tcorpus-id\tscore\n")
        handle.writelines(f"{q}\t{d}\t{grade}\n" for q, docs in kept.items() for d, grade in docs.items())
    print(f"{len(corpus)} documents, {len(kept)} of {len(relevant)} queries kept -> {args.out}")


if __name__ == "__main__":
    main()
