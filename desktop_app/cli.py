"""Command line: ``desktop-app [--data-dir DIR] COMMAND``. With no command, the window opens.

The output of ``search --json`` and ``ask --json`` is a stable contract (one JSON object per line).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
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

    compare = commands.add_parser("compare", help="the same question four ways: base, +RAG, +adapter, +RAG+adapter")
    compare.add_argument("question")
    compare.add_argument("--adapter", action="append", default=[], metavar="NAME[:SCALE]",
                         help="adapter(s) for the +adapter answers (default: the first installed adapter that fits)")
    compare.add_argument("--model")
    compare.add_argument("--k", type=int, default=None)
    compare.add_argument("--max-tokens", type=int, default=None)
    compare.add_argument("--temperature", type=float, default=0.0)
    compare.add_argument("--json", action="store_true")

    evaluate = commands.add_parser("eval", help="measure retrieval and answers on your documents")
    eval_commands = evaluate.add_subparsers(dest="eval_command", required=True)
    eval_retrieval = eval_commands.add_parser("retrieval", help="MRR@10, nDCG@10, Recall@k: vector, keyword, hybrid")
    source = eval_retrieval.add_mutually_exclusive_group(required=True)
    source.add_argument("--beir", metavar="DIR", help="a BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels)")
    source.add_argument("--questions", metavar="FILE", help="JSONL {question, doc, page?} about the imported library")
    eval_retrieval.add_argument("--k", type=int, default=10)
    eval_retrieval.add_argument("--split", default="test")
    eval_retrieval.add_argument("--limit", type=int, help="only the first N queries")
    eval_answers = eval_commands.add_parser("answers", help="ROUGE-L, BLEU, citation accuracy, abstention, speed")
    eval_answers.add_argument("--questions", metavar="FILE", required=True,
                              help="JSONL {question, reference (null: unanswerable), doc?, page?}")
    eval_answers.add_argument("--adapter", action="append", default=[], metavar="NAME[:SCALE]")
    eval_answers.add_argument("--model")
    eval_answers.add_argument("--k", type=int, default=None)
    eval_answers.add_argument("--max-tokens", type=int, default=160)
    eval_answers.add_argument("--limit", type=int)
    eval_grounding = eval_commands.add_parser("grounding",
                                              help="held-out synthetic questions: answers from sources, [n], abstention")
    eval_grounding.add_argument("--adapter", action="append", default=[], metavar="NAME[:SCALE]")
    eval_grounding.add_argument("--model")
    eval_grounding.add_argument("--n", type=int, default=60)
    eval_runs = eval_commands.add_parser("runs", help="list saved evaluation runs")
    eval_runs.add_argument("--kind", choices=["retrieval", "answers", "grounding"])

    settings = commands.add_parser("settings", help="show or change settings (threads, GPU layers, context, ...)")
    settings.add_argument("assignments", nargs="*", metavar="NAME=VALUE",
                          help="e.g. n_threads=4 n_gpu_layers=99 n_ctx=8192 top_k=6 chat_model=/path/model.gguf")

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
            "models": _models, "compare": _compare, "eval": _eval, "settings": _settings,
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
    from desktop_app.core.ingest import FileProgress, Importer, ImportProgress
    from desktop_app.core.isolation import IsolatedExtractor

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    last_shown = [0.0]

    def show_file(progress: FileProgress) -> None:
        if time.monotonic() - last_shown[0] < 2 and progress.fraction < 1:
            return
        last_shown[0] = time.monotonic()
        eta = f", about {progress.eta_s / 60:.0f} min left" if progress.eta_s and progress.eta_s > 60 else ""
        print(f"      {Path(progress.path).name}: {progress.fraction:.0%} read, {progress.chunks} chunks{eta}",
              flush=True)

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
            summary = importer.run(args.paths, on_progress=show, on_file_progress=show_file, cancel=cancel)
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
    from dataclasses import replace

    from desktop_app.core import conversations
    from desktop_app.core.answering import answer_question

    options = _answer_options(workspace, args)
    with workspace.open_store() as store:
        doc_ids = _doc_ids(store, args.doc)
        embedder = None if args.no_rag else workspace.make_embedder()
        with workspace.load_chat_model(args.model) as model:
            adapters = _adapters_from_args(workspace, args)
            model.set_adapters(adapters)
            answer = answer_question(
                model, store, embedder, args.question,
                options=replace(options, use_retrieval=not args.no_rag, doc_ids=doc_ids),
                on_token=None if args.json else (lambda piece: print(piece, end="", flush=True)))
        if not args.no_save:
            conversations.add_exchange(store, conversations.create_conversation(store).id, answer)
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False))
        return 0
    print()
    _print_sources(answer, empty_note=not args.no_rag)
    _print_stats(answer)
    return 0


def _answer_options(workspace, args):
    from desktop_app.core.answering import AnswerOptions

    settings = workspace.settings
    return AnswerOptions(
        top_k=args.k if args.k is not None else settings.top_k,
        max_tokens=args.max_tokens or settings.max_answer_tokens,
        temperature=settings.temperature if args.temperature is None else args.temperature)


def _adapters_from_args(workspace, args) -> list[tuple[str, float]]:
    return [(str(workspace.resolve_adapter(name)), scale) for name, scale in map(parse_adapter_spec, args.adapter)]


def _answer_json(answer) -> dict:
    return {"answer": answer.text, "model": answer.model, "adapters": [list(a) for a in answer.adapters],
            "used_retrieval": answer.used_retrieval, "cited": list(answer.cited),
            "sources": [{"number": s.number, **_hit_json(s.hit)} for s in answer.sources],
            "stats": answer.stats.__dict__ if answer.stats else None}


def _print_sources(answer, *, empty_note: bool) -> None:
    if answer.sources:
        print("\nSources:")
        for source in answer.sources:
            mark = "*" if source.number in answer.cited else " "
            print(f"{mark}{source.label}  (score {source.hit.score:.4f})  {source.hit.doc_path}")
    elif empty_note:
        print("\n(No sources: the library is empty or nothing matched.)")


def _print_stats(answer) -> None:
    stats = answer.stats
    if stats:
        print(f"\n{stats.completion_tokens} tokens, {stats.tokens_per_s:.1f} tok/s, "
              f"first token after {stats.time_to_first_token_s:.2f} s", file=sys.stderr)


def _compare(workspace, args) -> int:
    from desktop_app.core.answering import compare

    options = _answer_options(workspace, args)
    with workspace.open_store() as store, workspace.load_chat_model(args.model) as model:
        adapters = _adapters_from_args(workspace, args)
        adapters = adapters or workspace.default_adapters(model.info.architecture)
        results = compare(model, store, workspace.make_embedder(), args.question, adapters=adapters, options=options)
    if args.json:
        print(json.dumps([{"configuration": c.name, **_answer_json(a)} for c, a in results], ensure_ascii=False))
        return 0
    for configuration, answer in results:
        stats = answer.stats
        speed = f"{stats.tokens_per_s:.1f} tok/s, first token {stats.time_to_first_token_s:.2f} s" if stats else ""
        adapters_text = ", ".join(f"{n}x{s:g}" for n, s in answer.adapters) or "no adapter"
        print(f"=== {configuration.name}  ({adapters_text}; {speed})")
        print(answer.text)
        _print_sources(answer, empty_note=False)
        print()
    if len(results) < 4:
        print("(No adapter fits this model: only base and +RAG were run. Add one with --adapter.)", file=sys.stderr)
    return 0


class _ProgressBar:
    """A one-line progress bar on stderr (cancel with Ctrl+C)."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(1, total))
        if not sys.stderr.isatty() and done < total and done % max(1, total // 10):
            return  # in a log, ten lines are enough
        end = "\n" if done >= total or not sys.stderr.isatty() else ""
        print(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr,
              flush=True)


def _eval(workspace, args) -> int:
    from desktop_app.core.evaluation import runs

    if args.eval_command == "runs":
        with workspace.open_store() as store:
            for run in runs.list_runs(store, args.kind):
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created_at))
                print(f"#{run.id} {when} {run.kind} {run.label}  {json.dumps(run.settings, ensure_ascii=False)}")
                metrics = [m for m in next(iter(run.summary.values()), {}) if m != "queries" and m != "questions"]
                print(runs.format_table(run.summary, metrics))
                print()
        return 0
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        return {"retrieval": _eval_retrieval, "answers": _eval_answers,
                "grounding": _eval_grounding}[args.eval_command](workspace, args, cancel)
    finally:
        signal.signal(signal.SIGINT, previous)


def _eval_settings(workspace, model=None) -> dict:
    settings = workspace.settings
    facts = {"embedder": workspace.make_embedder().info.identity, "chunk_tokens": settings.chunk_tokens,
             "chunk_overlap": settings.chunk_overlap, "top_k": settings.top_k}
    if model is not None:
        facts.update(model=model.name, adapters=[[a.path.name, a.scale] for a in model.active_adapters])
    return facts


def _eval_retrieval(workspace, args, cancel) -> int:
    from desktop_app.core.evaluation import retrieval_eval, runs
    from desktop_app.core.store import Store

    embedder = workspace.make_embedder()
    if args.beir:
        corpus, queries = retrieval_eval.load_beir(Path(args.beir), split=args.split)
        path = retrieval_eval.beir_store_path(workspace.data.root / "eval", Path(args.beir))
        with Store(path) as beir_store:
            counts = retrieval_eval.index_corpus(beir_store, embedder, corpus, chunk_tokens=workspace.settings.chunk_tokens,
                                                 overlap=workspace.settings.chunk_overlap,
                                                 progress=_ProgressBar("indexing"), cancel=cancel)
            print(f"corpus: {len(corpus)} documents ({counts['indexed']} indexed, {counts['reused']} reused), "
                  f"{len(queries)} queries", file=sys.stderr)
            summary, details = retrieval_eval.evaluate_retrieval(
                beir_store, embedder, queries[:args.limit] if args.limit else queries, k=args.k,
                progress=_ProgressBar("queries"), cancel=cancel)
        label = f"beir:{Path(args.beir).resolve()}"
    else:
        with workspace.open_store() as store:
            queries = retrieval_eval.load_library_questions(Path(args.questions), store)
            summary, details = retrieval_eval.evaluate_retrieval(
                store, embedder, queries[:args.limit] if args.limit else queries, k=args.k,
                progress=_ProgressBar("queries"), cancel=cancel)
        label = str(Path(args.questions).resolve())
    with workspace.open_store() as store:
        run_id = runs.save_run(store, kind="retrieval", label=label, settings={**_eval_settings(workspace), "k": args.k},
                               summary=summary, details=details)
    print(runs.format_table(summary, ["MRR@10", "nDCG@10", f"Recall@{args.k}", "queries"], first_column="mode"))
    print(f"(saved as run #{run_id})", file=sys.stderr)
    return 130 if cancel.is_set() else 0


def _eval_configurations(workspace, args, model):
    from desktop_app.core.answering import four_configurations

    adapters = _adapters_from_args(workspace, args) or workspace.default_adapters(model.info.architecture)
    return four_configurations(adapters)


def _eval_answers(workspace, args, cancel) -> int:
    from desktop_app.core.answering import AnswerOptions
    from desktop_app.core.evaluation import answer_eval, runs

    questions = answer_eval.load_answer_questions(Path(args.questions))[:args.limit]
    with workspace.open_store() as store, workspace.load_chat_model(args.model) as model:
        configurations = _eval_configurations(workspace, args, model)
        options = AnswerOptions(top_k=args.k or workspace.settings.top_k, max_tokens=args.max_tokens, temperature=0.0)
        summary, details = answer_eval.evaluate_answers(
            model, store, workspace.make_embedder(), questions, configurations, options=options,
            progress=_ProgressBar("answers"), cancel=cancel)
        settings = {**_eval_settings(workspace, model),
                    "configurations": {c.name: [[Path(p).name, s] for p, s in c.adapters] for c in configurations}}
        run_id = runs.save_run(store, kind="answers", label=str(Path(args.questions).resolve()), settings=settings,
                               summary=summary, details=details)
    print(runs.format_table(summary, answer_eval.ANSWER_METRICS + ["questions"]))
    print(f"(saved as run #{run_id})", file=sys.stderr)
    return 130 if cancel.is_set() else 0


def _eval_grounding(workspace, args, cancel) -> int:
    from desktop_app.core.answering import Configuration
    from desktop_app.core.evaluation import grounding_eval, runs

    with workspace.load_chat_model(args.model) as model:
        configurations = [Configuration("base", True, ())]
        with_adapters = [c for c in _eval_configurations(workspace, args, model) if c.adapters]
        if with_adapters:
            configurations.append(Configuration("+adapter", True, with_adapters[0].adapters))
        summary, details = grounding_eval.evaluate_grounding(model, configurations, count=args.n,
                                                             progress=_ProgressBar("grounding"), cancel=cancel)
        settings = {"model": model.name,
                    "configurations": {c.name: [[Path(p).name, s] for p, s in c.adapters] for c in configurations}}
    with workspace.open_store() as store:
        run_id = runs.save_run(store, kind="grounding", label=f"synthetic held-out x{args.n}", settings=settings,
                               summary=summary, details=details)
    print(runs.format_table(summary, grounding_eval.GROUNDING_METRICS + ["questions"]))
    print(f"(saved as run #{run_id})", file=sys.stderr)
    return 130 if cancel.is_set() else 0


def _docs(workspace, args) -> int:
    with workspace.open_store() as store:
        if args.docs_command == "list":
            documents = store.documents()
            for doc in documents:
                pages = f"{doc.page_count} pages" if doc.paged else "-"
                state = "" if doc.complete else f" (import {doc.indexed_fraction:.0%} done)"
                print(f"{doc.name}\t{doc.kind}\t{pages}\t{doc.chunk_count} chunks{state}\t{doc.path}")
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


def _settings(workspace, args) -> int:
    from dataclasses import asdict, fields

    current = workspace.settings
    types = {f.name: type(getattr(current, f.name)) for f in fields(current) if f.name not in ("version", "active_adapters")}
    changes = {}
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep or name not in types:
            raise AppError(f"'{assignment}': expected NAME=VALUE with NAME one of {', '.join(sorted(types))}")
        try:
            changes[name] = types[name](value)
        except ValueError as exc:
            raise AppError(f"'{assignment}': {exc}") from exc
    if changes:
        workspace.save_settings(current.with_changes(**changes))
    for name, value in asdict(workspace.settings).items():
        print(f"{name} = {value}")
    print(f"(stored in {workspace.data.settings})", file=sys.stderr)
    return 0


def _models(workspace, args) -> int:
    current = workspace.chat_model_path()
    for path in workspace.available_chat_models():
        print(f"{'*' if path == current else ' '} {path.name}\t{path.stat().st_size / 1e6:.0f} MB\t{path}")
    return 0
