"""``desktop-app serve``: the library and its answers behind the OpenAI chat API (FastAPI on uvicorn).

``POST /v1/chat/completions`` answers the last user message with the same retrieval, prompt,
citation checks and adapters as the window; the earlier messages are the conversation's history.
The sources come back in an extra ``sources`` field (of the response, or of the last chunk when
streaming). Extra request fields: ``retrieval`` (false: answer without the library), ``documents``
(paths of imported documents to answer from; matched against the library, never opened) and
``adapters`` ([{"name", "scale"}]); a model name ``<model>+<adapter>`` picks that adapter at scale 1.
One answer is generated at a time; up to ``MAX_WAITING`` more wait their turn, others get 429. A
client that goes away stops its generation. Bound to 127.0.0.1 unless told otherwise; anywhere
else it needs a token, which every request must then bring as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

from desktop_app.core.answering import AnswerOptions, answer_question
from desktop_app.core.errors import AppError
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import Answer
from desktop_app.core.workspace import Workspace

MAX_WAITING = 4


class ServeError(AppError):
    pass


@dataclass
class _Request:
    question: str
    history: list[Message]
    stream: bool
    options: AnswerOptions
    adapters: list[tuple[str, float]]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    if not is_loopback(host) and not token:
        raise ServeError(f"Serving on {host} makes your documents reachable from other machines: "
                         "give a token (--token) that every request must bring as 'Authorization: Bearer <token>'.")


def create_app(workspace: Workspace, model: ChatModel, *, token: str | None = None) -> FastAPI:
    app = FastAPI(title="desktop-app", version="1")
    turn = threading.Lock()  # one generation at a time on the local model
    waiting = {"count": 0}
    embedder = workspace.make_embedder()
    model_id = Path(model.name).stem

    def adapters_by_name() -> dict[str, str]:
        from desktop_app.core.adapters import model_width

        return {a.path.stem: str(a.path) for a in workspace.adapters_for(model.info.architecture, model_width(model.info))}

    def error(status: int, message: str, kind: str = "invalid_request_error"):
        return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)

    @app.middleware("http")
    async def require_token(request: Request, call_next):
        if token is not None:
            given = request.headers.get("authorization", "")
            if not secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
                return error(401, "Missing or wrong token: send 'Authorization: Bearer <token>'.", "authentication_error")
        return await call_next(request)

    @app.get("/v1/models")
    def models() -> dict:
        created = int(time.time())
        names = [model_id] + [f"{model_id}+{name}" for name in sorted(adapters_by_name())]
        return {"object": "list", "data": [{"id": n, "object": "model", "created": created, "owned_by": "desktop-app"}
                                           for n in names]}

    @app.post("/v1/chat/completions")
    async def chat_completions(request: Request):
        try:
            body = await request.json()
            parsed = parse_request(body, model_id, adapters_by_name(), workspace)
        except (ValueError, json.JSONDecodeError) as exc:
            return error(400, str(exc))
        if waiting["count"] >= MAX_WAITING + 1:
            return error(429, f"Busy: one answer is being written and {MAX_WAITING} wait; try again shortly.",
                         "rate_limit_error")
        cancel = threading.Event()
        pieces: asyncio.Queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        waiting["count"] += 1

        def generate() -> Answer:
            with turn:
                if cancel.is_set():
                    raise ServeError("the client went away")
                with workspace.open_store() as store, model.adapters_applied(parsed.adapters):
                    return answer_question(model, store, embedder if parsed.options.use_retrieval else None,
                                           parsed.question, options=parsed.options, history=parsed.history,
                                           on_token=lambda piece: loop.call_soon_threadsafe(pieces.put_nowait, piece),
                                           cancel=cancel)

        job = loop.run_in_executor(None, generate)
        job.add_done_callback(lambda _: waiting.__setitem__("count", waiting["count"] - 1))
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        if not parsed.stream:
            try:
                while not job.done():
                    if await request.is_disconnected():
                        cancel.set()
                    await asyncio.sleep(0.2)
                answer = job.result()
            except AppError as exc:
                return error(400, str(exc))
            return completion_json(completion_id, body.get("model") or model_id, answer)

        async def events():
            try:
                yield _sse(_chunk(completion_id, body.get("model") or model_id, {"role": "assistant", "content": ""}))
                while not (job.done() and pieces.empty()):
                    try:
                        piece = await asyncio.wait_for(pieces.get(), timeout=0.25)
                    except asyncio.TimeoutError:
                        continue
                    yield _sse(_chunk(completion_id, body.get("model") or model_id, {"content": piece}))
                try:
                    answer = job.result()
                except AppError as exc:
                    yield _sse({"error": {"message": str(exc), "type": "server_error"}})
                    return
                final = _chunk(completion_id, body.get("model") or model_id, {}, finish_reason="stop")
                final.update(answer_extras(answer))
                yield _sse(final)
                yield "data: [DONE]\n\n"
            finally:
                if not job.done():
                    cancel.set()  # the client closed the stream

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


def parse_request(body: Any, model_id: str, adapters: dict[str, str], workspace: Workspace) -> _Request:
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
        raise ValueError("'messages' must be a non-empty list of {role, content}")
    messages = []
    for message in body["messages"]:
        if not isinstance(message, dict) or message.get("role") not in ("system", "user", "assistant"):
            raise ValueError("each message needs a role (system, user or assistant) and a content")
        content = message.get("content") or ""
        if isinstance(content, list):  # the content-parts form: keep the text parts
            content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
        messages.append(Message(message["role"], str(content)))
    if messages[-1].role != "user" or not messages[-1].content.strip():
        raise ValueError("the last message must be the user's question")
    chosen: list[tuple[str, float]] = []
    requested = str(body.get("model") or model_id)
    if "+" in requested:
        chosen.append((requested.partition("+")[2], 1.0))
    for item in body.get("adapters") or []:
        if not isinstance(item, dict) or "name" not in item:
            raise ValueError("'adapters' must be a list of {name, scale}")
        chosen.append((str(item["name"]), float(item.get("scale", 1.0))))
    missing = [name for name, _ in chosen if name not in adapters]
    if missing:
        raise ValueError(f"no adapter {', '.join(missing)} for this model; GET /v1/models lists them")
    doc_ids = None
    if body.get("documents") is not None:
        with workspace.open_store(read_only=True) as store:
            doc_ids = tuple(store.doc_ids_for_paths(str(p) for p in body["documents"]))
        if not doc_ids:
            raise ValueError("none of 'documents' is in the library (use the paths as imported)")
    options = AnswerOptions(use_retrieval=bool(body.get("retrieval", True)), top_k=workspace.settings.top_k,
                            doc_ids=doc_ids, max_tokens=int(body.get("max_tokens") or body.get("max_completion_tokens")
                                                            or workspace.settings.max_answer_tokens),
                            temperature=float(body.get("temperature", workspace.settings.temperature)),
                            rerank=workspace.settings.rerank)
    return _Request(messages[-1].content, [m for m in messages[:-1] if m.role != "system"], bool(body.get("stream")),
                    options, [(adapters[name], scale) for name, scale in chosen])


def answer_extras(answer: Answer) -> dict:
    return {"sources": [{"number": s.number, "file": s.hit.doc_path, "page": s.hit.page, "score": s.hit.score,
                         "text": s.hit.text, "cited": s.number in answer.cited,
                         "supported": s.number not in answer.unsupported} for s in answer.sources],
            "guard": answer.guard}


def completion_json(completion_id: str, model_name: str, answer: Answer) -> dict:
    stats = answer.stats
    return {"id": completion_id, "object": "chat.completion", "created": int(time.time()), "model": model_name,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer.text},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": stats.prompt_tokens if stats else 0,
                      "completion_tokens": stats.completion_tokens if stats else 0,
                      "total_tokens": (stats.prompt_tokens + stats.completion_tokens) if stats else 0},
            **answer_extras(answer)}


def _chunk(completion_id: str, model_name: str, delta: dict, finish_reason: str | None = None) -> dict:
    return {"id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model_name,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}


def _sse(payload: dict) -> str:
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
