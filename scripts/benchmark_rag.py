"""RAG benchmarks (run by hand; prints tables):

1. import throughput in chunks/s, against plain sentence-transformers ``encode`` of the same chunks,
   and one large text file imported whole against streamed section by section;
2. search latency p50/p95 (hybrid, vector, keyword) at 10k and 100k chunks (--sizes; 1,000,000 too),
   against sqlite-vec's own KNN on the same store, with the share of identical top-10 lists;
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
from desktop_app.core.terms import QUERY_STOPWORDS  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402
from desktop_app.core.grounding_data import FACT_TEMPLATES, FILLER_SENTENCES, NamePool, invent_fact  # noqa: E402


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


def compare_embedders(workspace: Workspace, files: int, only: list[str] | None = None) -> int:
    from desktop_app.core.embedders import BUNDLED_EMBEDDERS

    english, korean = Path(tempfile.mkdtemp()), Path(tempfile.mkdtemp())
    corpus_files(english, files)
    korean_files(korean, files)
    print(f"Import throughput per bundled embedder (chunks/s; {files} files each)")
    for bundled in BUNDLED_EMBEDDERS:
        if only and bundled.name not in only:
            continue
        embedder = workspace.make_embedder(bundled.name)
        embedder.load()
        for language, folder in (("English", english), ("Korean", korean)):
            for name, rate, ratio in import_throughput(workspace, embedder, folder):
                print(f"  {bundled.name:<31}{language:<9}{name:<62}{rate:>8}  x{ratio}")
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


def zipf_vocabulary(size: int = 60_000, seed: int = 11) -> tuple[list[str], np.ndarray]:
    """English function words, then invented words, with Zipf frequencies (exponent 1.07), as in
    natural text: posting lists as long as a real library's, not a 24-word worst case."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["ar", "en", "il", "on", "us", "ex"]
    words = list(dict.fromkeys(sorted(QUERY_STOPWORDS, key=lambda w: (len(w), w))))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(syllables) for _ in range(rng.choice((2, 2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights = 1.0 / np.arange(1, size + 1) ** 1.07
    return words, weights / weights.sum()


def scale_store(path: Path, chunks: int, dimension: int, embedder_info) -> tuple[Store, list[str], float]:
    """A store of ``chunks`` chunks of 150 Zipf-distributed words and random unit vectors, built once
    at ``path`` and reused by later runs; (store, queries, seconds it took to build, 0 if reused)."""
    words, weights = zipf_vocabulary()
    vocabulary = np.array(words)
    rng = np.random.default_rng(3)
    started = time.perf_counter()
    built = path.exists()
    store = Store(path)
    if not built or store.stats()["chunks"] != chunks:
        store.close()
        path.unlink(missing_ok=True)
        store = Store(path)
        store.bind_embedder(embedder_info)
        per_doc = 200
        for doc in range(chunks // per_doc):
            sampled = vocabulary[rng.choice(len(words), size=(per_doc, 150), p=weights)]
            texts = [" ".join(row) for row in sampled]
            vectors = rng.normal(size=(per_doc, dimension)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            store.put_document(path=f"/bench/doc{doc}.txt", kind="text", paged=False, content_hash=f"h{doc}", size=1,
                               mtime=0.0, pages=[(1, "")], chunks=[NewChunk(1, 0, len(t), t) for t in texts],
                               vectors=vectors)
    build = time.perf_counter() - started if not built else 0.0
    # questions as people write them: function words, one or two common words and rarer ones
    qrng = random.Random(7)
    queries = [" ".join(["what", "is", "the"] + [words[qrng.randint(100, 2_000)]]
                        + [words[qrng.randint(2_000, 40_000)] for _ in range(qrng.choice((1, 2, 3)))])
               for _ in range(200)]
    return store, queries, build


class _GivenVector:
    """The app's embedder with the query vectors computed beforehand: search time alone."""

    def __init__(self, embedder, vectors: dict[str, np.ndarray]):
        self.info, self._vectors = embedder.info, vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self._vectors[text]


def sqlite_vec_knn(store: Store, vector: np.ndarray, depth: int) -> list[int]:
    """The raw library: sqlite-vec's own KNN over the same vectors (a linear scan of its blobs)."""
    rows = store.db.execute("SELECT rowid FROM chunk_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance",
                            (np.asarray(vector, dtype=np.float32).tobytes(), depth))
    return [r[0] for r in rows]


def resident_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def search_latency(embedder, sizes: list[int], folder: Path) -> list[tuple]:
    rows = []
    folder.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        path = folder / f"scale-{size}.sqlite3"
        store, queries, build = scale_store(path, size, embedder.info.dimension, embedder.info)
        rng = np.random.default_rng(size)
        vectors = {q: v / np.linalg.norm(v) for q, v in
                   zip(queries, rng.normal(size=(len(queries), embedder.info.dimension)).astype(np.float32))}
        given = _GivenVector(embedder, vectors)
        rss_before = resident_mb()
        started = time.perf_counter()
        retrieve(store, given, queries[0], k=10, mode=Mode.VECTOR)  # the first search reads the vectors
        load = time.perf_counter() - started
        rss_after = resident_mb()
        for mode in (Mode.HYBRID, Mode.VECTOR, Mode.KEYWORD):
            timings = []
            for query in queries:
                started = time.perf_counter()
                retrieve(store, given, query, k=10, mode=mode)
                timings.append(time.perf_counter() - started)
            rows.append((f"{size:,}", f"{mode.value} (ours)", f"{percentile(timings, 50):.1f}",
                         f"{percentile(timings, 95):.1f}"))
        raw, same = [], 0
        for query in queries[:50]:
            started = time.perf_counter()
            theirs = sqlite_vec_knn(store, vectors[query], 10)
            raw.append(time.perf_counter() - started)
            ours = [c for c, _ in store.search.knn(vectors[query], depth=10)]
            same += ours == theirs
        rows.append((f"{size:,}", "vector, sqlite-vec KNN (raw)", f"{percentile(raw, 50):.1f}", f"{percentile(raw, 95):.1f}"))
        embed = []
        for query in queries[:50]:
            started = time.perf_counter()
            embedder.embed_query(query)
            embed.append(time.perf_counter() - started)
        rows.append((f"{size:,}", "query embedding (added to hybrid, vector)", f"{percentile(embed, 50):.1f}",
                     f"{percentile(embed, 95):.1f}"))
        megabytes = path.stat().st_size / 2**20
        rows.append((f"{size:,}", f"top-10 identical to sqlite-vec: {same}/50; store {megabytes:,.0f} MB "
                     f"({megabytes / size * 100_000:,.0f} MB per 100k); vectors read in {load:.1f} s, "
                     f"+{rss_after - rss_before:,.0f} MB resident; built in {build:.0f} s", "", ""))
        store.close()
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


def follow_up_speed(workspace: Workspace, embedder, folder: Path) -> list[tuple]:
    """Time to first token of a first question and two follow-ups in one conversation: the history
    the follow-ups repeat is read from the model's cache (``cached_tokens``), only the rest is processed."""
    from desktop_app.core.answering import AnswerOptions
    from desktop_app.core.conversations import ChatSession

    questions = ("How many megawatts did the turbine deliver during its trial?", "Who led that trial?",
                 "When did it end?")
    rows = []
    with Store(Path(tempfile.mkdtemp()) / "follow.sqlite3") as store:
        Importer(store, embedder, extractor=extract).run([folder / "doc000.txt", folder / "doc001.txt"])
        with workspace.load_chat_model() as model:
            session = ChatSession(store, save=False)
            for turn, question in enumerate(questions, start=1):
                answer = session.ask(model, embedder, question,
                                     options=AnswerOptions(max_tokens=64, temperature=0.0)).answer
                t = answer.timings
                rows.append((f"turn {turn}" + (" (first question)" if turn == 1 else " (follow-up)"),
                             f"{t.prompt_s:.2f}", f"{t.prompt_tokens}", f"{t.cached_tokens}", f"{t.retrieval_s * 1000:.0f}"))
    return rows


def print_ask_speed(workspace: Workspace, embedder, folder: Path, runs: int) -> None:
    print(f"ask: median of {runs} runs, 128 tokens ({workspace.chat_model_path().name})")
    print(f"  {'':<48}{'TTFT s':>8}{'tok/s':>8}{'ratio':>8}")
    for name, ttft, tps, ratio in ask_speed(workspace, embedder, folder, runs):
        print(f"  {name:<48}{ttft:>8}{tps:>8}{ratio:>8}")
    print("\nA conversation: reading the prompt (time to first token), its tokens, those reused from the cache")
    print(f"  {'':<28}{'prompt s':>10}{'tokens':>8}{'cached':>8}{'search ms':>11}")
    for name, prompt_s, tokens, cached, search_ms in follow_up_speed(workspace, embedder, folder):
        print(f"  {name:<28}{prompt_s:>10}{tokens:>8}{cached:>8}{search_ms:>11}")


def print_search_latency(embedder, args) -> int:
    print("Search latency, k=10, query vector given (ms)")
    print(f"  {'chunks':<12}{'mode':<44}{'p50':>8}{'p95':>8}")
    for size, mode, p50, p95 in search_latency(embedder, args.sizes, Path(args.scale_dir)):
        print(f"  {size:<12}{mode:<44}{p50:>8}{p95:>8}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--files", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--stream-mb", type=float, default=2.0, help="size of the large file (0: skip)")
    parser.add_argument("--embedders", action="store_true", help="only: import speed of every bundled embedder")
    parser.add_argument("--only", nargs="+", help="with --embedders: these bundled embedders only")
    parser.add_argument("--search-only", action="store_true", help="only: search latency at --sizes")
    parser.add_argument("--ask-only", action="store_true", help="only: ask speed and a conversation's follow-ups")
    parser.add_argument("--scale-dir", default=str(Path(tempfile.gettempdir()) / "desktop-app-bench"),
                        help="where the large stores are built once and kept for later runs")
    args = parser.parse_args()
    workspace = Workspace.open(args.data_dir)
    if args.embedders:
        return compare_embedders(workspace, args.files, args.only)
    embedder = workspace.make_embedder()
    embedder.load()
    if args.search_only:
        return print_search_latency(embedder, args)
    folder = Path(tempfile.mkdtemp())
    corpus_files(folder, args.files)
    if args.ask_only:
        print_ask_speed(workspace, embedder, folder, args.runs)
        return 0

    print("Import throughput (chunks/s)")
    for name, rate, ratio in import_throughput(workspace, embedder, folder):
        print(f"  {name:<62}{rate:>10}  x{ratio}")
    if args.stream_mb:
        for name, rate, ratio in streamed_against_whole(embedder, args.stream_mb):
            print(f"  {name:<62}{rate:>10}  x{ratio}")
    print()
    print_search_latency(embedder, args)
    print()
    print_ask_speed(workspace, embedder, folder, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
