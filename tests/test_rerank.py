from desktop_app.core.answering import AnswerOptions, answer_question
from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer
from desktop_app.core.rerank import judgement, relevance_messages, rerank
from desktop_app.core.retrieval import Hit

QUESTION = "Who designed the eastern breakwater?"
ANSWERS = ("The new eastern breakwater, designed by the firm Lindqvist & Abara, was finished in 2019 "
           "after three years of work.")
NEAR_MISS = ("The western breakwater was repaired in 2021 at a cost of 4.2 million euros; the harbour "
             "authority paid for the work.")
ELSEWHERE = "Tomatoes need six hours of sun and regular watering in July."


def _hit(number, text, score):
    return Hit(chunk_id=number, doc_path=f"/docs/doc{number}.txt", page=None, section=1, start_char=0,
               end_char=len(text), text=text, score=score, vector_rank=number, keyword_rank=None,
               vector_distance=0.2)


def test_the_chat_model_judges_the_passage_that_answers_above_a_near_miss(qwen):
    answering = judgement(qwen, QUESTION, ANSWERS)
    assert answering > judgement(qwen, QUESTION, NEAR_MISS) and answering > judgement(qwen, QUESTION, ELSEWHERE)
    # the same prompt again mostly comes from the cache and gives the same judgement (within the
    # rounding of evaluating its last token alone rather than in the batch)
    assert abs(qwen.yes_margin(relevance_messages(QUESTION, ANSWERS))
               - qwen.yes_margin(relevance_messages(QUESTION, ANSWERS))) < 0.05
    # and the model writes as before after judging
    assert "yes" in qwen.complete(relevance_messages(QUESTION, ANSWERS), max_tokens=3, temperature=0).lower()


def test_reranking_moves_the_answering_chunk_ahead_of_the_search_s_first(qwen):
    hits = [_hit(1, NEAR_MISS, 1.0), _hit(2, ELSEWHERE, 0.6), _hit(3, ANSWERS, 0.5), _hit(4, ELSEWHERE, 0.1)]
    reranked = rerank(qwen, QUESTION, hits, depth=3, share=1.0)  # the judgement alone orders them
    assert reranked.judged == 3 and reranked.seconds > 0
    assert reranked.hits[0].chunk_id == 3 and reranked.hits[-1].chunk_id == 4  # past the depth: as it was
    assert sorted(h.chunk_id for h in reranked.hits) == [1, 2, 3, 4]


def test_an_answer_with_reranking_records_its_time(tmp_path, store, e5_embedder, qwen):
    (tmp_path / "harbour.md").write_text(f"{NEAR_MISS}\n\n{ANSWERS}\n", encoding="utf-8")
    Importer(store, e5_embedder, extractor=extract, chunk_tokens=32, chunk_overlap=0).run([tmp_path])
    options = AnswerOptions(max_tokens=30, temperature=0.0, top_k=1, rerank=True)
    answer = answer_question(qwen, store, e5_embedder, QUESTION, options=options)
    assert answer.timings.rerank_s > 0 and answer.timings.as_json()["rerank_s"] > 0
    assert len(answer.sources) == 1 and "Lindqvist" in answer.sources[0].hit.text
    plain = answer_question(qwen, store, e5_embedder, QUESTION, options=AnswerOptions(max_tokens=30, temperature=0.0))
    assert plain.timings.rerank_s == 0
