"""The chat model on another machine: any OpenAI-compatible server (llama.cpp's server, llama-cpp-python's
``[server]``, vLLM, another ``desktop-app serve``), through the official ``openai`` client.

It answers to the same calls as ``ChatModel``, so retrieval, prompts, citation checks, summaries and
evaluations run unchanged. Adapters live on the server, each served under its own model name
``<model>+<adapter>`` (llama-cpp-python's config file and ``desktop-app serve`` name them so; vLLM
serves each adapter as a model name): applying an adapter picks that name, and an adapter the server
does not offer is refused with the names it does.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Iterator, Sequence

from desktop_app.core.adapters import AdapterInfo
from desktop_app.core.errors import AdapterError, ModelLoadError, ModelServerError
from desktop_app.core.gguf_info import GGUFInfo
from desktop_app.core.llm import ActiveAdapter, ChatCalls, GenerationStats, Message

REMOTE_ARCHITECTURE = "remote"
# Without the server's tokenizer, a token is counted as this many characters: low enough that Korean
# (about 1.5 characters a token for Qwen) and code are not underestimated by much; prompts are built
# with 16 tokens of slack besides.
_CHARS_PER_TOKEN = 2.5


def server_adapter_infos(names: Sequence[str]) -> list[AdapterInfo]:
    """A model server's adapters as the Adapters menu lists them (applied by name, at scale 1)."""
    return [AdapterInfo(path=Path(name), name=name, architecture=REMOTE_ARCHITECTURE, alpha=None, rank=None,
                        targets=(), layers=0, size_bytes=0, description="served by the model server, at scale 1")
            for name in names]


class RemoteChatModel(ChatCalls):
    """``RemoteChatModel(url)`` checks the server at once (``/v1/models``) and picks ``model`` or its first."""

    def __init__(self, base_url: str, *, model: str | None = None, api_key: str | None = None,
                 n_ctx: int = 4096, timeout_s: float = 600.0):
        from openai import OpenAI, OpenAIError

        self.base_url = base_url.rstrip("/")
        if not self.base_url.endswith("/v1"):
            self.base_url += "/v1"
        self._client = OpenAI(base_url=self.base_url, api_key=api_key or os.environ.get("OPENAI_API_KEY") or "none",
                              timeout=timeout_s, max_retries=0)
        started = time.perf_counter()
        try:
            offered = [m.id for m in self._client.models.list().data]
        except OpenAIError as exc:
            raise ModelLoadError(f"No OpenAI-compatible model server answers at {self.base_url}: {exc}") from exc
        if not offered:
            raise ModelLoadError(f"The model server at {self.base_url} offers no model.")
        bases = [name for name in offered if "+" not in name] or offered
        if model is not None and model not in offered:
            raise ModelLoadError(f"The model server at {self.base_url} has no model '{model}'; it offers: "
                                 + ", ".join(offered))
        self.model = model or bases[0]
        self.offered = tuple(offered)
        self.path = Path(self.model)  # what reloading it names: ``load_chat_model(path)`` with the server set
        self.info = GGUFInfo(path=self.path, version=0, tensors=(), file_size=0,
                             metadata={"general.architecture": REMOTE_ARCHITECTURE, "general.name": self.model})
        self._n_ctx = n_ctx
        self.n_threads = 0
        self.n_gpu_layers = 0
        self.load_seconds = time.perf_counter() - started
        self.last_stats: GenerationStats | None = None
        self._active: tuple[ActiveAdapter, ...] = ()
        self._lock = threading.Lock()

    # --- facts -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return f"{self.model} @ {self.base_url}"

    @property
    def n_ctx(self) -> int:
        return self._n_ctx

    @property
    def active_adapters(self) -> tuple[ActiveAdapter, ...]:
        return self._active

    @property
    def _serving(self) -> str:
        """The model name answers are asked of: ``<model>+<adapter>`` while an adapter is applied."""
        return f"{self.model}+{self._active[0].path.stem}" if self._active else self.model

    def server_adapters(self) -> list[str]:
        """The adapters the server offers for this model (the part after ``<model>+``)."""
        prefix = self.model + "+"
        return [name[len(prefix):] for name in self.offered if name.startswith(prefix)]

    # --- prompts and tokens (estimated: the server keeps its tokenizer) --------------------------

    def render(self, messages: Sequence[Message]) -> str:
        return "\n".join(f"<{m.role}>\n{m.content}" for m in messages)

    def tokenize_prompt(self, prompt: str) -> list[int]:
        return [0] * self.count_tokens(prompt)

    def count_tokens(self, text: str) -> int:
        return int(len(text) / _CHARS_PER_TOKEN) + 1

    # --- generation --------------------------------------------------------------------------

    def stream(self, messages: Sequence[Message], *, max_tokens: int = 384, temperature: float = 0.2,
               top_p: float = 0.95, seed: int | None = None, cancel: threading.Event | None = None,
               answer_prefix: str = "") -> Iterator[str]:
        """Yield the answer piece by piece; a set ``cancel`` closes the request, which stops the server's generation."""
        from openai import OpenAIError

        if answer_prefix:
            raise ValueError("an OpenAI-compatible server cannot be given the start of an answer (can_prefill)")

        with self._lock:
            started = time.perf_counter()
            first, produced, cancelled, usage = None, 0, False, None
            try:
                pieces = self._client.chat.completions.create(
                    model=self._serving, messages=[{"role": m.role, "content": m.content} for m in messages],
                    max_tokens=max_tokens, temperature=temperature, top_p=top_p, seed=seed, stream=True,
                    stream_options={"include_usage": True})
            except OpenAIError as exc:
                raise ModelServerError(f"The model server at {self.base_url} failed: {exc}") from exc
            try:
                for chunk in pieces:
                    if cancel is not None and cancel.is_set():
                        cancelled = True
                        break
                    usage = chunk.usage or usage
                    text = chunk.choices[0].delta.content if chunk.choices else None
                    if text:
                        produced += 1
                        first = first or time.perf_counter()
                        yield text
            except OpenAIError as exc:
                raise ModelServerError(f"The model server at {self.base_url} broke off: {exc}") from exc
            finally:
                with contextlib.suppress(Exception):
                    pieces.close()
                ended = time.perf_counter()
                completion = usage.completion_tokens if usage is not None and not cancelled else produced
                gen_time = ended - (first or ended)
                self.last_stats = GenerationStats(
                    # not every server reports usage when streaming: then the estimate the prompt was built with
                    prompt_tokens=usage.prompt_tokens if usage is not None else self.count_tokens(self.render(messages)),
                    completion_tokens=completion,
                    time_to_first_token_s=(first or ended) - started,
                    tokens_per_s=(completion - 1) / gen_time if completion > 1 and gen_time > 0 else 0.0,
                    total_s=ended - started, cancelled=cancelled)

    # --- adapters on the server --------------------------------------------------------------

    def set_adapters(self, adapters: Sequence[tuple[str | os.PathLike[str], float]]) -> None:
        """Serve the answers with the server's ``<model>+<adapter>``; an adapter is named by its file's stem.

        Raises:
            AdapterError: the server does not offer it, more than one is asked for, or a scale the
            server cannot apply per request (it loaded its adapters at scale 1).
        """
        active = [ActiveAdapter(Path(path), float(scale)) for path, scale in adapters if float(scale) > 0]
        if not active:
            self._active = ()
            return
        if len(active) > 1:
            raise AdapterError("The model server applies one adapter at a time (one model name each); "
                               "stacking adapters needs the local model.")
        adapter = active[0]
        name = adapter.path.stem
        if name not in self.server_adapters():
            offered = ", ".join(self.server_adapters()) or "none"
            raise AdapterError(f"The model server at {self.base_url} does not offer the adapter '{name}' for "
                               f"{self.model} (it offers: {offered}).")
        if adapter.scale != 1.0:
            raise AdapterError(f"The model server applies '{name}' at the scale it loaded it with (1.0), "
                               f"not {adapter.scale:g}.")
        self._active = (adapter,)

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "RemoteChatModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
