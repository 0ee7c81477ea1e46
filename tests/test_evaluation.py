import json
import math

import pytest

from desktop_app.core.evaluation.metrics import (bleu, contains_reference, dedupe, ndcg, recall, reciprocal_rank,
                                                 rouge_l, strip_citations)
from desktop_app.core.grounding import abstains
from desktop_app.core.evaluation.retrieval_eval import (DOCUMENT_RRF, evaluate_retrieval, index_corpus, load_beir,
                                                         reciprocal_rank_fusion)


def test_reciprocal_rank_by_hand():
    assert reciprocal_rank(["a", "b", "c"], {"c": 1}) == pytest.approx(1 / 3)
    assert reciprocal_rank(["a", "b"], {"z": 1}) == 0.0
    assert reciprocal_rank(["x"] * 10 + ["c"], {"c": 1}, k=10) == 0.0  # beyond the cut-off


def test_ndcg_by_hand():
    # gains 0,1,2 at ranks 1..3: DCG = 1/log2(3) + 2/log2(4) = 0.6309 + 1.0; ideal: 2/1 + 1/log2(3) = 2.6309
    assert ndcg(["a", "b", "c"], {"b": 1, "c": 2}) == pytest.approx((1 / math.log2(3) + 1.0) / (2 + 1 / math.log2(3)))
    assert ndcg(["b", "c"], {"b": 1}) == pytest.approx(1.0)
    assert ndcg(["a"], {}) == 0.0


def test_recall_by_hand():
    assert recall(["a", "b", "c"], {"a": 1, "d": 1}, k=3) == 0.5
    assert recall(["a", "b", "c"], {"c": 1}, k=2) == 0.0


def test_dedupe_keeps_best_rank():
    assert dedupe(["x", "y", "x", "z", "y"]) == ["x", "y", "z"]


def test_rouge_l_by_hand():
    # LCS("the cat sat on the mat", "the cat on the mat") = 5; P = 5/6, R = 5/5, F = 2PR/(P+R) = 10/11
    assert rouge_l("the cat sat on the mat", "the cat on the mat") == pytest.approx(10 / 11)
    assert rouge_l("완공은 2025년 3월이다", "2025년 3월") > 0.5  # Korean is not dropped


def test_bleu_bounds():
    assert bleu("the cat sat on the mat", "the cat sat on the mat") == pytest.approx(100.0)
    assert bleu("completely different words here", "the cat sat on the mat") < 10


def test_reference_containment_and_abstention():
    assert contains_reference("It was built by Maris Okonkwo in 1987 [1].", "Maris Okonkwo")
    assert not contains_reference("It was built in 1987.", "Maris Okonkwo")
    assert contains_reference("냉장 창고의 담당자는 김서연 팀장이다 [1].", "김서연 팀장")
    assert contains_reference("신규 냉장 창고는 2025년 3월에 완공되었다.", "2025년 3월")
    assert strip_citations("Paris [1][2] is big [3].") == "Paris is big ."
    assert abstains("The documents do not say.") and abstains("The sources do not mention it.")
    assert not abstains("The capital of Peru is Lima.")


@pytest.fixture
def beir_folder(tmp_path):
    folder = tmp_path / "mini-beir"
    (folder / "qrels").mkdir(parents=True)
    corpus = [{"_id": "d1", "title": "Turbines", "text": "The Kestrel turbine delivered 42 megawatts."},
              {"_id": "d2", "title": "Orchards", "text": "Apple harvest starts in September."},
              {"_id": "d3", "title": "Harbour", "text": "The channel is dredged to 14.5 metres."}]
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(c) for c in corpus))
    queries = [{"_id": "q1", "text": "turbine output in megawatts"}, {"_id": "q2", "text": "when do apples get picked"}]
    (folder / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries))
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n")
    return folder


def test_beir_folder_is_indexed_once_and_scored_per_mode(beir_folder, store, embedder):
    corpus, queries = load_beir(beir_folder)
    assert len(corpus) == 3 and [q.id for q in queries] == ["q1", "q2"]
    assert index_corpus(store, embedder, corpus) == {"indexed": 3, "reused": 0, "removed": 0}
    assert index_corpus(store, embedder, corpus) == {"indexed": 0, "reused": 3, "removed": 0}
    summary, details = evaluate_retrieval(store, embedder, queries, k=3)
    assert set(summary) == {"vector", "keyword", "hybrid"}
    assert summary["hybrid"]["MRR@10"] == pytest.approx(1.0) and summary["vector"]["Recall@3"] == 1.0
    assert len(details) == 2 and details[0]["hybrid"]["top"][0] == "d1"
    with_baseline, details = evaluate_retrieval(store, embedder, queries, k=3, baseline=True)
    assert list(with_baseline) == ["vector", "keyword", "hybrid", DOCUMENT_RRF]
    assert with_baseline[DOCUMENT_RRF]["MRR@10"] == pytest.approx(1.0) and details[1][DOCUMENT_RRF]["top"][0] == "d2"


def test_reciprocal_rank_fusion_favours_items_both_lists_rank_high():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "b", "d"]])
    # b: 1/62 + 1/62; a: 1/61; c: 1/63 + 1/61; d: 1/63
    assert fused == ["c", "b", "a", "d"]
    assert reciprocal_rank_fusion([["x", "y"]]) == ["x", "y"] and reciprocal_rank_fusion([]) == []


def test_the_shipped_qa_sets_are_well_formed():
    from pathlib import Path

    from desktop_app.core.evaluation.qa_eval import load_qa_set

    for name, count in (("qa-dev", 42), ("qa-holdout", 38), ("qa-unseen", 40), ("qa-unseen-b", 44), ("qa-unseen-c", 40),
                        ("qa-unseen-d", 45), ("qa-unseen-e", 42), ("qa-unseen-f", 46), ("qa-unseen-g", 46),
                        ("qa-unseen-h", 46)):
        docs, questions = load_qa_set(Path("resources/eval") / name)
        assert len(questions) == count
        assert {q.language for q in questions} == {"en", "ko"}
        for question in questions:
            if question.doc is not None:
                assert (docs / question.doc).is_file(), question.doc
            if question.answerable and question.kind != "cross-language":
                text = (docs / question.doc).read_text(encoding="utf-8")
                assert any(a in text for a in question.answers), question.question


def test_qa_scoring_tells_right_and_cited_from_uncited_wrong_and_declined():
    from desktop_app.core.evaluation.qa_eval import QAQuestion, score_qa
    from desktop_app.core.grounding import check_citations
    from desktop_app.core.rag import Answer, Source
    from desktop_app.core.retrieval import Hit

    texts = ["The Orrin museum opened in 1964 in the old customs house.", "Admission costs 9 euro for adults."]
    sources = tuple(Source(i + 1, Hit(i + 1, f"/d/{name}", None, 1, 0, len(t), t, 0.03, 1, 1, 0.2))
                    for i, (name, t) in enumerate(zip(["museum.html", "tickets.html"], texts)))

    def answer(text: str) -> Answer:
        return Answer("When did the museum open?", text, sources, None, "m", checks=check_citations(text, texts))

    question = QAQuestion("When did the museum open?", ("1964",), "museum.html", "fact")
    assert score_qa(answer("It opened in 1964 [1]."), question)["right_and_cited"]
    wrong_source = score_qa(answer("It opened in 1964 [2]."), question)
    assert not wrong_source["right_and_cited"] and wrong_source["unsupported_cite"]
    uncited = score_qa(answer("It opened in 1964."), question)
    assert not uncited["right_and_cited"] and not uncited["wrong_answer"]
    assert score_qa(answer("It opened in 1971 [1]."), question)["wrong_answer"]
    assert score_qa(answer("The documents do not say."), question)["wrong_decline"]
    unanswerable = QAQuestion("Who designed the museum?", (), "museum.html", "unanswerable-near")
    assert score_qa(answer("The documents do not say."), unanswerable)["declined_ok"]
    assert not score_qa(answer("It opened in 1964 [1]."), unanswerable)["declined_ok"]


def test_saved_drafts_are_reviewed_again_with_todays_checks():
    from desktop_app.core.evaluation.qa_eval import review_again

    texts = ["The Orrin museum opened in 1964 in the old customs house.", "Admission costs 9 euro for adults."]
    saved = {"configuration": "+RAG", "question": "When was the Orrin museum opened?", "expected": ["1964"],
             "doc": "museum.html", "kind": "fact", "language": "en", "sources": ["museum.html", "tickets.html"],
             "source_texts": texts, "ttft_s": 9.5, "tok_per_s": 12.0, "cited": [], "citations_placed": 0,
             "unsupported": [], "declined": True, "wrong_decline": True, "right_and_cited": False}
    withheld_then = dict(saved, answer="The documents do not say.", guard="off-question",
                         withheld="The Orrin museum opened in 1964 [1].")
    declined = dict(saved, answer="The documents do not say.", guard=None, withheld=None)
    nothing_found = dict(saved, answer="Nothing in your documents matches this question.", guard="no-match",
                         withheld=None, source_texts=[], sources=[])
    reviewed, found, unchanged = review_again([withheld_then, declined, nothing_found])
    assert reviewed["right_and_cited"] and reviewed["guard"] is None and reviewed["cited"] == [1]
    assert reviewed["ttft_s"] == 9.5 and not reviewed["wrong_decline"]
    assert found["guard"] == "found" and found["right_and_cited"] and found["withheld"] == "The documents do not say."
    assert unchanged == nothing_found


def test_a_second_look_stands_where_its_first_draft_still_declines():
    from desktop_app.core.evaluation.qa_eval import review_again

    texts = ["Anyone whose supply is not back by 16:00 can claim a payment of 30 pounds.", "The works start on 9 March."]
    row = {"configuration": "+RAG", "question": "How much compensation is paid if the supply is late?",
           "expected": ["30 pounds"], "doc": "outage.md", "kind": "paraphrase", "language": "en",
           "sources": ["outage.md", "works.md"], "source_texts": texts, "cited": [1], "citations_placed": 0,
           "unsupported": [], "declined": False, "wrong_decline": False, "right_and_cited": True,
           "answer": "A payment of 30 pounds can be claimed [1].", "guard": "second-look",
           "withheld": "The documents do not say."}
    assert review_again([row]) == [row]
    # a first draft that today's checks answer from the sources is what the user would get instead
    found = dict(row, withheld="The documents do not say.", question="When do the works start?", expected=["9 March"])
    again = review_again([found])[0]
    assert again["guard"] == "found" and again["right_and_cited"] and again["answer"].startswith("The works start")
