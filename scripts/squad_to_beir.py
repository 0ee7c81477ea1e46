"""Turn a SQuAD-format file (SQuAD, KorQuAD: articles > paragraphs > questions) into two BEIR-layout
retrieval sets over the same corpus, with disjoint question samples: ``<out>-a`` to look at while
building, ``<out>-b`` to report on (docs/benchmarks.md).

    .venv/bin/python scripts/squad_to_beir.py KorQuAD_v1.0_dev.json /tmp/kq/ko
    desktop-app eval retrieval --beir /tmp/kq/ko-b
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad_json")
    parser.add_argument("out", help="prefix of the two output folders")
    parser.add_argument("--questions", type=int, default=400, help="per sample")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    paragraphs, questions = [], []
    for article in json.loads(Path(args.squad_json).read_text(encoding="utf-8"))["data"]:
        for index, paragraph in enumerate(article["paragraphs"]):
            paragraph_id = f"{article['title']}-{index}"
            paragraphs.append((paragraph_id, article["title"], paragraph["context"]))
            questions += [(q["id"], q["question"], paragraph_id) for q in paragraph["qas"]
                          if q.get("answers") and not q.get("is_impossible")]
    random.Random(args.seed).shuffle(questions)
    samples = {"a": questions[:args.questions], "b": questions[args.questions:2 * args.questions]}
    for name, sample in samples.items():
        root = Path(f"{args.out}-{name}")
        (root / "qrels").mkdir(parents=True, exist_ok=True)
        with open(root / "corpus.jsonl", "w", encoding="utf-8") as out:
            for paragraph_id, title, text in paragraphs:
                out.write(json.dumps({"_id": paragraph_id, "title": title, "text": text}, ensure_ascii=False) + "\n")
        with open(root / "queries.jsonl", "w", encoding="utf-8") as out:
            for question_id, text, _ in sample:
                out.write(json.dumps({"_id": question_id, "text": text}, ensure_ascii=False) + "\n")
        with open(root / "qrels" / "test.tsv", "w", encoding="utf-8") as out:
            out.write("query-id\tcorpus-id\tscore\n")
            out.writelines(f"{question_id}\t{paragraph_id}\t1\n" for question_id, _, paragraph_id in sample)
        print(f"{root}: {len(paragraphs)} paragraphs, {len(sample)} questions")


if __name__ == "__main__":
    main()
