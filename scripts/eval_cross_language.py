"""Where an answer's search finds the right document, by the question alone and with its translation.

For every question of the QA sets (``resources/eval/qa-*``): is the expected document among the five
sources, and first, with ``retrieve`` (the question as written) and with
``retrieve_across_languages`` (the app's answer search: the chat model translates the question
where no passage in its language holds half of its words)? Split by cross-language, same-language
and unanswerable questions; with how often, and how long, the question was translated.

    .venv/bin/python scripts/eval_cross_language.py --data-dir D [--sets qa-dev qa-unseen-m ...]

The import of each set is the one ``desktop-app --data-dir D eval qa`` made (made here if missing).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter, defaultdict
from pathlib import Path

from desktop_app.core.evaluation import qa_eval
from desktop_app.core.retrieval import retrieve, retrieve_across_languages
from desktop_app.core.store import Store
from desktop_app.core.translation import translate_question
from desktop_app.core.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--sets", nargs="*", help="set folder names (default: every qa-* set)")
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    workspace = Workspace.open(args.data_dir)
    embedder = workspace.make_embedder()
    model = workspace.load_chat_model()
    folders = [ROOT / "resources" / "eval" / name for name in args.sets] if args.sets else \
        sorted((ROOT / "resources" / "eval").glob("qa-*"))
    counts: dict[str, Counter] = defaultdict(Counter)
    seconds: list[float] = []

    def translate(text: str, language: str) -> str | None:
        started = time.perf_counter()
        translation = translate_question(model, text, language)
        seconds.append(time.perf_counter() - started)
        return translation

    for folder in folders:
        docs, questions = qa_eval.load_qa_set(folder)
        path = qa_eval.qa_store_path(workspace.data.root / "eval", folder, embedder.info.identity)
        with Store(path) as store:
            qa_eval.import_documents(store, embedder, docs, chunk_tokens=workspace.settings.chunk_tokens,
                                     chunk_overlap=workspace.settings.chunk_overlap)
            for question in questions:
                kind = ("cross-language" if question.kind.startswith("cross") else
                        "same-language" if question.answerable else "unanswerable")
                alone = [Path(hit.doc_path).name for hit in retrieve(store, embedder, question.question, k=args.k)]
                hits, translation = retrieve_across_languages(store, embedder, question.question, translate, k=args.k)
                both = [Path(hit.doc_path).name for hit in hits]
                row = counts[kind]
                row["questions"] += 1
                row["translated"] += translation is not None
                if question.answerable:
                    row["alone: in 5"] += question.doc in alone
                    row["alone: first"] += bool(alone) and alone[0] == question.doc
                    row["with translation: in 5"] += question.doc in both
                    row["with translation: first"] += bool(both) and both[0] == question.doc
        print(f"{folder.name} done", flush=True)
    for kind, row in counts.items():
        print(f"{kind}: {row['questions']} questions, " + ", ".join(
            f"{name} {value}" for name, value in row.items() if name != "questions"))
    if seconds:
        print(f"translations asked: {len(seconds)}, {sum(seconds) / len(seconds):.2f} s each on average")


if __name__ == "__main__":
    main()
