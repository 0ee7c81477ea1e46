"""RAG benchmarks (run by hand; prints tables):

1. import throughput in chunks/s, against plain sentence-transformers ``encode`` of the same chunks,
   and one large text file imported whole against streamed section by section;
2. search latency p50/p95 (hybrid, vector, keyword) at 10k and 100k chunks;
3. ``ask``: time to first token and tokens/s, against plain llama-cpp-python on the same prompt.

    .venv/bin/python scripts/benchmark_rag.py [--sizes 10000 100000] [--runs 3]
    .venv/bin/python scripts/benchmark_rag.py --embedders        # import speed of each bundled embedder,
                                                                 # English and Korean files, side by side
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core import extract as extract_module  # noqa: E402
from desktop_app.core.extract import extract  # noqa: E402
from desktop_app.core.ingest import Importer  # noqa: E402
from desktop_app.core.retrieval import Mode, retrieve  # noqa: E402
from desktop_app.core.store import NewChunk, Store  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402
from desktop_app.core.grounding_data import FACT_TEMPLATES, FILLER_SENTENCES, NamePool, invent_fact  # noqa: E402

WORDS = ("river turbine orchard ledger copper signal harbour meadow lantern quartz valley plant engineer "
         "report bridge reservoir library festival mine copper harvest energy grid station pilot").split()


def percentile(values, q):
    return float(np.percentile(np.asarray(values) * 1000, q))


def corpus_files(folder: Path, count: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    names = NamePool(rng, "ba de fi go hu ka le mo nu pa re si to vu".split(), "Ada Ben Cleo Dan Eva Finn".split())
    for index in range(count):
        sentences = [invent_fact(rng, names, rng.choice(FACT_TEMPLATES))[0] for _ in range(40)] + rng.sample(FILLER_SENTENCES, 3)
        (folder / f"doc{index:03d}.txt").write_text(" ".join(sentences), encoding="utf-8")


def import_throughput(workspace: Workspace, embedder, folder: Path) -> list[tuple]:
    with Store(Path(tempfile.mkdtemp()) / "bench.sqlite3") as store:
        started = time.perf_counter()
        summary = Importer(store, embedder, extractor=extract).run([folder])
        ours = time.perf_counter() - started
        chunks = store.chunk_texts()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(embedder.folder), device="cpu", local_files_only=True)  # the raw library
    started = time.perf_counter()
    model.encode(chunks, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    plain = time.perf_counter() - started
    files = summary.counts["added"]
    return [("plain sentence-transformers encode", f"{len(chunks) / plain:.1f}", "1.00"),
            (f"desktop-app import ({files} files: read, chunk, embed, write)", f"{len(chunks) / ours:.1f}",
             f"{plain / ours:.2f}")]


def korean_files(folder: Path, count: int) -> None:
    """Korean prose files: the project's own Korean documents, shuffled sentence by sentence."""
    root = Path(__file__).resolve().parents[1] / "resources" / "eval"
    sentences = [s.strip() + "." for path in sorted(root.glob("qa-*/docs/*"))
                 for s in path.read_text(encoding="utf-8").split(".") if any("가" <= c <= "힣" for c in s)]
    rng = random.Random(5)
    for index in range(count):
        rng.shuffle(sentences)
        (folder / f"문서-{index:02d}.txt").write_text(" ".join(sentences * 3), encoding="utf-8")


def compare_embedders(workspace: Workspace, files: int) -> int:
    from desktop_app.core.embedders import BUNDLED_EMBEDDERS

    english, korean = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    corpus_files(english, files)
    korean_files(korean, files)
    print(f"Import throughput per bundled embedder (chunks/s; {files} files each)")
    for bundled in BUNDLED_EMBEDDERS:
        embedder = workspace.make_embedder(bundled.name)
        embedder.load()
        for language, folder in (("English", english), ("Korean", korean)):
            for name, rate, ratio in import_throughput(workspace, embedder, folder):
                print(f"  {bundled.name:<26}{language:<9}{name:<62}{rate:>8}  x{ratio}")
    return 0


def streamed_against_whole(embedder, megabytes: float) -> list[tuple]:
    folder = Path(tempfile.mkdtemp())
    big = folder / "big.txt"
    rng = random.Random(9)
    names = NamePool(rng, "ba de fi go hu ka le mo nu pa re si to vu".split(), "Ada Ben Cleo Dan Eva Finn".split())
    with open(big, "w", encoding="utf-8") as handle:
        while handle.tell() < megabytes * 2**20:
            handle.write(" ".join(invent_fact(rng, names, rng.choice(FACT_TEMPLATES))[0] for _ in range(40)) + "\n\n")
    rows = []
    default_threshold = extract_module.STREAM_MIN_BYTES
    for label, threshold in (("whole file: one transaction", 1 << 62),
                             ("streamed: one transaction per 256 KB section", 0)):
        extract_module.STREAM_MIN_BYTES = threshold
        with Store(folder / f"{threshold}.sqlite3") as store:
            started = time.perf_counter()
            Importer(store, embedder, extractor=extract).run([big])
            elapsed = time.perf_counter() - started
            rows.append((f"{big.stat().st_size / 2**20:.1f} MB text, {label}", store.stats()["chunks"] / elapsed))
    extract_module.STREAM_MIN_BYTES = default_threshold
    return [(name, f"{rate:.1f}", f"{rate / rows[0][1]:.2f}") for name, rate in rows]


def synthetic_store(path: Path, chunks: int, dimension: int, embedder_info) -> Store:
    rng = np.random.default_rng(3)
    words = random.Random(3)
    store = Store(path)
    store.bind_embedder(embedder_info)
    per_doc = 100
    for doc in range(chunks // per_doc):
        texts = [" ".join(words.choice(WORDS) for _ in range(60)) for _ in range(per_doc)]
        vectors = rng.normal(size=(per_doc, dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.put_document(path=f"/bench/doc{doc}.txt", kind="text", paged=False, content_hash=f"h{doc}", size=1,
                           mtime=0.0, pages=[(1, "")], chunks=[NewChunk(1, 0, len(t), t) for t in texts],
                           vectors=vectors)
    return store


def search_latency(embedder, sizes: list[int], queries: int = 40) -> list[tuple]:
    rows = []
    questions = [f"{random.Random(i).choice(WORDS)} {random.Random(i + 1).choice(WORDS)} output" for i in range(queries)]
    for size in sizes:
        folder = Path(tempfile.mkdtemp())
        started = time.perf_counter()
        store = synthetic_store(folder / "s.sqlite3", size, embedder.info.dimension, embedder.info)
        build = time.perf_counter() - started
        for mode in (Mode.HYBRID, Mode.VECTOR, Mode.KEYWORD):
            timings = []
            for question in questions:
                started = time.perf_counter()
                retrieve(store, embedder, question, k=5, mode=mode)
                timings.append(time.perf_counter() - started)
            rows.append((f"{size:,} chunks", mode.value, f"{percentile(timings, 50):.1f}", f"{percentile(timings, 95):.1f}"))
        store.close()
        rows.append((f"{size:,} chunks", f"(store built in {build:.0f} s)", "", ""))
    return rows


def ask_speed(workspace: Workspace, embedder, folder: Path, runs: int) -> list[tuple]:
    from llama_cpp import Llama

    from desktop_app.core.answering import AnswerOptions, answer_question
    from desktop_app.core.rag import prepare_prompt

    question = "How many megawatts did the turbine deliver during its trial?"
    with Store(Path(tempfile.mkdtemp()) / "ask.sqlite3") as store:
        Importer(store, embedder, extractor=extract).run([folder / "doc000.txt", folder / "doc001.txt"])
        with workspace.load_chat_model() as model:
            hits = retrieve(store, embedder, question, k=5)
            prompt = model.render(prepare_prompt(model, question, hits, max_answer_tokens=128).messages)
            ours = []
            for _ in range(runs):
                model._clear_cache()
                answer = answer_question(model, store, embedder, question,
                                         options=AnswerOptions(max_tokens=128, temperature=0.0))
                ours.append(answer.stats)
            path, threads = model.path, model.n_threads
        raw = Llama(model_path=str(path), n_ctx=workspace.settings.n_ctx, n_threads=threads, n_threads_batch=threads,
                    verbose=False)
        plain = []
        for _ in range(runs):
            raw.reset()
            started = time.perf_counter()
            first, count = None, 0
            for _ in raw.create_completion(prompt, max_tokens=128, temperature=0.0, stream=True):
                count += 1
                first = first or time.perf_counter()
            plain.append((first - started, (count - 1) / (time.perf_counter() - first)))
        raw.close()
    ours_ttft = statistics.median(s.time_to_first_token_s for s in ours)
    ours_tps = statistics.median(s.tokens_per_s for s in ours)
    plain_ttft = statistics.median(t for t, _ in plain)
    plain_tps = statistics.median(t for _, t in plain)
    return [("plain llama-cpp-python (same prompt)", f"{plain_ttft:.2f}", f"{plain_tps:.1f}", "1.00"),
            ("desktop-app ask (retrieval + prompt + stream)", f"{ours_ttft:.2f}", f"{ours_tps:.1f}",
             f"{ours_tps / plain_tps:.2f}")]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--stream-mb", type=float, default=2.0, help="size of the large file (0: skip)")
    parser.add_argument("--embedders", action="store_true", help="only: import speed of every bundled embedder")
    args = parser.parse_args()
    workspace = Workspace.open(args.data_dir)
    if args.embedders:
        return compare_embedders(workspace, args.files)
    embedder = workspace.make_embedder()
    embedder.load()
    folder = Path(tempfile.mkdtemp())
    corpus_files(folder, args.files)

    print("Import throughput (chunks/s)")
    for name, rate, ratio in import_throughput(workspace, embedder, folder):
        print(f"  {name:<62}{rate:>10}  x{ratio}")
    if args.stream_mb:
        for name, rate, ratio in streamed_against_whole(embedder, args.stream_mb):
            print(f"  {name:<62}{rate:>10}  x{ratio}")
    print("\nSearch latency, k=5, query embedding included (ms)")
    print(f"  {'size':<16}{'mode':<26}{'p50':>8}{'p95':>8}")
    for size, mode, p50, p95 in search_latency(embedder, args.sizes):
        print(f"  {size:<16}{mode:<26}{p50:>8}{p95:>8}")
    print(f"\nask: median of {args.runs} runs, 128 tokens")
    print(f"  {'':<48}{'TTFT s':>8}{'tok/s':>8}{'ratio':>8}")
    for name, ttft, tps, ratio in ask_speed(workspace, embedder, folder, args.runs):
        print(f"  {name:<48}{ttft:>8}{tps:>8}{ratio:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
