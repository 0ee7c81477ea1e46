from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core.chunking import HFTokenizerSpans, chunk_text
from desktop_app.core.embedders import MINILM, bundled_embedder_dir

TOKENS = HFTokenizerSpans(bundled_embedder_dir(MINILM) / "tokenizer.json")
MODEL_LIMIT = 256  # all-MiniLM-L6-v2 truncates after 256 word pieces, [CLS] and [SEP] included
CHUNK_LIMIT = MODEL_LIMIT - 8

texts = st.one_of(
    st.text(max_size=3000),
    st.lists(st.sampled_from(["turbine", "창고는", "냉장", "the", "unbelievably", "。", ".", "\n", "\n\n", " ", "x" * 150,
                              "naïve", "東京", "42MW", "\t", "🙂"]), max_size=900).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, max_tokens=st.integers(min_value=1, max_value=CHUNK_LIMIT), overlap=st.integers(0, 80))
def test_chunks_point_back_into_the_text_and_fit_the_embedder(text, max_tokens, overlap):
    chunks = chunk_text(text, tokens=TOKENS, max_tokens=max_tokens, overlap=overlap)
    for chunk in chunks:
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert text[chunk.start:chunk.end] == chunk.text
        assert TOKENS.count(chunk.text) <= MODEL_LIMIT
    covered = set()
    for chunk in chunks:
        covered.update(range(chunk.start, chunk.end))
    for start, end in TOKENS.spans(text):
        assert start in covered  # every token of the text is in some chunk


def test_long_text_is_split_at_sentences_with_overlap():
    sentences = [f"Sentence number {i} talks about the turbine in the valley." for i in range(200)]
    text = " ".join(sentences)
    chunks = chunk_text(text, tokens=TOKENS, max_tokens=120, overlap=20)
    assert len(chunks) > 5
    assert all(c.text.rstrip().endswith(".") for c in chunks[:-1])
    assert all(chunks[i + 1].start < chunks[i].end for i in range(len(chunks) - 1))  # overlap


def test_a_chunk_never_starts_inside_a_word():
    text = "unbelievably " * 600
    for chunk in chunk_text(text, tokens=TOKENS, max_tokens=50, overlap=10):
        assert chunk.start == 0 or text[chunk.start - 1] == " "


def test_with_the_multilingual_tokenizer_chunks_end_and_start_at_a_line_of_a_table(e5_dir):
    # SentencePiece tokens carry their white space (" 4", "\n"): no gap between offsets marks a break
    tokens = HFTokenizerSpans(e5_dir / "tokenizer.json")
    rows = "\n".join(f"| 강좌 {i} | 화 | 오후 {i % 12 + 1}시 ~ 4시 | {i}만 원 | {i + 10}명 |" for i in range(1, 40))
    text = "# 겨울학기 강좌\n\n| 강좌 | 요일 | 시간 | 수강료 | 정원 |\n| --- | --- | --- | --- | --- |\n" + rows
    chunks = chunk_text(text, tokens=tokens, max_tokens=120, overlap=30)
    assert len(chunks) > 3
    assert all(c.text.endswith("|") for c in chunks)
    assert all(c.text.startswith("|") for c in chunks[1:])
    assert all(chunks[i + 1].start < chunks[i].end for i in range(len(chunks) - 1))  # overlap
