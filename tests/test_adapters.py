"""Live LoRA switching on the real bundled model: no reload, exact restore, stacking, refusals."""

from __future__ import annotations

import numpy as np
import pytest

from desktop_app.core.adapters import check_adapter_fits, describe_adapter, discover_adapters
from desktop_app.core.errors import AdapterError
from desktop_app.core.gguf_info import read_gguf_info
from desktop_app.core.llm import Message
from desktop_app.train.lora_gguf import write_lora_gguf

PROMPT = [Message("user", "The history of the city begins")]


def make_adapter(base_path, out_path, *, seed, layers=range(18), rank=4, spread=0.05, architecture=None,
                 wrong_width=False):
    info = read_gguf_info(base_path)
    rng = np.random.default_rng(seed)
    tensors = {}
    for layer in layers:
        weight = info.tensor(f"blk.{layer}.attn_q.weight")
        width_in, width_out = weight.shape
        if wrong_width:
            width_in += 64
        tensors[weight.name] = (rng.normal(0, spread, (rank, width_in)), rng.normal(0, spread, (width_out, rank)))
    return write_lora_gguf(out_path, architecture=architecture or info.architecture, alpha=float(rank),
                           tensors=tensors, name=out_path.stem, description=f"random test adapter {seed}")


@pytest.fixture(scope="module")
def adapters(tmp_path_factory, gemma_path):
    folder = tmp_path_factory.mktemp("adapters")
    return {"a": make_adapter(gemma_path, folder / "a.gguf", seed=1),
            "b": make_adapter(gemma_path, folder / "b.gguf", seed=2),
            "wide": make_adapter(gemma_path, folder / "wide.gguf", seed=3, wrong_width=True),
            "qwen-arch": make_adapter(gemma_path, folder / "other-arch.gguf", seed=4, architecture="qwen2")}


def complete(model):
    return model.complete(PROMPT, max_tokens=24, temperature=0)


def test_an_adapter_changes_the_output_and_turning_it_off_restores_it_exactly(gemma, adapters):
    gemma.set_adapters([])
    base = complete(gemma)
    llama_before = gemma._llama
    gemma.set_adapters([(adapters["a"], 1.0)])
    with_a = complete(gemma)
    assert with_a != base
    assert complete(gemma) == with_a  # deterministic at temperature 0
    gemma.set_adapters([])
    assert complete(gemma) == base
    assert gemma._llama is llama_before  # switched on the live context: no reload


def test_the_cache_is_cleared_on_every_switch(gemma, adapters):
    gemma.set_adapters([])
    base = complete(gemma)
    gemma.set_adapters([(adapters["a"], 1.0)])
    out_a = complete(gemma)
    gemma.set_adapters([(adapters["b"], 1.0)])
    out_b = complete(gemma)
    gemma.set_adapters([(adapters["a"], 1.0)])
    assert complete(gemma) == out_a
    assert out_a != out_b
    gemma.set_adapters([])
    assert complete(gemma) == base


def test_stacking_and_scales(gemma, adapters):
    gemma.set_adapters([(adapters["a"], 1.0)])
    out_a = complete(gemma)
    gemma.set_adapters([(adapters["a"], 1.0), (adapters["b"], 1.0)])
    stacked = complete(gemma)
    assert [a.path.name for a in gemma.active_adapters] == ["a.gguf", "b.gguf"]
    gemma.set_adapters([(adapters["b"], 1.0)])
    out_b = complete(gemma)
    assert stacked != out_a and stacked != out_b
    gemma.set_adapters([(adapters["a"], 1.0), (adapters["b"], 1.0)])
    assert complete(gemma) == stacked
    gemma.set_adapters([(adapters["a"], 0.0)])  # scale 0 is off
    assert gemma.active_adapters == ()
    with pytest.raises(AdapterError, match="outside 0..2"):
        gemma.set_adapters([(adapters["a"], 2.5)])
    gemma.set_adapters([])


def test_mismatched_adapters_are_refused_and_the_model_keeps_working(gemma, adapters):
    gemma.set_adapters([])
    base = complete(gemma)
    with pytest.raises(AdapterError, match=r"does not fit the loaded model .*attn_q\.weight is 640x1024"):
        gemma.set_adapters([(adapters["wide"], 1.0)])
    with pytest.raises(AdapterError, match="made for a 'qwen2' model"):
        gemma.set_adapters([(adapters["qwen-arch"], 1.0)])
    assert gemma.active_adapters == () and complete(gemma) == base


@pytest.mark.parametrize("content,reason", [
    (b"", "not a GGUF file"), (b"GGUF\x03\x00\x00\x00" + b"\x01" * 30, "corrupt header"),
    (b"random junk that is not an adapter" * 4, "not a GGUF file"),
])
def test_corrupt_adapter_files_get_a_clear_error(tmp_path, gemma, content, reason):
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(AdapterError, match=reason):
        gemma.set_adapters([(path, 1.0)])


def test_a_truncated_adapter_is_refused(tmp_path, gemma, adapters):
    path = tmp_path / "cut.gguf"
    path.write_bytes(adapters["a"].read_bytes()[:2000])
    with pytest.raises(AdapterError):
        gemma.set_adapters([(path, 1.0)])
    assert complete(gemma)


def test_a_model_file_is_not_taken_for_an_adapter(gemma_path):
    with pytest.raises(AdapterError, match="not a LoRA adapter"):
        describe_adapter(gemma_path)


def test_discovery_describes_adapters_and_lists_unusable_files(tmp_path, adapters, gemma_path):
    folder = tmp_path / "found"
    folder.mkdir()
    (folder / "a.gguf").write_bytes(adapters["a"].read_bytes())
    (folder / "junk.gguf").write_bytes(b"junk")
    found, problems = discover_adapters([folder])
    assert [a.name for a in found] == ["a"]
    assert found[0].rank == 4 and found[0].alpha == 4.0 and found[0].targets == ("attn_q",)
    assert found[0].architecture == "gemma3" and found[0].layers == 18
    assert problems and problems[0][0].name == "junk.gguf"
    check_adapter_fits(folder / "a.gguf", read_gguf_info(gemma_path))
