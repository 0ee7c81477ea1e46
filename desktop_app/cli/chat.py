"""Model and chat commands: ask, compare, adapters, models, settings, conversations and their export."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

from desktop_app.cli.library import doc_ids_for, hit_json
from desktop_app.core.adapters import model_width
from desktop_app.core.grounding import GUARD_NOTES
from desktop_app.core.errors import AppError


def parse_adapter_spec(spec: str) -> tuple[str, float]:
    name, _, scale = spec.rpartition(":") if ":" in spec else (spec, "", "1")
    try:
        return name, float(scale)
    except ValueError:
        return spec, 1.0


def ask(workspace, args) -> int:
    from dataclasses import replace

    from desktop_app.core.conversations import ChatSession

    options = _answer_options(workspace, args)
    with workspace.open_store() as store:
        doc_ids = doc_ids_for(store, args.doc)
        embedder = None if args.no_rag else workspace.make_embedder()
        with workspace.load_chat_model(args.model) as model:
            model.set_adapters(_ask_adapters(workspace, args, model))
            exchange = ChatSession(store, save=not args.no_save).ask(
                model, embedder, args.question, options=replace(options, use_retrieval=not args.no_rag, doc_ids=doc_ids),
                on_token=None if args.json else (lambda piece: print(piece, end="", flush=True)))
    answer = exchange.answer
    if exchange.not_saved:
        print(f"\n(not saved: {exchange.not_saved})", file=sys.stderr)
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False))
        return 0
    print()
    _print_verdict(answer)
    _print_sources(answer, empty_note=not args.no_rag)
    _print_stats(answer)
    return 0


def serve(workspace, args) -> int:
    import uvicorn

    from desktop_app.api import check_binding, create_app

    check_binding(args.host, args.token)
    with workspace.load_chat_model(args.model) as model:
        app = create_app(workspace, model, token=args.token)
        print(f"Serving {model.name} and the library at http://{args.host}:{args.port}/v1 "
              f"({'a token is required' if args.token else 'no token: this machine only'}); Ctrl+C stops.", flush=True)
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def summarize(workspace, args) -> int:
    from desktop_app.core.conversations import ChatSession

    path = args.path
    with workspace.open_store() as store:
        if store.document_by_path(path) is None and store.document_by_path(Path(path).resolve()) is not None:
            path = str(Path(path).resolve())
        if store.document_by_path(path) is None:
            print(f"error: {args.path} is not in the library (see `desktop-app docs list`)", file=sys.stderr)
            return 2
        last = [""]

        def show(progress) -> None:
            line = f"{progress.stage} {progress.done + (progress.stage != 'writing')}/{progress.total}"
            if line != last[0] and not args.json:
                print(f"({line})", file=sys.stderr, flush=True)
                last[0] = line

        with workspace.load_chat_model(args.model) as model:
            exchange = ChatSession(store, save=not args.no_save).summarize(
                model, path, question=args.question, on_progress=show,
                on_token=None if args.json else (lambda piece: print(piece, end="", flush=True)))
    answer = exchange.answer
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False))
        return 0
    print()
    _print_sources(answer, empty_note=False)
    _print_stats(answer)
    return 0


def _print_verdict(answer) -> None:
    """What the app changed or doubts in the streamed answer: the final text and the citations
    whose source does not hold their sentence."""
    if answer.guard in ("repetition", "wrong-script", "unsupported", "off-question", "quoted", "found",
                        "second-look"):
        print(f"\n{answer.text}")
    if answer.guard:
        hint = " Ask with --no-rag to answer without documents." if answer.guard == "no-match" else ""
        print(f"({GUARD_NOTES[answer.guard]}{hint})", file=sys.stderr)
    if answer.citations_placed:
        print(f"({answer.citations_placed} citation(s) placed by the checker, where the sources hold the sentence)",
              file=sys.stderr)
    for check in answer.checks:
        if not check.supported:
            missing = f" (not in it: {', '.join(check.missing[:6])})" if check.missing else ""
            print(f"! [{check.number}] does not support: {check.sentence}{missing}")


def _answer_options(workspace, args):
    from desktop_app.core.answering import AnswerOptions

    settings = workspace.settings
    return AnswerOptions(
        top_k=args.k if args.k is not None else settings.top_k,
        max_tokens=args.max_tokens or settings.max_answer_tokens,
        temperature=settings.temperature if args.temperature is None else args.temperature,
        rerank=settings.rerank if getattr(args, "rerank", None) is None else args.rerank)


def _ask_adapters(workspace, args, model) -> list[tuple[str, float]]:
    """--adapter as given; --no-adapter: none; else the adapter recommended for the model, if it fits.
    A model server's adapters are named as it serves them (no local file needed)."""
    if args.adapter and hasattr(model, "server_adapters"):
        return list(map(parse_adapter_spec, args.adapter))
    if args.adapter or args.no_adapter:
        return adapters_from_args(workspace, args)
    fitting = {str(a.path.resolve()) for a in workspace.adapters_for(model.info.architecture, model_width(model.info))}
    return [(p, s) for p, s in workspace.recommended_adapters(model.path) if p in fitting]


def adapters_from_args(workspace, args) -> list[tuple[str, float]]:
    return [(str(workspace.resolve_adapter(name)), scale) for name, scale in map(parse_adapter_spec, args.adapter)]


def _answer_json(answer) -> dict:
    return {"answer": answer.text, "model": answer.model, "adapters": [list(a) for a in answer.adapters],
            "used_retrieval": answer.used_retrieval, "cited": list(answer.cited),
            "guard": answer.guard, "withheld": answer.withheld, "citations_placed": answer.citations_placed,
            "searched_as": answer.searched_as,
            "citations": [c.as_json() for c in answer.checks], "unsupported": list(answer.unsupported),
            "sources": [{"number": s.number, **hit_json(s.hit)} for s in answer.sources],
            "stats": answer.stats.__dict__ if answer.stats else None, "timings": answer.timings.as_json()}


def _print_sources(answer, *, empty_note: bool) -> None:
    if answer.sources:
        print("\nSources:")
        for source in answer.sources:
            mark = "*" if source.number in answer.cited else " "
            print(f"{mark}{source.label}  (score {source.hit.score:.4f})  {source.hit.doc_path}")
    elif empty_note:
        print("\n(No sources: the library is empty or nothing matched.)")


def _print_stats(answer) -> None:
    stats, timings = answer.stats, answer.timings
    if stats:
        print(f"\n{stats.completion_tokens} tokens, {stats.tokens_per_s:.1f} tok/s, "
              f"first token after {stats.time_to_first_token_s:.2f} s", file=sys.stderr)
        reranking = f"reranking {timings.rerank_s:.2f} s, " if timings.rerank_s else ""
        print(f"search {timings.retrieval_s:.2f} s, {reranking}prompt {timings.prompt_s:.2f} s ({timings.prompt_tokens} tokens, "
              f"{timings.cached_tokens} cached), writing {timings.generation_s:.2f} s, checks {timings.checks_s:.2f} s",
              file=sys.stderr)


def compare(workspace, args) -> int:
    from desktop_app.core.answering import compare

    options = _answer_options(workspace, args)
    with workspace.open_store() as store, workspace.load_chat_model(args.model) as model:
        adapters = adapters_from_args(workspace, args)
        adapters = adapters or workspace.default_adapters(model.info.architecture, model_width(model.info))
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


def adapters(workspace, args) -> int:
    if workspace.settings.model_server:
        with workspace.load_chat_model() as model:
            for name in model.server_adapters():
                print(f"{name}\tserved as {model.model}+{name} by {model.base_url}")
            if not model.server_adapters():
                print(f"The model server at {model.base_url} offers no adapters for {model.model}.", file=sys.stderr)
        return 0
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


def settings(workspace, args) -> int:
    from dataclasses import asdict, fields

    current = workspace.settings
    types = {f.name: type(getattr(current, f.name)) for f in fields(current) if f.name not in ("version", "active_adapters")}
    changes = {}
    for assignment in args.assignments:
        name, sep, value = assignment.partition("=")
        if not sep or name not in types:
            raise AppError(f"'{assignment}': expected NAME=VALUE with NAME one of {', '.join(sorted(types))}")
        try:
            changes[name] = _setting_value(types[name], value)
        except ValueError as exc:
            raise AppError(f"'{assignment}': {exc}") from exc
    if changes:
        workspace.save_settings(current.with_changes(**changes))
    for name, value in asdict(workspace.settings).items():
        print(f"{name} = {value}")
    print(f"(stored in {workspace.data.settings})", file=sys.stderr)
    return 0


def _setting_value(kind: type, value: str):
    if kind is bool:
        words = {"true": True, "on": True, "yes": True, "1": True, "false": False, "off": False, "no": False, "0": False}
        if value.lower() not in words:
            raise ValueError(f"expected true or false, not {value!r}")
        return words[value.lower()]
    return kind(value)


def models(workspace, args) -> int:
    current = workspace.chat_model_path()
    for path in workspace.available_chat_models():
        print(f"{'*' if path == current else ' '} {path.name}\t{path.stat().st_size / 1e6:.0f} MB\t{path}")
    return 0


def conversations(workspace, args) -> int:
    with workspace.open_store() as store:
        saved = store.conversations.all()
    for chat in saved:
        print(f"{chat.id:>5}  {datetime.datetime.fromtimestamp(chat.updated_at):%Y-%m-%d %H:%M}  {chat.title}")
    if not saved:
        print("No saved conversations.")
    return 0


def export(workspace, args) -> int:
    from desktop_app.core.export import export_conversation, format_for

    output = Path(args.output) if args.output else None
    if output is not None and output.exists():
        print(f"error: {output} exists; choose another file name", file=sys.stderr)
        return 2
    with workspace.open_store() as store:
        saved = store.conversations.all()
        wanted = [c for c in saved if args.conversation is None or c.id == args.conversation][:1]
        if not wanted:
            print("error: " + (f"no conversation {args.conversation} (see 'desktop-app conversations')"
                               if args.conversation is not None else "no saved conversations"), file=sys.stderr)
            return 2
        text = export_conversation(store, wanted[0], args.format or (format_for(output) if output else "markdown"))
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"Wrote {output}")
    return 0
