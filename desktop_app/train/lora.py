"""Fine-tune a LoRA adapter on a bundled GGUF model and write it as a GGUF adapter for llama.cpp.

transformers loads the GGUF (dequantized to float32) on the CPU; peft adds LoRA to the attention
projections; the loss is taken on the answer tokens only, and logits are computed only there (the
vocabulary projection is a large share of the cost). The result goes through the same path as
any user adapter: ``write_lora_gguf`` → ``ChatModel.set_adapters``.

    python -m desktop_app.train.lora --data synthetic --out models/adapters/grounded-citations.gguf   # the shipped one
    python -m desktop_app.train.lora --init models/adapters/grounded-citations.gguf --steps 300 --lr 2e-4 --out v2.gguf
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from desktop_app.train.lora_gguf import write_lora_gguf
from desktop_app.core.rag import SYSTEM_WITH_SOURCES, format_source_block, user_turn
from desktop_app.core.grounding_data import GroundingExample, make_examples
from desktop_app.core.reading_data import ReadingExample, make_reading_examples

# transformers module name -> llama.cpp tensor name (both bundled architectures use these)
GGUF_NAMES = {"q_proj": "attn_q", "k_proj": "attn_k", "v_proj": "attn_v", "o_proj": "attn_output",
              "gate_proj": "ffn_gate", "up_proj": "ffn_up", "down_proj": "ffn_down"}
_LORA_PARAM = re.compile(r"layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)\.lora_([AB])\.default\.weight$")


def source_file_names(example: GroundingExample | ReadingExample,
                      rng: random.Random) -> list[tuple[str, int | None]]:
    kinds = ["notes-{i}.md", "report-{i}.pdf", "memo-{i}.txt", "page-{i}.html"]
    out = []
    for i in range(len(example.sources)):
        name = rng.choice(kinds).format(i=rng.randint(1, 99))
        out.append((name, rng.randint(1, 30) if name.endswith(".pdf") else None))
    return out


def chat_messages(example: GroundingExample | ReadingExample, rng: random.Random) -> list[dict]:
    """The messages exactly as the app sends them: earlier turns as plain text, sources in the last."""
    blocks = [format_source_block(i + 1, name, page, text)
              for i, ((name, page), text) in enumerate(zip(source_file_names(example, rng), example.sources))]
    history = []
    for question, answer in getattr(example, "history", []):
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return [{"role": "system", "content": SYSTEM_WITH_SOURCES}, *history,
            {"role": "user", "content": user_turn(example.question, blocks)}]


def training_examples(data: str, count: int, seed: int) -> list:
    """"reading": sources shaped like real retrieved chunks (core.reading_data); "synthetic": the
    first adapter's short one-line facts (core.grounding_data)."""
    if data == "reading":
        return make_reading_examples(count, seed=seed, split="train")
    return make_examples(count, seed=seed, split="train")


def load_initial_lora(model, path: Path) -> int:
    """Start from an existing GGUF LoRA adapter (same base): copy its A and B into peft's weights."""
    import gguf
    import torch

    tensors = {t.name: t.data for t in gguf.GGUFReader(str(path)).tensors}
    loaded = 0
    with torch.no_grad():
        for param_name, param in model.named_parameters():
            match = _LORA_PARAM.search(param_name)
            if not match:
                continue
            layer, module, which = match.groups()
            name = f"blk.{layer}.{GGUF_NAMES[module]}.weight.lora_{which.lower()}"
            if name in tensors and tuple(tensors[name].shape) == tuple(param.shape):
                param.copy_(torch.from_numpy(tensors[name].copy()))
                loaded += 1
    return loaded


def encode(tokenizer, example: GroundingExample | ReadingExample, rng: random.Random, end_of_turn: str):
    prompt = tokenizer.apply_chat_template(chat_messages(example, rng), tokenize=False, add_generation_prompt=True)
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    answer_ids = tokenizer(example.answer + end_of_turn, add_special_tokens=False)["input_ids"]
    return prompt_ids, answer_ids


def train(*, base_gguf: Path, out: Path, steps: int, rank: int, alpha: float, lr: float, seed: int,
          threads: int, targets: list[str], data: str = "reading", init: Path | None = None,
          log_every: int = 10) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    started = time.time()
    folder, name = str(base_gguf.parent), base_gguf.name
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    architecture = model.config.model_type  # "qwen2", "gemma3_text", ...
    gguf_arch = {"gemma3_text": "gemma3"}.get(architecture, architecture)
    end_of_turn = "<|im_end|>" if "qwen" in architecture else "<end_of_turn>"
    model = get_peft_model(model, LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=0.0, target_modules=targets,
                                             bias="none", task_type="CAUSAL_LM"))
    initial = load_initial_lora(model, init) if init is not None else 0
    load_s = time.time() - started
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / 10) * max(0.1, 1 - step / steps))
    rng = random.Random(seed)
    examples = training_examples(data, steps, seed)
    decoder = model.base_model.model.model  # the transformer body, without the vocabulary head
    head = model.base_model.model.lm_head
    model.train()
    losses = []
    for step, example in enumerate(examples):
        prompt_ids, answer_ids = encode(tokenizer, example, rng, end_of_turn)
        ids = torch.tensor([prompt_ids + answer_ids])
        hidden = decoder(input_ids=ids).last_hidden_state
        # logits only where the loss is taken: positions that predict the answer tokens
        positions = torch.arange(len(prompt_ids) - 1, len(prompt_ids) + len(answer_ids) - 1)
        logits = head(hidden[0, positions])
        loss = torch.nn.functional.cross_entropy(logits.float(), torch.tensor(answer_ids))
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if (step + 1) % log_every == 0:
            recent = sum(losses[-log_every:]) / log_every
            print(f"step {step + 1}/{steps}  loss {recent:.3f}  {time.time() - started:.0f} s", flush=True)
    tensors = {}
    pending: dict[str, dict[str, object]] = {}
    for param_name, param in model.named_parameters():
        match = _LORA_PARAM.search(param_name)
        if not match:
            continue
        layer, module, which = match.groups()
        weight = f"blk.{layer}.{GGUF_NAMES[module]}.weight"
        pending.setdefault(weight, {})[which] = param.detach().float().numpy()
    for weight, pair in pending.items():
        tensors[weight] = (pair["A"], pair["B"])
    recipe = {"base": name, "data": data, "init": init.name if init is not None else None,
              "initial_tensors": initial, "steps": steps, "rank": rank, "alpha": alpha, "lr": lr, "seed": seed,
              "targets": targets, "train_seconds": round(time.time() - started - load_s), "load_seconds": round(load_s),
              "final_loss": round(sum(losses[-20:]) / max(1, len(losses[-20:])), 4)}
    description = ("Answers from the numbered sources only, cites them as [n], and says 'The documents do not say.' "
                   "when they lack the answer. Recipe: " + json.dumps(recipe))
    write_lora_gguf(out, architecture=gguf_arch, alpha=alpha, tensors=tensors, name=out.stem, description=description)
    return recipe


def main(argv: list[str] | None = None) -> int:
    from desktop_app.core.models import BUNDLED_CHAT_MODELS
    from desktop_app.core.workspace import Workspace

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="qwen2.5-coder-0.5b-instruct",
                        help="a bundled model key or a GGUF path")
    parser.add_argument("--out", default="models/adapters/grounded-citations.gguf")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16.0)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--targets", default="q_proj,k_proj,v_proj,o_proj")
    parser.add_argument("--data-dir", help="where the bundled models are assembled")
    parser.add_argument("--data", choices=["reading", "synthetic"], default="reading",
                        help="reading: realistic retrieved chunks (default); synthetic: one-line facts")
    parser.add_argument("--init", help="start from this GGUF LoRA adapter (made for the same base)")
    args = parser.parse_args(argv)
    keys = {m.key for m in BUNDLED_CHAT_MODELS}
    base = Workspace.open(args.data_dir).chat_model_path(args.base) if args.base in keys else Path(args.base)
    recipe = train(base_gguf=base, out=Path(args.out), steps=args.steps, rank=args.rank, alpha=args.alpha,
                   lr=args.lr, seed=args.seed, threads=args.threads, targets=args.targets.split(","),
                   data=args.data, init=Path(args.init) if args.init else None)
    print(json.dumps(recipe, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
