"""The store on PostgreSQL: pgvector for the vectors, its full-text search for keywords.

A library several app instances share. ``PostgresConnection`` gives the repositories the calls they
make on SQLite (``execute`` with ``?`` placeholders, ``executemany``, ``in_transaction``), so their SQL
is written once; the schema, the keyword ranking and the vector search are this module's own.
Keywords are the same analysed terms as on SQLite (Korean split into morphemes), stored as a
``tsvector`` with a GIN index; chunks are ranked by BM25 computed from the tsvectors' term counts
with FTS5's formula and constants, so both backends rank alike.
"""

from __future__ import annotations

import contextlib
import functools
import math
from typing import Iterator, Sequence

from desktop_app.core.errors import StoreBusy, StoreError
from desktop_app.core.store.dialect import POSTGRES, keyword_tokens

SCHEMA_VERSION = 1
_SCHEMA_LOCK = 0x6465736B  # one advisory lock: two instances never create the schema at once


def is_postgres_url(location) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


@functools.lru_cache(maxsize=512)
def _placeholders(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresConnection:
    """One psycopg connection, in autocommit mode outside ``transaction()``."""

    dialect = POSTGRES

    def __init__(self, url: str):
        self.url = url
        self._depth = 0  # transaction() blocks open on this connection
        self._conn = self._connect()

    def _connect(self):
        import psycopg

        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            raise StoreError(f"Cannot reach the PostgreSQL store {redact(self.url)}: {_first_line(exc)}") from exc
        return conn

    def execute(self, sql: str, params: Sequence = ()):
        import psycopg

        try:
            cursor = self._conn.cursor()
            cursor.execute(_placeholders(sql), tuple(params))
        except psycopg.OperationalError as exc:
            if not self._conn.broken or self.in_transaction:
                raise StoreError(f"The PostgreSQL store failed: {_first_line(exc)}") from exc
            self._conn = self._connect()  # the server restarted or the network dropped: once more, anew
            cursor = self._conn.cursor()
            cursor.execute(_placeholders(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows) -> None:
        rows = list(rows)
        if rows:
            self._conn.cursor().executemany(_placeholders(sql), rows)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        import psycopg

        if self._depth == 0 and self._conn.broken:
            self._conn = self._connect()
        self._depth += 1
        try:
            with self._conn.transaction():
                yield
        except psycopg.errors.LockNotAvailable as exc:
            raise StoreBusy("The library is busy in another instance; try again when it is done.") from exc
        except psycopg.errors.IntegrityError:
            raise
        except psycopg.OperationalError as exc:
            raise StoreError(f"The PostgreSQL store failed: {_first_line(exc)}; nothing was written.") from exc
        except psycopg.Error as exc:
            raise StoreError(f"Cannot write to the PostgreSQL store ({_first_line(exc)}); nothing was written.") from exc
        finally:
            self._depth -= 1

    def close(self) -> None:
        self._conn.close()


def connect(url: str) -> PostgresConnection:
    """Connect to ``url``, creating the schema (and the vector extension) on first use.

    Raises:
        StoreError: the server cannot be reached, lacks pgvector, or holds a newer schema.
    """
    import psycopg

    db = PostgresConnection(url)
    try:
        with db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
            db.execute("CREATE EXTENSION IF NOT EXISTS vector")
            if not POSTGRES.has_table(db, "meta"):
                _create_schema(db)
            version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(f"The PostgreSQL store {redact(url)} was written by a newer version of the app "
                             f"(schema {version}, this app knows {SCHEMA_VERSION}); update the app to open it.")
    except (StoreError, psycopg.Error) as exc:
        db.close()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"Cannot open the PostgreSQL store {redact(url)}: {_first_line(exc)}") from exc
    return db


def _create_schema(db: PostgresConnection) -> None:
    ident = POSTGRES.id_column
    statements = [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"""CREATE TABLE documents (id {ident}, path TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
            content_hash TEXT NOT NULL, size BIGINT NOT NULL, mtime DOUBLE PRECISION NOT NULL,
            page_count INTEGER NOT NULL, chunk_count INTEGER NOT NULL, added_at DOUBLE PRECISION NOT NULL)""",
        "CREATE INDEX documents_hash ON documents(content_hash)",
        """CREATE TABLE pages (doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page_no INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (doc_id, page_no))""",
        f"""CREATE TABLE chunks (id {ident}, doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL, page_no INTEGER NOT NULL, start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL, text TEXT NOT NULL)""",
        "CREATE INDEX chunks_doc ON chunks(doc_id)",
        # The terms, space-separated as keyword_tokens() cut them, made a tsvector with positions: a
        # term's count in a chunk is the number of its positions (FTS5 counts the same way).
        """CREATE FUNCTION keyword_vector(terms TEXT) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT coalesce(string_agg('''' || word || ''':' || positions, ' '), '')::tsvector FROM (
                SELECT word, array_to_string((array_agg(least(pos, 16383) ORDER BY pos))[1:256], ',') AS positions
                FROM unnest(string_to_array(terms, ' ')) WITH ORDINALITY AS u(word, pos)
                WHERE word <> '' GROUP BY word) AS words $$""",
        """CREATE TABLE chunk_terms (rowid BIGINT PRIMARY KEY, terms TEXT NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (keyword_vector(terms)) STORED,
            length INTEGER GENERATED ALWAYS AS (cardinality(array_remove(string_to_array(terms, ' '), ''))) STORED)""",
        "CREATE INDEX chunk_terms_tsv ON chunk_terms USING gin (tsv)",
        "CREATE INDEX chunk_terms_length ON chunk_terms (length)",  # BM25's totals by an index-only scan
        "CREATE TABLE import_queue (path TEXT PRIMARY KEY, queued_at DOUBLE PRECISION NOT NULL)",
        f"""CREATE TABLE conversations (id {ident}, title TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
            updated_at DOUBLE PRECISION NOT NULL)""",
        f"""CREATE TABLE messages (id {ident},
            conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')), content TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL, model TEXT, adapters TEXT NOT NULL DEFAULT '[]',
            used_retrieval INTEGER NOT NULL DEFAULT 0, stats TEXT NOT NULL DEFAULT '{{}}')""",
        "CREATE INDEX messages_conversation ON messages(conversation_id)",
        """CREATE TABLE message_sources (message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            number INTEGER NOT NULL, chunk_id BIGINT, doc_path TEXT NOT NULL, page_no INTEGER,
            section_no INTEGER NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
            score DOUBLE PRECISION NOT NULL, text TEXT NOT NULL, PRIMARY KEY (message_id, number))""",
        f"""CREATE TABLE eval_runs (id {ident}, kind TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
            label TEXT NOT NULL, settings TEXT NOT NULL, summary TEXT NOT NULL, details TEXT NOT NULL)""",
        """CREATE TABLE partial_imports (doc_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            next_byte BIGINT NOT NULL, next_section INTEGER NOT NULL, encoding TEXT NOT NULL)""",
        """CREATE TABLE watched_folders (path TEXT PRIMARY KEY, paused INTEGER NOT NULL DEFAULT 0,
            added_at DOUBLE PRECISION NOT NULL, synced_at DOUBLE PRECISION, last_result TEXT NOT NULL DEFAULT '')""",
    ]
    for statement in statements:
        db.execute(statement)
    db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


# FTS5's bm25() constants: term saturation k1 and length normalisation b; and its floor for the
# weight of a term in more than half of the chunks.
_K1, _B, _MIN_IDF = 1.2, 0.75, 1e-6

_TERM_STATS_SQL = """
SELECT totals.n, totals.average_length,
       array(SELECT (SELECT count(*) FROM chunk_terms WHERE tsv @@ term)
             FROM unnest(?::tsquery[]) WITH ORDINALITY AS q(term, i) ORDER BY i)
FROM (SELECT count(*) AS n, coalesce(avg(length), 1) AS average_length FROM chunk_terms) AS totals
"""
# Each matching chunk's tsvector cut down to the query's terms (setweight + ts_filter, no unnest of
# the whole vector), then BM25 summed over them: a term's count is the number of its positions.
_BM25_SQL = f"""
SELECT m.rowid, sum(q.idf * cardinality(u.positions) * {_K1 + 1}
                    / (cardinality(u.positions) + {_K1} * (1 - {_B} + {_B} * m.length / ?::float8))) AS score
FROM (SELECT rowid, length, ts_filter(setweight(tsv, 'A', ?::text[]), '{{{{a}}}}') AS found
      FROM chunk_terms WHERE tsv @@ ?::tsquery {{filter}}) AS m
CROSS JOIN LATERAL unnest(m.found) AS u
JOIN (SELECT unnest(?::text[]) AS term, unnest(?::float8[]) AS idf) AS q ON q.term = u.lexeme
GROUP BY m.rowid ORDER BY score DESC, m.rowid LIMIT ?
"""


class PostgresSearchIndex:
    """The two candidate lists of hybrid search on PostgreSQL: pgvector's exact KNN and BM25 over tsvectors."""

    def __init__(self, db: PostgresConnection):
        self.db = db

    def warm(self) -> bool:
        return POSTGRES.has_table(self.db, "chunk_vectors")

    def knn(self, vector, *, depth: int, doc_ids: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The ``depth`` nearest chunks as (chunk id, cosine distance), nearest first."""
        if not self.warm():
            return []
        value = POSTGRES.vector_value(vector)
        sql = "SELECT rowid, embedding <=> ?::vector AS distance FROM chunk_vectors"
        params: list = [value]
        if doc_ids is not None:
            sql += " WHERE doc_id = ANY(?)"
            params.append(list(doc_ids))
        params.append(depth)
        rows = self.db.execute(sql + " ORDER BY distance LIMIT ?", params).fetchall()
        return [(row[0], float(row[1])) for row in rows if row[1] == row[1]]  # a zero vector's distance is NaN

    def bm25(self, terms: Sequence[str], *, depth: int, doc_ids: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The ``depth`` best (chunk id, BM25 score) for chunks holding any of ``terms``, best first.

        Scores are FTS5's. Chunks are first looked up by the terms that weigh something (in at most
        half of the chunks); those holding only near-weightless terms are looked up only when the
        others do not fill ``depth``."""
        tokens = list(dict.fromkeys(t for term in terms for t in keyword_tokens(term)))
        if not tokens:
            return []
        chunks, average_length, hits = self.db.execute(_TERM_STATS_SQL, ([f"'{t}'" for t in tokens],)).fetchone()
        idf = [max(math.log((chunks - n + 0.5) / (n + 0.5)), _MIN_IDF) for n in hits]
        weighty = [t for t, weight, n in zip(tokens, idf, hits) if weight > _MIN_IDF and n]
        ranked: list[tuple[int, float]] = []
        for lookup in ([weighty] if weighty else []) + ([tokens] if len(weighty) < len(tokens) else []):
            ranked = self._ranked(tokens, idf, lookup, float(average_length), depth, doc_ids)
            if len(ranked) >= depth:
                break
        return ranked

    def _ranked(self, tokens: list[str], idf: list[float], lookup: list[str], average_length: float, depth: int,
                doc_ids: Sequence[int] | None) -> list[tuple[int, float]]:
        where = ""
        params: list = [max(average_length, 1e-9), tokens, " | ".join(f"'{t}'" for t in lookup)]
        if doc_ids is not None:
            where = "AND rowid IN (SELECT id FROM chunks WHERE doc_id = ANY(?))"
            params.append(list(doc_ids))
        params += [tokens, idf, depth]
        return [(row[0], float(row[1])) for row in self.db.execute(_BM25_SQL.format(filter=where), params)]

    def terms(self, chunk_ids: Sequence[int]) -> dict[int, str]:
        if not chunk_ids:
            return {}
        return dict(self.db.execute("SELECT rowid, terms FROM chunk_terms WHERE rowid = ANY(?)", (list(chunk_ids),)))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
