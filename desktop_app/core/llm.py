"""The chat model: a GGUF file run by llama-cpp-python, streaming, cancellable, with live LoRA adapters.

One ``ChatModel`` owns one ``Llama``; it is not thread-safe, so one worker thread drives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from desktop_app.core.adapters import check_adapter_fits
from desktop_app.core.errors import AdapterError, ModelLoadError
from desktop_app.core.gguf_info import GGUFFormatError, GGUFInfo, read_gguf_info
from desktop_app.core.settings import default_threads

# Gemma's turn format, for Gemma GGUFs that carry no chat template (the bundled 270M base).
_GEMMA_TEMPLATE = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] + '\n\n' %}"
    "{% set messages = messages[1:] %}{% else %}{% set system = '' %}{% endif %}"
    "{% for m in messages %}{% set role = 'model' if m['role'] == 'assistant' else 'user' %}"
    "<start_of_turn>{{ role }}\n{% if loop.first %}{{ system }}{% endif %}{{ m['content'] }}<end_of_turn>\n"
    "{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
# A plain transcript for any other model without a template.
_TRANSCRIPT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}{% if m['role'] == 'system' %}{{ m['content'] }}\n\n"
    "{% elif m['role'] == 'user' %}User: {{ m['content'] }}\n{% else %}Assistant: {{ m['content'] }}\n"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}Assistant:{% endif %}"
)


@dataclass(frozen=True)
class Message:
    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class GenerationStats:
    prompt_tokens: int
    completion_tokens: int
    time_to_first_token_s: float
    tokens_per_s: float
    total_s: float
    cancelled: bool
    cached_tokens: int = 0  # the prompt's first tokens found in the KV cache, not processed again


@dataclass(frozen=True)
class ActiveAdapter:
    path: Path
    scale: float


def _available_memory_bytes() -> int | None:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class ChatCalls:
    """The calls a chat model (local or on a server) builds on its ``stream`` and ``set_adapters``."""

    # Whether ``stream`` can begin the answer with given words (``answer_prefix``): the local model
    # can, since it writes the prompt itself; an OpenAI-compatible server cannot.
    can_prefill = False

    def complete(self, messages: Sequence[Message], **options) -> str:
        return "".join(self.stream(messages, **options))

    @contextlib.contextmanager
    def adapters_applied(self, adapters: Sequence[tuple[str | os.PathLike[str], float]]) -> Iterator[None]:
        """Apply ``adapters`` for the ``with`` block, then restore the ones active before it."""
        before = [(str(a.path), a.scale) for a in self.active_adapters]
        self.set_adapters(adapters)
        try:
            yield
        finally:
            self.set_adapters(before)


class ChatModel(ChatCalls):
    """Load with ``ChatModel(path, ...)``; free with ``close()`` (or ``with``)."""

    can_prefill = True

    def __init__(self, path: str | os.PathLike[str], *, n_ctx: int = 4096, n_threads: int | None = None,
                 n_gpu_layers: int = 0, seed: int = 0):
        self.path = Path(path)
        self.info = self._check_file(self.path, n_gpu_layers)
        self.n_threads = n_threads or default_threads()
        self.n_gpu_layers = n_gpu_layers
        self._lock = threading.Lock()
        self._adapters: dict[Path, object] = {}
        self._active: tuple[ActiveAdapter, ...] = ()
        self.last_stats: GenerationStats | None = None
        self.load_seconds = 0.0
        started = time.perf_counter()
        try:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=str(self.path), n_ctx=n_ctx, n_threads=self.n_threads, n_threads_batch=self.n_threads,
                n_gpu_layers=n_gpu_layers, seed=seed, verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelLoadError(
                f"llama.cpp could not load {self.path.name} ({exc}). The file may be truncated, or made for "
                "an architecture this llama.cpp does not know."
            ) from exc
        self.load_seconds = time.perf_counter() - started
        self._formatter = self._make_formatter()

    @staticmethod
    def _check_file(path: Path, n_gpu_layers: int) -> GGUFInfo:
        if not path.exists():
            raise ModelLoadError(f"The model file {path} does not exist.")
        try:
            info = read_gguf_info(path)
        except GGUFFormatError as exc:
            raise ModelLoadError(f"Cannot load {path.name}: {exc}") from exc
        if info.file_type == "adapter":
            raise ModelLoadError(f"{path.name} is a LoRA adapter, not a model: add it from the adapter menu.")
        available = _available_memory_bytes()
        if n_gpu_layers == 0 and available is not None and info.file_size > available * 0.9:
            raise ModelLoadError(
                f"{path.name} needs about {info.file_size / 2**30:.1f} GiB, more than the "
                f"{available / 2**30:.1f} GiB of memory available now."
            )
        return info

    def _make_formatter(self):
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self.info.chat_template
        if template is None:
            template = _GEMMA_TEMPLATE if self.info.architecture.startswith("gemma") else _TRANSCRIPT_TEMPLATE
        model = self._llama._model
        eos_id, bos_id = self._llama.token_eos(), self._llama.token_bos()
        eos = model.token_get_text(eos_id) if eos_id != -1 else ""
        bos = model.token_get_text(bos_id) if bos_id != -1 else ""
        self._stops = [s for s in {eos, "<end_of_turn>", "<|im_end|>"} if s] if template is not _TRANSCRIPT_TEMPLATE \
            else [s for s in (eos, "\nUser:") if s]
        return Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos)

    # --- facts -------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def n_ctx(self) -> int:
        return self._llama.n_ctx()

    @property
    def uses_template_from_file(self) -> bool:
        return self.info.chat_template is not None

    @property
    def active_adapters(self) -> tuple[ActiveAdapter, ...]:
        return self._active

    # --- prompts and tokens ------------------------------------------------------------------

    def render(self, messages: Sequence[Message]) -> str:
        return self._formatter(messages=[{"role": m.role, "content": m.content} for m in messages]).prompt

    def tokenize_prompt(self, prompt: str) -> list[int]:
        template_wrote_bos = bool(self._formatter.bos_token) and prompt.startswith(self._formatter.bos_token)
        return self._llama.tokenize(prompt.encode("utf-8"), add_bos=not template_wrote_bos, special=True)

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # --- generation --------------------------------------------------------------------------

    def stream(self, messages: Sequence[Message], *, max_tokens: int = 384, temperature: float = 0.2,
               top_p: float = 0.95, seed: int | None = None, cancel: threading.Event | None = None,
               answer_prefix: str = "") -> Iterator[str]:
        """Yield the answer piece by piece; stops between tokens when ``cancel`` is set. With
        ``answer_prefix`` the answer begins with those words (not yielded): the model goes on from them.

        ``last_stats`` holds the timing of the finished (or cancelled) generation.
        """
        with self._lock:
            tokens = self.tokenize_prompt(self.render(messages) + answer_prefix)
            room = self.n_ctx - len(tokens)
            if room < 8:
                raise ValueError(f"The prompt ({len(tokens)} tokens) does not fit the context ({self.n_ctx}).")
            cached = self._cached_prefix(tokens)
            started = time.perf_counter()
            first = None
            produced = 0
            cancelled = False
            if seed is not None:
                self._llama.set_seed(seed)
            pieces = self._llama.create_completion(
                prompt=tokens, max_tokens=min(max_tokens, room), temperature=temperature, top_p=top_p,
                stop=self._stops, stream=True,
            )
            try:
                for chunk in pieces:
                    if cancel is not None and cancel.is_set():
                        cancelled = True
                        break
                    text = chunk["choices"][0]["text"]
                    produced += 1
                    if first is None:
                        first = time.perf_counter()
                    if text:
                        yield text
            finally:
                with contextlib.suppress(Exception):
                    pieces.close()
                ended = time.perf_counter()
                gen_time = ended - (first or ended)
                self.last_stats = GenerationStats(
                    prompt_tokens=len(tokens), completion_tokens=produced,
                    time_to_first_token_s=(first or ended) - started,
                    tokens_per_s=(produced - 1) / gen_time if produced > 1 and gen_time > 0 else 0.0,
                    total_s=ended - started, cancelled=cancelled, cached_tokens=cached,
                )

    def yes_margin(self, messages: Sequence[Message]) -> float:
        """How much likelier the model's reply begins with "yes" than with "no": log P(yes) - log P(no)
        of the first token it would write (any case), read from one pass over the prompt, nothing
        generated. The prompt's first tokens shared with the previous call are taken from the cache."""
        import numpy as np

        with self._lock:
            tokens = self.tokenize_prompt(self.render(messages))
            if len(tokens) >= self.n_ctx:
                raise ValueError(f"The prompt ({len(tokens)} tokens) does not fit the context ({self.n_ctx}).")
            self._llama.n_tokens = self._cached_prefix(tokens)
            self._llama.eval(tokens[self._llama.n_tokens:])
            logits = np.ctypeslib.as_array(self._llama._ctx.get_logits_ith(-1), shape=(self._llama.n_vocab(),))
            shifted = logits - logits.max()
            log_total = np.log(np.exp(shifted).sum())

            def log_p(words: tuple[str, ...]) -> float:
                ids = {self._llama.tokenize(w.encode(), add_bos=False, special=False)[0] for w in words}
                return float(np.log(np.exp(shifted[list(ids)]).sum()) - log_total)

            return log_p(("yes", "Yes", "YES")) - log_p(("no", "No", "NO"))

    def _cached_prefix(self, tokens: Sequence[int]) -> int:
        """How many of ``tokens`` llama.cpp will take from the KV cache of the previous generation
        (it keeps the longest common prefix and evaluates only the rest, always the last token)."""
        previous = self._llama._input_ids
        common = 0
        for old, new in zip(previous, tokens[:-1]):
            if old != new:
                break
            common += 1
        return common

    # --- live LoRA adapters ------------------------------------------------------------------

    def set_adapters(self, adapters: Sequence[tuple[str | os.PathLike[str], float]]) -> None:
        """Apply exactly these adapters (with scales 0..2) on the live context; no model reload.

        Each adapter file is checked against the model and loaded once. The KV/prompt cache is
        cleared whenever the set changes, so no output is shaped by a previous adapter.

        Raises:
            AdapterError: an adapter does not fit or cannot be loaded; the active set is unchanged.
        """
        import llama_cpp

        wanted: list[ActiveAdapter] = []
        for path, scale in adapters:
            if not 0.0 <= float(scale) <= 2.0:
                raise AdapterError(f"Adapter scale {scale} is outside 0..2.")
            wanted.append(ActiveAdapter(Path(path).resolve(), float(scale)))
        with self._lock:
            for adapter in wanted:
                if adapter.path not in self._adapters:
                    check_adapter_fits(adapter.path, self.info)
                    handle = llama_cpp.llama_adapter_lora_init(self._llama._model.model, str(adapter.path).encode())
                    if not handle:
                        raise AdapterError(f"llama.cpp refused the adapter {adapter.path.name}.")
                    self._adapters[adapter.path] = handle
            active = [a for a in wanted if a.scale > 0]
            if tuple(active) == self._active:
                return
            if active:
                handles = (llama_cpp.llama_adapter_lora_p_ctypes * len(active))(
                    *[self._adapters[a.path] for a in active])
                scales = (ctypes.c_float * len(active))(*[a.scale for a in active])
                status = llama_cpp.llama_set_adapters_lora(self._llama._ctx.ctx, handles, len(active), scales)
            else:
                status = llama_cpp.llama_set_adapters_lora(self._llama._ctx.ctx, None, 0, None)
            if status != 0:
                raise AdapterError(f"llama.cpp could not apply the adapters (status {status}).")
            self._active = tuple(active)
            self._clear_cache()

    def _clear_cache(self) -> None:
        import llama_cpp

        self._llama.reset()
        memory = llama_cpp.llama_get_memory(self._llama._ctx.ctx)
        if memory is not None:
            llama_cpp.llama_memory_clear(memory, True)

    # --- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        import llama_cpp

        with self._lock:
            if getattr(self, "_llama", None) is None:
                return
            if self._active:
                llama_cpp.llama_set_adapters_lora(self._llama._ctx.ctx, None, 0, None)
            for handle in self._adapters.values():
                llama_cpp.llama_adapter_lora_free(handle)
            self._adapters.clear()
            self._active = ()
            self._llama.close()
            self._llama = None

    def __enter__(self) -> "ChatModel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
