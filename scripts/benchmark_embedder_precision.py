"""The bundled multilingual embedder in float32 next to cheaper arithmetic for the same weights, in
one run: bfloat16 (what sentence-transformers runs after ``model.bfloat16()``) and PyTorch's dynamic
int8 quantisation of the linear layers (per tensor or per channel). Passages/s and vector-search
nDCG@10 on BEIR-layout folders (made with scripts/squad_to_beir.py); each variant runs twice, in turn.

    .venv/bin/python scripts/benchmark_embedder_precision.py /tmp/kq/en-b /tmp/kq/ko-b \
        [--variants float32 bfloat16 openvino-float32 openvino-bfloat16 int8 int8-per-channel]
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

from desktop_app.core.embedders import E5_SMALL, bundled_embedder_dir
from desktop_app.core.embedding import run_on_openvino
from desktop_app.core.paths import default_data_dir


def load_beir(folder: Path):
    corpus = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    queries = [json.loads(line) for line in (folder / "queries.jsonl").open(encoding="utf-8")]
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        query, doc, score = line.split("\t")
        qrels.setdefault(query, {})[doc] = int(score)
    return corpus, queries, qrels


def ndcg_at_10(scores, ids, relevant: dict[str, int]) -> float:
    top = np.argsort(-scores)[:10]
    dcg = sum(relevant.get(ids[i], 0) / math.log2(rank + 2) for rank, i in enumerate(top))
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(10, len(relevant))))
    return dcg / ideal if ideal else 0.0


def encode(model: SentenceTransformer, texts: list[str], prompt: str) -> np.ndarray:
    vectors = model.encode(texts, prompt_name=prompt, batch_size=32, normalize_embeddings=True, convert_to_tensor=True)
    return vectors.float().cpu().numpy()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--variants", nargs="+", default=["float32", "bfloat16"],
                        choices=["float32", "bfloat16", "openvino-float32", "openvino-bfloat16", "int8", "int8-per-channel"])
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    folder = bundled_embedder_dir(E5_SMALL, models_dir=(args.data_dir or default_data_dir()) / "models")
    float_model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    models = {}
    for variant in args.variants:
        model = float_model if variant == "float32" else copy.deepcopy(float_model)
        if variant == "bfloat16":
            model.bfloat16()
        elif variant.startswith("openvino"):
            run_on_openvino(model, variant.split("-")[1])  # what the app's OpenVINO embedders run
        elif variant.startswith("int8"):
            spec = {torch.nn.Linear: per_channel_dynamic_qconfig} if variant.endswith("channel") else {torch.nn.Linear}
            model[0].model = quantize_dynamic(model[0].model, spec, dtype=torch.qint8)
        models[variant] = model
    for beir in args.folders:
        corpus, queries, qrels = load_beir(beir)
        texts = [(c.get("title", "") + " " + c["text"]).strip() for c in corpus]
        ids = [c["_id"] for c in corpus]
        for name, model in list(models.items()) * 2:
            started = time.perf_counter()
            passages = encode(model, texts, "passage")
            rate = len(texts) / (time.perf_counter() - started)
            asked = encode(model, [q["text"] for q in queries], "query")
            quality = np.mean([ndcg_at_10(passages @ asked[i], ids, qrels.get(q["_id"], {}))
                               for i, q in enumerate(queries)])
            print(f"{beir.name:<10} {name:<18} {rate:6.1f} passages/s  nDCG@10 {quality:.4f}", flush=True)


if __name__ == "__main__":
    main()
