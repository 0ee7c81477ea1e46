"""Speed benchmarks (run by hand; prints tables). Compares our generation path with plain
llama-cpp-python in the same run, LoRA on vs off, and adapter switch vs model reload.

    .venv/bin/python scripts/benchmark.py [--adapter models/adapters/grounded-citations.gguf] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from desktop_app.core.llm import ChatModel, Message  # noqa: E402
from desktop_app.core.workspace import Workspace  # noqa: E402

PROMPT = [Message("system", "You are a helpful assistant."),
          Message("user", "Explain in detail how a wind turbine turns wind into electricity.")]


def timed_generation(model: ChatModel, tokens: int) -> tuple[float, float]:
    model._clear_cache()
    model.complete(PROMPT, max_tokens=tokens, temperature=0.0)
    stats = model.last_stats
    return stats.tokens_per_s, stats.time_to_first_token_s


def raw_generation(llama, prompt: str, tokens: int) -> float:
    llama.reset()
    first = None
    count = 0
    for _ in llama.create_completion(prompt, max_tokens=tokens, temperature=0.0, stream=True):
        count += 1
        if first is None:
            first = time.perf_counter()
    return (count - 1) / (time.perf_counter() - first)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--adapter", default="models/adapters/grounded-citations.gguf")
    parser.add_argument("--model", default=None)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    workspace = Workspace.open(args.data_dir)
    path = workspace.chat_model_path(args.model)
    threads = args.threads or workspace.settings.n_threads

    started = time.perf_counter()
    model = ChatModel(path, n_ctx=2048, n_threads=threads)
    reload_s = time.perf_counter() - started
    prompt = model.render(PROMPT)

    from llama_cpp import Llama

    raw = Llama(model_path=str(path), n_ctx=2048, n_threads=threads, n_threads_batch=threads, verbose=False)
    rows = []
    ours = [timed_generation(model, args.tokens) for _ in range(args.runs)]
    plain = [raw_generation(raw, prompt, args.tokens) for _ in range(args.runs)]
    raw.close()
    ours_tps = statistics.median(t for t, _ in ours)
    plain_tps = statistics.median(plain)
    rows.append(("plain llama-cpp-python", f"{plain_tps:.1f}", "1.00"))
    rows.append(("desktop-app ChatModel", f"{ours_tps:.1f}", f"{ours_tps / plain_tps:.2f}"))
    switch_ms = []
    if Path(args.adapter).exists():
        model.set_adapters([(args.adapter, 1.0)])
        with_adapter = [timed_generation(model, args.tokens) for _ in range(args.runs)]
        lora_tps = statistics.median(t for t, _ in with_adapter)
        rows.append((f"ChatModel + {Path(args.adapter).name}", f"{lora_tps:.1f}", f"{lora_tps / plain_tps:.2f}"))
        for _ in range(10):
            started = time.perf_counter()
            model.set_adapters([])
            model.set_adapters([(args.adapter, 1.0)])
            switch_ms.append((time.perf_counter() - started) / 2 * 1000)
    model.close()

    print(f"model: {path.name}, threads: {threads}, {args.tokens} tokens, median of {args.runs} runs\n")
    print(f"{'generation':<48}{'tok/s':>10}{'ratio':>10}")
    for name, tps, ratio in rows:
        print(f"{name:<48}{tps:>10}{ratio:>10}")
    if switch_ms:
        print(f"\n{'adapter switch (live, cache cleared)':<48}{statistics.median(switch_ms):>9.2f} ms")
        print(f"{'model reload (what a reload-based switch costs)':<48}{reload_s * 1000:>9.0f} ms")
        print(f"{'reload / switch':<48}{reload_s * 1000 / statistics.median(switch_ms):>9.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
