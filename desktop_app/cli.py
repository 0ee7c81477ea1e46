"""Command line: ``desktop-app [--data-dir DIR] COMMAND``. With no command, the window opens.

The output of ``search --json`` and ``ask --json`` is a stable contract (one JSON object per line).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from desktop_app import __version__
from desktop_app.core.errors import AppError, StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desktop-app", description="Chat with a local model about your documents.")
    parser.add_argument("--data-dir", help="folder for the store, settings, logs and models "
                                           "(default: the platform's data folder, or $DESKTOP_APP_DATA_DIR)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command")

    ingest = commands.add_parser("ingest", help="import files and folders (recursively)")
    ingest.add_argument("paths", nargs="+")

    search = commands.add_parser("search", help="hybrid search over the imported documents")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=5)
    search.add_argument("--mode", choices=["hybrid", "vector", "keyword"], default="hybrid")
    search.add_argument("--doc", action="append", default=[], help="only search this document (repeatable)")
    search.add_argument("--json", action="store_true", help="one JSON object per hit and line")

    ask = commands.add_parser("ask", help="answer a question from the documents, with numbered sources")
    ask.add_argument("question")
    ask.add_argument("--k", type=int, default=None, help="sources to retrieve (default: settings' top-k)")
    ask.add_argument("--no-rag", action="store_true", help="answer without retrieval")
    ask.add_argument("--doc", action="append", default=[], help="only use this document (repeatable)")
    ask.add_argument("--model", help="a GGUF file, or a bundled model key (qwen2.5-coder-0.5b-instruct, gemma-3-270m)")
    ask.add_argument("--adapter", action="append", default=[], metavar="NAME[:SCALE]",
                     help="apply a LoRA adapter (repeatable; scale 0..2, default 1)")
    ask.add_argument("--max-tokens", type=int, default=None)
    ask.add_argument("--temperature", type=float, default=None)
    ask.add_argument("--no-save", action="store_true", help="do not keep this exchange as a conversation")
    ask.add_argument("--json", action="store_true", help="print one JSON object with the answer and its sources")

    docs = commands.add_parser("docs", help="the imported documents")
    docs_commands = docs.add_subparsers(dest="docs_command", required=True)
    docs_commands.add_parser("list", help="list imported documents")
    remove = docs_commands.add_parser("remove", help="remove a document and all its chunks")
    remove.add_argument("path")

    adapters = commands.add_parser("adapters", help="LoRA adapters")
    adapter_commands = adapters.add_subparsers(dest="adapters_command", required=True)
    adapter_commands.add_parser("list", help="list the adapters found in the adapter folders")

    commands.add_parser("models", help="list the chat models the app can load")
    commands.add_parser("gui", help="open the window (the default with no command)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in (None, "gui"):
        from desktop_app.ui.launch import launch_gui

        return launch_gui(args.data_dir)
    from desktop_app.core.workspace import Workspace

    try:
        workspace = Workspace.open(args.data_dir)
        workspace.setup_logging("cli")
        handler = {
            "ingest": _ingest, "search": _search, "ask": _ask, "docs": _docs, "adapters": _adapters,
            "models": _models,
        }[args.command]
        return handler(workspace, args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AppError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _ingest(workspace, args) -> int:
    from desktop_app.core.ingest import Importer, ImportProgress
    from desktop_app.core.isolation import IsolatedExtractor

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())

    def show(progress: ImportProgress) -> None:
        outcome = progress.outcome
        detail = f"{outcome.chunks} chunks" if outcome.status != "skipped" else outcome.reason
        if outcome.status == "added" and outcome.pages:
            detail += f", {outcome.pages} pages"
        if outcome.status != "skipped" and outcome.reason:
            detail += f" ({outcome.reason})"
        print(f"[{progress.done}/{progress.total}] {outcome.status:<9} {outcome.path}: {detail}", flush=True)

    try:
        with workspace.open_store() as store, IsolatedExtractor() as extractor:
            importer = Importer(store, workspace.make_embedder(), extractor=extractor,
                                chunk_tokens=workspace.settings.chunk_tokens,
                                chunk_overlap=workspace.settings.chunk_overlap)
            summary = importer.run(args.paths, on_progress=show, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    counts = summary.counts
    print(f"{'Cancelled' if summary.cancelled else 'Done'}: {counts['added']} added, {counts['replaced']} replaced, "
          f"{counts['unchanged']} unchanged, {counts['skipped']} skipped")
    for outcome in summary.of("skipped"):
        print(f"  skipped {outcome.path}: {outcome.reason}")
    if summary.cancelled:
        print("Run the same command again to finish the import.")
    return 130 if summary.cancelled else 0


def _doc_ids(store, docs: list[str]) -> list[int] | None:
    if not docs:
        return None
    ids = store.doc_ids_for_paths(docs)
    if len(ids) != len(docs):
        raise AppError("One of the --doc documents is not in the library (see 'desktop-app docs list').")
    return ids


def _search(workspace, args) -> int:
    from desktop_app.core.retrieval import Mode, retrieve

    with workspace.open_store() as store:
        embedder = workspace.make_embedder() if args.mode != "keyword" else None
        hits = retrieve(store, embedder, args.query, k=args.k, mode=Mode(args.mode), doc_ids=_doc_ids(store, args.doc))
    for rank, hit in enumerate(hits, start=1):
        if args.json:
            print(json.dumps(_hit_json(hit), ensure_ascii=False))
        else:
            page = f" p.{hit.page}" if hit.page is not None else ""
            ranks = f"vector #{hit.vector_rank or '-'}, keyword #{hit.keyword_rank or '-'}"
            print(f"{rank}. {hit.doc_name}{page}  score {hit.score:.4f} ({ranks})")
            print("   " + " ".join(hit.text.split())[:240])
    if not hits and not args.json:
        print("No matches.")
    return 0


def _hit_json(hit) -> dict:
    return {"doc": hit.doc_path, "page": hit.page, "score": hit.score, "text": hit.text,
            "chunk_id": hit.chunk_id, "start": hit.start_char, "end": hit.end_char,
            "vector_rank": hit.vector_rank, "keyword_rank": hit.keyword_rank}


def parse_adapter_spec(spec: str) -> tuple[str, float]:
    name, _, scale = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    try:
        return name, float(scale)
    except ValueError:
        return spec, 1.0


def _ask(workspace, args) -> int:
    from desktop_app.core import conversations
    from desktop_app.core.rag import Answer, prepare_prompt
    from desktop_app.core.retrieval import retrieve

    settings = workspace.settings
    k = args.k if args.k is not None else settings.top_k
    max_tokens = args.max_tokens or settings.max_answer_tokens
    temperature = settings.temperature if args.temperature is None else args.temperature
    with workspace.open_store() as store:
        hits = []
        if not args.no_rag:
            hits = retrieve(store, workspace.make_embedder(), args.question, k=k, doc_ids=_doc_ids(store, args.doc))
        model = workspace.load_chat_model(args.model)
        try:
            adapters = [(workspace.resolve_adapter(name), scale) for name, scale in map(parse_adapter_spec, args.adapter)]
            model.set_adapters(adapters)
            prepared = prepare_prompt(model, args.question, hits, use_retrieval=not args.no_rag,
                                      max_answer_tokens=max_tokens)
            pieces = []
            for piece in model.stream(prepared.messages, max_tokens=max_tokens, temperature=temperature, seed=0):
                pieces.append(piece)
                if not args.json:
                    print(piece, end="", flush=True)
            answer = Answer(question=args.question, text="".join(pieces).strip(), sources=prepared.sources,
                            stats=model.last_stats, model=model.name,
                            adapters=tuple((p.name, s) for p, s in adapters), used_retrieval=not args.no_rag)
        finally:
            model.close()
        if not args.no_save:
            conversations.add_exchange(store, conversations.create_conversation(store).id, answer)
    if args.json:
        print(json.dumps({
            "answer": answer.text, "model": answer.model, "adapters": [list(a) for a in answer.adapters],
            "cited": list(answer.cited),
            "sources": [{"number": s.number, **_hit_json(s.hit)} for s in answer.sources],
            "stats": answer.stats.__dict__ if answer.stats else None,
        }, ensure_ascii=False))
        return 0
    print()
    if answer.sources:
        print("\nSources:")
        for source in answer.sources:
            mark = "*" if source.number in answer.cited else " "
            print(f"{mark}{source.label}  (score {source.hit.score:.4f})  {source.hit.doc_path}")
    elif not args.no_rag:
        print("\n(No sources: the library is empty or nothing matched.)")
    stats = answer.stats
    if stats:
        print(f"\n{stats.completion_tokens} tokens, {stats.tokens_per_s:.1f} tok/s, "
              f"first token after {stats.time_to_first_token_s:.2f} s", file=sys.stderr)
    return 0


def _docs(workspace, args) -> int:
    with workspace.open_store() as store:
        if args.docs_command == "list":
            documents = store.documents()
            for doc in documents:
                pages = f"{doc.page_count} pages" if doc.paged else "-"
                print(f"{doc.name}\t{doc.kind}\t{pages}\t{doc.chunk_count} chunks\t{doc.path}")
            pending = store.pending_imports()
            print(f"{len(documents)} documents" + (f"; {len(pending)} files left from an interrupted import"
                                                   if pending else ""), file=sys.stderr)
            return 0
        path = Path(args.path).expanduser()
        removed = store.remove_document(path.resolve()) or store.remove_document(str(path))
        if not removed:
            print(f"error: {args.path} is not in the library", file=sys.stderr)
            return 1
        print(f"removed {path.resolve()}")
        return 0


def _adapters(workspace, args) -> int:
    found, problems = workspace.adapters()
    for adapter in found:
        print(f"{adapter.path.stem}\t{adapter.summary()}\t{adapter.size_bytes / 1e6:.1f} MB\t{adapter.path}")
        if adapter.description:
            print(f"\t{adapter.description}")
    for path, reason in problems:
        print(f"unusable: {path}: {reason}", file=sys.stderr)
    if not found:
        print("No adapters. Put GGUF LoRA files in: " + ", ".join(str(f) for f in workspace.adapter_folders()),
              file=sys.stderr)
    return 0


def _models(workspace, args) -> int:
    current = workspace.chat_model_path()
    for path in workspace.available_chat_models():
        print(f"{'*' if path == current else ' '} {path.name}\t{path.stat().st_size / 1e6:.0f} MB\t{path}")
    return 0
