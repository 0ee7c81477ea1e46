"""Grounding evaluation on held-out synthetic questions (invented facts, names the training set
never used): does the model answer from the sources, cite the right [n], and abstain when the
sources lack the answer? Used to measure the shipped citation adapter against the base model."""

from __future__ import annotations

import random
import threading
from typing import Callable, Sequence

from desktop_app.core.answering import Configuration
from desktop_app.core.grounding import abstains
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import SYSTEM_WITH_SOURCES, cited_numbers, format_source_block, user_turn
from desktop_app.core.grounding_data import GroundingExample, make_examples

GROUNDING_METRICS = ["correct", "cites_right", "correct_and_cited", "abstain_ok", "false_abstain", "tok_per_s"]


def grounding_messages(example: GroundingExample, rng: random.Random) -> list[Message]:
    blocks = []
    for number, text in enumerate(example.sources, start=1):
        name = rng.choice(["notes-{i}.md", "report-{i}.pdf", "memo-{i}.txt"]).format(i=rng.randint(1, 99))
        blocks.append(format_source_block(number, name, rng.randint(1, 30) if name.endswith(".pdf") else None, text))
    return [Message("system", SYSTEM_WITH_SOURCES), Message("user", user_turn(example.question, blocks))]


def score_grounding(answer: str, example: GroundingExample) -> dict:
    cited = cited_numbers(answer, len(example.sources))
    abstained = abstains(answer)
    if example.answer_source is None:
        return {"abstain_ok": abstained}
    correct = example.key_fact.lower() in answer.lower()
    cites_right = example.answer_source in cited
    return {"correct": correct, "cites_right": cites_right, "correct_and_cited": correct and cites_right,
            "false_abstain": abstained}


def evaluate_grounding(
    model: ChatModel,
    configurations: Sequence[Configuration],
    *,
    count: int = 60,
    seed: int = 2026,
    max_tokens: int = 80,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[dict, list]:
    examples = make_examples(count, seed=seed, split="test")
    summary, details = {}, []
    total, done = len(examples) * len(configurations), 0
    for configuration in configurations:
        rng = random.Random(seed)
        rows = []
        with model.adapters_applied(configuration.adapters):
            for example in examples:
                if cancel is not None and cancel.is_set():
                    break
                answer = model.complete(grounding_messages(example, rng), max_tokens=max_tokens, temperature=0.0,
                                        seed=0).strip()
                row = {**score_grounding(answer, example), "tok_per_s": model.last_stats.tokens_per_s}
                rows.append(row)
                details.append({"configuration": configuration.name, "question": example.question,
                                "expected": example.answer, "answer": answer, **row})
                done += 1
                if progress is not None:
                    progress(done, total)
        summary[configuration.name] = {
            metric: round(sum(float(r[metric]) for r in rows if metric in r) /
                          sum(1 for r in rows if metric in r), 4)
            for metric in GROUNDING_METRICS if any(metric in r for r in rows)}
        summary[configuration.name]["questions"] = len(rows)
    return summary, details
