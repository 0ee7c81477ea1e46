import pytest

from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer
from desktop_app.core.retrieval import Mode, retrieve
from tests.helpers import make_pdf


@pytest.fixture
def library(tmp_path, store, embedder):
    (tmp_path / "report.pdf").write_bytes(make_pdf([
        "The orchard report lists apple varieties grown in the valley.",
        "The Kestrel turbine delivered 42 megawatts during the spring trial.",
        "Cherry harvests peaked in early July according to the growers.",
    ]))
    (tmp_path / "memo.txt").write_text(
        "회의록: 부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다.\n\n담당자는 김서연 팀장이다.", encoding="utf-8")
    (tmp_path / "garden.md").write_text("Tomatoes need six hours of sun and steady watering.", encoding="utf-8")
    Importer(store, embedder, extractor=extract, chunk_tokens=40, chunk_overlap=0).run([tmp_path])
    return tmp_path


def test_a_phrase_on_page_two_is_the_top_hit_with_its_page(library, store, embedder):
    hits = retrieve(store, embedder, "How many megawatts did the Kestrel turbine deliver?", k=3)
    assert hits[0].doc_path.endswith("report.pdf") and hits[0].page == 2
    assert hits[0].vector_rank == 1 and hits[0].keyword_rank == 1
    assert hits[0].score >= hits[1].score


def test_korean_word_with_particle_matches_the_bare_word(library, store, embedder):
    hits = retrieve(store, embedder, "창고", k=3, mode=Mode.KEYWORD)
    assert hits and "창고는" in hits[0].text
    assert hits[0].page is None


def test_keyword_and_vector_modes_each_contribute(library, store, embedder):
    vector = retrieve(store, embedder, "fruit trees", k=2, mode=Mode.VECTOR)
    assert vector and all(h.keyword_rank is None for h in vector)
    keyword = retrieve(store, embedder, "Tomatoes", k=2, mode=Mode.KEYWORD)
    assert keyword[0].doc_path.endswith("garden.md") and keyword[0].vector_rank is None


def test_search_can_be_limited_to_chosen_documents(library, store, embedder):
    garden = store.doc_ids_for_paths([library / "garden.md"])
    assert retrieve(store, embedder, "Kestrel turbine megawatts", k=1)[0].doc_path.endswith("report.pdf")
    hits = retrieve(store, embedder, "Kestrel turbine megawatts", k=5, doc_ids=garden, min_similarity=-1.0)
    assert hits and all(h.doc_path.endswith("garden.md") for h in hits)
    assert retrieve(store, embedder, "Kestrel turbine megawatts", k=5, doc_ids=garden) == []  # nothing relevant


def test_unrelated_chunks_are_not_returned_as_sources(library, store, embedder):
    hits = retrieve(store, embedder, "What is the capital of Peru?", k=5)
    assert all(h.keyword_rank is not None or 1 - h.vector_distance >= 0.15 for h in hits)
    assert len(hits) < 5


def test_queries_with_fts_syntax_are_safe(library, store, embedder):
    for query in ['"unbalanced', "AND OR NOT", "col:umn*", "(((", "-"]:
        for mode in Mode:
            hits = retrieve(store, embedder, query, k=3, mode=mode)  # never an FTS5 syntax error
            assert len(hits) <= 3 and len({h.chunk_id for h in hits}) == len(hits)
    assert retrieve(store, embedder, "   ", k=3) == []
    found = retrieve(store, embedder, 'Kestrel" OR (turbine*', k=1, mode=Mode.KEYWORD)
    assert found and found[0].page == 2  # the words still count, the syntax does not


def test_relevance_for_a_reader_comes_from_where_both_searches_ranked_the_chunk(library, store, embedder):
    top = retrieve(store, embedder, "How many megawatts did the Kestrel turbine deliver?", k=5)
    assert top[0].relevance == "High"  # first in both lists
    from dataclasses import replace

    assert replace(top[0], vector_rank=None, keyword_rank=1).relevance == "Medium"
    assert replace(top[0], vector_rank=2, keyword_rank=40).relevance == "High"
    assert replace(top[0], vector_rank=9, keyword_rank=None).relevance == "Low"
    assert replace(top[0], vector_rank=None, keyword_rank=None).relevance is None  # a saved source


def test_a_korean_query_is_not_embedded_by_an_english_only_embedder(library, store, embedder):
    assert not embedder.info.reads("ko") and embedder.info.reads("en")  # all-MiniLM-L6-v2's card: language: en
    hybrid = retrieve(store, embedder, "냉장 창고의 담당자는 누구인가?", k=5)
    assert hybrid and all(h.vector_rank is None and h.keyword_rank is not None for h in hybrid)
    assert any("김서연" in h.text for h in hybrid)
    assert retrieve(store, embedder, "냉장 창고의 담당자는 누구인가?", k=5, mode=Mode.VECTOR)  # asked for: still there


def test_a_question_about_the_other_languages_documents_is_searched_in_its_translation_too(
        tmp_path, e5_embedder, default_model_path):
    """The multilingual embedder ranks the English letter that answers this Korean question below
    five Korean passages, and keyword search cannot find it; the default model's English translation
    of the question finds it first. A question held in its own language's passages is not translated."""
    from pathlib import Path

    from desktop_app.core.llm import ChatModel
    from desktop_app.core.retrieval import retrieve_across_languages
    from desktop_app.core.store import Store
    from desktop_app.core.translation import translate_question

    docs = Path(__file__).resolve().parent.parent / "resources" / "eval" / "qa-unseen-g" / "docs"
    question = "임대차 계약 갱신 후 월세는 얼마가 오르나요?"
    asked = []
    with Store(tmp_path / "store.sqlite3") as store, ChatModel(default_model_path, n_ctx=2048, n_threads=2) as model:
        Importer(store, e5_embedder, extractor=extract).run([docs])

        def translate(text: str, language: str) -> str | None:
            asked.append((text, language))
            return translate_question(model, text, language)

        alone = retrieve(store, e5_embedder, question, k=5)
        hits, translation = retrieve_across_languages(store, e5_embedder, question, translate, k=5)
        assert "tenancy-letter.txt" not in [Path(hit.doc_path).name for hit in alone]
        assert asked == [(question, "en")] and translation and "rent" in translation.lower()
        assert Path(hits[0].doc_path).name == "tenancy-letter.txt"
        assert {hit.chunk_id for hit in alone[:2]} <= {hit.chunk_id for hit in hits}

        asked.clear()
        hits, translation = retrieve_across_languages(store, e5_embedder, "기초 과정 수강료는 얼마인가요?", translate, k=5)
        assert asked == [] and translation is None


def test_a_reply_that_is_no_question_in_the_other_language_is_not_used_as_a_translation():
    from desktop_app.core.translation import usable_translation

    question = "Which night does the choir rehearse?"
    assert usable_translation("합창단은 무슨 요일 밤에 연습하나요?\n", question, "ko") == "합창단은 무슨 요일 밤에 연습하나요?"
    assert usable_translation("번역: 합창단은 언제 연습하나요?", question, "ko") == "합창단은 언제 연습하나요?"
    assert usable_translation("소년合唱가는 언제 출근해야 하는가요?", question, "ko") is None  # Chinese letters
    assert usable_translation("합창단은 화요일에 연습합니다.", question, "ko") is None  # an answer
    assert usable_translation(question, question, "ko") is None
