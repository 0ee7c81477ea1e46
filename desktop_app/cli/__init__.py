"""Command line: ``desktop-app [--data-dir DIR] COMMAND``. With no command, the window opens.

The output of ``search --json`` and ``ask --json`` is a stable contract (one JSON object per line).
Each command is a thin caller of the core: library commands in ``library``, model and chat
commands in ``chat``, evaluations in ``evaluate``.
"""

from __future__ import annotations

import argparse
import sys

from desktop_app import __version__
from desktop_app.core.errors import AppError, StoreError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desktop-app", description="Chat with a local model about your documents.")
    parser.add_argument("--data-dir", help="folder for the store, settings, logs and models "
                                           "(default: the platform's data folder, or $DESKTOP_APP_DATA_DIR)")
    parser.add_argument("--model-server", metavar="URL",
                        help="answer with the model of this OpenAI-compatible server (llama.cpp's server, vLLM, "
                             "another desktop-app serve) instead of the local GGUF; the 'model_server' setting keeps it")
    parser.add_argument("--store", metavar="URL",
                        help="use the library in this PostgreSQL database (postgresql://user@host/db, pgvector needed) "
                             "instead of the data folder's SQLite file; the 'store' setting keeps it")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command")

    ingest = commands.add_parser("ingest", help="import files and folders (recursively)")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--no-ocr", action="store_true",
                        help="do not read images and scanned PDF pages by OCR (the 'ocr' setting, for this import)")

    watch = commands.add_parser("watch", help="folders kept in sync with the library: list, add, remove, pause, resume")
    watch.add_argument("action", nargs="?", choices=["add", "remove", "pause", "resume"])
    watch.add_argument("folder", nargs="?")
    commands.add_parser("sync", help="bring the library in step with the watched folders (new, changed, moved, deleted files)")

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
    ask.add_argument("--no-adapter", action="store_true",
                     help="no adapter (by default the bundled model's recommended adapter is on)")
    ask.add_argument("--rerank", action=argparse.BooleanOptionalAction, default=None,
                     help="let the chat model judge the first 10 search results before the best are kept "
                          "(slower; default: the setting 'rerank', off)")
    ask.add_argument("--max-tokens", type=int, default=None)
    ask.add_argument("--temperature", type=float, default=None)
    ask.add_argument("--no-save", action="store_true", help="do not keep this exchange as a conversation")
    ask.add_argument("--json", action="store_true", help="print one JSON object with the answer and its sources")

    summarize = commands.add_parser("summarize", help="summarize an imported document, or answer a question about all of it")
    summarize.add_argument("path", help="the document (as imported; see `docs list`)")
    summarize.add_argument("--question", help='e.g. "What are all the deadlines?" (default: a summary)')
    summarize.add_argument("--model", help="a GGUF file, or a bundled model key")
    summarize.add_argument("--no-save", action="store_true", help="do not keep it as a conversation")
    summarize.add_argument("--json", action="store_true", help="one JSON object with the answer and its sources")

    serve = commands.add_parser("serve", help="answer from the library over the OpenAI chat API (/v1/chat/completions)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: this machine only)")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--token", help="required of every request as 'Authorization: Bearer TOKEN' (needed off 127.0.0.1)")
    serve.add_argument("--model", help="a GGUF file, or a bundled model key")

    commands.add_parser("conversations", help="list the saved conversations, newest first")
    export = commands.add_parser("export", help="a saved conversation as Markdown (sources as footnotes) or JSON")
    export.add_argument("conversation", nargs="?", type=int, help="its id (see 'conversations'; default: the newest)")
    export.add_argument("--format", choices=["markdown", "json"], help="default: from --output's suffix, else Markdown")
    export.add_argument("--output", "-o", metavar="FILE", help="write here instead of printing (never overwrites)")

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
    eval_qa = eval_commands.add_parser(
        "qa", help="end to end on a folder (docs/ + questions.jsonl): right and cited, declined, language, speed")
    eval_qa.add_argument("folder", help="e.g. resources/eval/qa-dev")
    eval_qa.add_argument("--adapter", action="append", default=[], metavar="NAME[:SCALE]")
    eval_qa.add_argument("--no-adapter", action="store_true", help="only the model as it is, no +adapter run")
    eval_qa.add_argument("--model")
    eval_qa.add_argument("--k", type=int, default=None)
    eval_qa.add_argument("--max-tokens", type=int, default=160)
    eval_qa.add_argument("--limit", type=int)
    eval_qa.add_argument("--details", metavar="FILE", help="write every answer and its scores as JSON lines")
    eval_runs = eval_commands.add_parser("runs", help="list saved evaluation runs")
    eval_runs.add_argument("--kind", choices=["retrieval", "answers", "grounding", "qa"])

    settings = commands.add_parser("settings", help="show or change settings (threads, GPU layers, context, ...)")
    settings.add_argument("assignments", nargs="*", metavar="NAME=VALUE",
                          help="e.g. n_threads=4 n_gpu_layers=99 n_ctx=8192 top_k=6 chat_model=/path/model.gguf")

    embedder = commands.add_parser("embedder", help="show the embedders, or switch to another one (re-indexes the library)")
    embedder.add_argument("choice", nargs="?", metavar="NAME_OR_FOLDER",
                          help="a bundled embedder's name or a sentence-transformers folder")

    stores = commands.add_parser("store", help="where the library lives; copy it between SQLite and PostgreSQL")
    store_commands = stores.add_subparsers(dest="store_command", required=True)
    info = store_commands.add_parser("info", help="what a store holds (default: the one in use)")
    info.add_argument("location", nargs="?", help="a store file, a data folder, or a postgresql:// URL")
    info.add_argument("--checksum", action="store_true", help="also the checksum 'store copy' compares")
    copy = store_commands.add_parser("copy", help="copy a whole library into an empty store, and check it")
    copy.add_argument("source", help="a store file, a data folder, or a postgresql:// URL")
    copy.add_argument("target", help="a new store file, or an empty postgresql:// database")

    commands.add_parser("models", help="list the chat models the app can load")
    commands.add_parser("gui", help="open the window (the default with no command)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in (None, "gui"):
        from desktop_app.ui.launch import launch_gui

        return launch_gui(args.data_dir, model_server=args.model_server, store=args.store)
    from desktop_app.cli import chat, evaluate, library, stores
    from desktop_app.core.workspace import Workspace

    try:
        workspace = Workspace.open(args.data_dir)
        workspace.settings = workspace.settings.with_overrides(model_server=args.model_server, store=args.store)
        workspace.setup_logging("cli")
        if workspace.settings_problem:
            print(f"warning: {workspace.settings_problem}", file=sys.stderr)
        handler = {
            "ingest": library.ingest, "embedder": library.embedder, "search": library.search, "docs": library.docs, "ask": chat.ask,
            "compare": chat.compare, "adapters": chat.adapters, "models": chat.models, "settings": chat.settings,
            "eval": evaluate.evaluate, "conversations": chat.conversations, "export": chat.export,
            "watch": library.watch, "sync": library.sync, "summarize": chat.summarize, "serve": chat.serve,
            "store": stores.store,
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
