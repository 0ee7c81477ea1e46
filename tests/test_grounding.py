"""The checks that keep an answer honest: citation support, invalid citations, degenerate output."""

import pytest

from desktop_app.core.asked import gives_what_is_asked, hour_from_the_wrong_end
from desktop_app.core.degeneration import DegenerationGuard, answered_in_another_language, without_stray_script
from desktop_app.core.draft_review import answers_the_question, bare_citations, quote_for, review_draft
from desktop_app.core.grounding import (DECLINE, abstains, attribute_citations, check_citations, claim_supported,
                                        content_terms, remove_invalid_citations, word_found)
from desktop_app.core.rag import format_source
from desktop_app.core.retrieval import Hit
from desktop_app.core.terms import language_of

SOURCES = [
    "Harbour works. The new eastern breakwater, designed by the firm Lindqvist & Abara, was finished in 2019.\n"
    "It cost 14 million euro and protects 1,200 metres of quay.",
    "Release 4.2 notes\n- The minimum supported Python version is now 3.10.\n- Wheels for 3.9 were dropped.",
    "부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다. 냉장 창고의 담당자는 김서연 팀장이다.",
]


def _supported(text: str) -> dict[int, bool]:
    return {c.number: c.supported for c in check_citations(text, SOURCES)}


def test_a_citation_is_supported_when_its_source_holds_the_sentence():
    assert _supported("The eastern breakwater was designed by Lindqvist & Abara [1].") == {1: True}
    assert _supported("The minimum Python version is 3.10 [2].") == {2: True}
    assert _supported("The quay it protects is 1200 metres long [1].") == {1: True}  # 1,200 and 1200 agree


def test_an_hour_is_the_same_number_with_a_colon_or_a_full_stop():
    rehearsals = ["The choir rehearses every Tuesday from 7.45 to 9.30 pm in the church hall. Doors open at 7.00."]
    question = "Which night does the choir rehearse?"
    assert claim_supported("The choir rehearses every Tuesday from 7:45 to 9:30 pm [1].", rehearsals, question)
    assert claim_supported("Doors open at 7 pm [1].", rehearsals, "When do the doors open?")
    assert not claim_supported("The choir rehearses every Tuesday from 7:15 to 9:30 pm [1].", rehearsals, question)


def test_an_invented_answer_with_a_citation_is_unsupported():
    assert _supported("Peru is the capital of Peru [1].") == {1: False}
    assert _supported("[1] Lima") == {1: False}
    assert _supported("The breakwater cost 14 million euro [2].") == {2: False}  # right fact, wrong source
    assert _supported("The breakwater was finished in 2021 [1].") == {1: False}  # a number the source lacks
    check = check_citations("The breakwater was finished in 2021 [1].", SOURCES)[0]
    assert "2021" in check.missing and check.exists


def test_a_citation_of_a_source_that_does_not_exist_is_flagged():
    (check,) = check_citations("It was finished in 2019 [7].", SOURCES)
    assert (check.number, check.exists, check.supported) == (7, False, False)


def test_a_sentence_may_combine_two_cited_sources_but_each_must_contribute():
    text = "The breakwater was finished in 2019 and Python 3.10 is the minimum version [1][2]."
    assert _supported(text) == {1: True, 2: True}
    assert _supported("The breakwater was finished in 2019 [1][3].") == {1: True, 3: False}


def test_korean_answers_are_checked_as_morphemes_and_english_sources_by_their_names():
    assert _supported("냉장 창고의 담당자는 김서연 팀장입니다 [3].") == {3: True}
    assert _supported("냉장 창고의 담당자는 박민수 과장입니다 [3].") == {3: False}
    # a Korean sentence about an English source: its numbers and Latin names are what can be checked
    assert _supported("동쪽 방파제는 Lindqvist & Abara가 설계했습니다 [1].") == {1: True}
    assert _supported("방파제는 2021년에 완공되었습니다 [1].") == {1: False}


def test_an_amount_retold_in_another_currency_is_unsupported():
    assert _supported("The breakwater cost 14 million euros [1].") == {1: True}
    assert _supported("The breakwater cost €14 million [1].") == {1: True}  # € and euro are one currency
    assert _supported("방파제 공사비는 1,400만 유로였습니다 [1].") == {1: True}  # 14 million written 1,400만
    assert _supported("방파제 공사비는 140만 유로였습니다 [1].") == {1: False}
    assert _supported("방파제 공사비는 14 million 유로였습니다 [1].") == {1: True}
    (check,) = check_citations("방파제 공사비는 14백만 원이었습니다 [1].", SOURCES)  # euro became won
    assert not check.supported and check.missing == ("KRW",)
    assert _supported("The breakwater cost $14 million [1].") == {1: False}
    # words that only look like a currency are not one
    assert content_terms("병원 직원과 회원 수는 원래 그대로였다; the team that won in 2019 had a V8엔진.")[0] == {"2019", "8"}


def test_an_answer_no_source_holds_is_detected():
    assert not claim_supported("Peru is the capital of Peru.", SOURCES)
    assert claim_supported("It was designed by Lindqvist & Abara.", SOURCES)
    assert claim_supported("Yes.", SOURCES)  # nothing checkable: nothing contradicted either
    # where the claim comes from is not part of it
    assert claim_supported("The text states that the breakwater was finished in 2019.", SOURCES)
    assert claim_supported("According to the documents, the breakwater was finished in 2019.", SOURCES)
    # the first sentence is the claim: a true sentence after an invented one does not rescue it
    assert not claim_supported("It was designed by Mirren & Cole. It was designed by Lindqvist & Abara.", SOURCES)
    assert claim_supported("It was designed by Lindqvist & Abara. Mirren & Cole built it.", SOURCES)


def test_invalid_citations_are_removed():
    assert remove_invalid_citations("Lima [1].", 0) == "Lima."
    assert remove_invalid_citations("It opened in 2019 [2] and closed [5].", 2) == "It opened in 2019 [2] and closed."


def test_abstentions_in_english_and_korean():
    assert abstains(DECLINE["en"]) and abstains(DECLINE["ko"])
    assert abstains("The sources do not mention the admission fee.")
    assert abstains("제공된 문서에는 입장료에 대한 정보가 없습니다.")
    assert not abstains("The admission fee is 8 euro [1].")
    assert language_of("냉장 창고의 담당자는 누구인가?") == "ko" and language_of("Who runs the warehouse?") == "en"


def test_a_repetition_loop_stops_the_answer():
    guard = DegenerationGuard("Who designed the breakwater?", SOURCES)
    assert guard.feed("The breakwater was designed by ") is None
    assert guard.feed("Olah sakaiya" + "ya" * 8) == "repetition"
    guard = DegenerationGuard("Who designed the breakwater?", SOURCES)
    assert guard.feed("It was Abara. " * 3) == "repetition"
    assert DegenerationGuard("Who?", SOURCES).feed("It was designed by Lindqvist & Abara [1].") is None


def test_text_in_the_wrong_script_stops_the_answer():
    korean = DegenerationGuard("냉장 창고의 담당자는 누구인가?", SOURCES)
    assert korean.feed("The person in charge of the cold storage warehouse is the team") == "wrong-script"
    assert DegenerationGuard("냉장 창고의 담당자는 누구인가?", SOURCES).feed(
        "냉장 창고의 담당자는 김서연 팀장입니다 [3]. Lindqvist & Abara") is None
    drifting = DegenerationGuard("Who designed the breakwater?", SOURCES)
    assert drifting.feed("The breakwater 是由一家公司设计的，这家公司叫") == "wrong-script"


def test_a_short_english_answer_to_a_korean_question_is_caught_when_it_ends():
    question = "겨울학기 프로그램은 몇 주 동안 하나요?"
    assert DegenerationGuard(question).feed("The program lasts for 8 weeks [1].") is None  # too short to stop
    assert answered_in_another_language(question, "The program lasts for 8 weeks [1].")
    assert not answered_in_another_language(question, "겨울학기 프로그램은 8주 동안 합니다 [1].")
    assert not answered_in_another_language(question, "Velonet입니다 [1].")
    assert not answered_in_another_language("How long is the winter term?", "The program lasts for 8 weeks [1].")
    assert not answered_in_another_language(question, "8 [1]")


def test_a_few_letters_of_a_stray_script_are_taken_out_of_a_finished_answer():
    festival = ["The opening night film is Low Tide by the Irish director Niamh Costigan."]
    answer = "영화제 개막작 감독은 Irish导演 Niamh Costigan입니다 [1]."
    assert DegenerationGuard("영화제 개막작 감독은 누구인가요?", festival).feed(answer) is None  # too few to stop
    assert without_stray_script(answer, "영화제 개막작 감독은 누구인가요?", festival) == \
        "영화제 개막작 감독은 Irish Niamh Costigan입니다 [1]."
    assert review_draft("영화제 개막작 감독은 누구인가요?", answer, festival).text == \
        "영화제 개막작 감독은 Irish Niamh Costigan입니다 [1]."  # what answering and review_again both show
    assert without_stray_script("도쿄(東京)에서 열립니다 [1].", "어디서 열리나요?", ["도쿄(東京)에서"]) == \
        "도쿄(東京)에서 열립니다 [1]."  # a script the sources use stays


def test_a_citation_in_a_sentence_that_only_points_at_the_source_cites_the_sentence_before():
    text = "The minimum supported Python version is now 3.10. This is mentioned in the source [2]."
    assert _supported(text) == {2: True}
    assert _supported("[1] [2] [3]") == {1: False, 2: False, 3: False}


def test_citations_are_placed_where_the_sources_hold_the_sentence():
    clinic = ["Intro. The clinic was opened in 1987 by nurses.", "Patient visits: 18,400 (2024: 16,950). Staff: 42.",
              "The director, Dr. Rosa Imbert, runs the clinic."]
    assert attribute_citations("[1] 18,400", clinic) == ("18,400 [2]", 1)  # cited by habit: moved
    assert attribute_citations("It is run by Dr. Rosa Imbert.", clinic) == ("It is run by Dr. Rosa Imbert [3].", 1)
    assert attribute_citations("- Visits: 18,400\n- Staff: 42 [3]", clinic) == ("- Visits: 18,400 [2]\n- Staff: 42 [2]", 2)
    unchanged = ["It was opened in 1987 [1].", "The documents do not say.", "Lima is the capital of Peru [2]."]
    assert all(attribute_citations(text, clinic) == (text, 0) for text in unchanged)  # right, declined, or nowhere
    # a citation written after the full stop belongs to the sentence before it, once
    assert attribute_citations("It was opened in 1987. [1]", clinic) == ("It was opened in 1987 [1].", 0)
    assert attribute_citations("Staff: 42 [2]. [2] It was opened in 1987. [3]", clinic) == (
        "Staff: 42 [2]. It was opened in 1987 [1].", 1)


def test_a_korean_name_is_found_however_the_analyser_cuts_it():
    guide = ["은평 작은도서관은 2018년 4월에 문을 열었으며, 현재 관장은 이지은이다."]  # analysed: 이 + 지은이
    assert [c.supported for c in check_citations("[1] 이지은", guide)] == [True]
    assert [c.supported for c in check_citations("관장은 박민수입니다 [1].", guide)] == [False]


NOTES = ["# Tessellate 4.2 release notes\nTessellate 4.2.0 was released on 14 March 2026, eleven weeks after 4.1.\n"
         "## Breaking changes\n- The minimum supported Python version is now 3.10. Wheels for Python 3.9 are no "
         "longer built.\n- `tessellate export` can now use up to 8 worker processes."]
LIBRARY = ["은평 작은도서관 이용 안내 은평 작은도서관은 2018년 4월에 문을 열었으며, 현재 관장은 이지은이다. "
           "장서는 약 3만 2천 권이고, 열람실에는 86개의 좌석이 있다."]


MEMO = ["MEMO: laboratory safety\nNo more than 2 litres of flammable solvent may be kept outside a safety cabinet "
        "in any laboratory. The fire drill for the building is planned for 19 March at 10:00.\nFume hoods will be "
        "inspected every 6 months from now on; the first inspection is on 20 January."]
CAMPSITE = ["# 솔밭 캠핑장\n캠핑장은 4월부터 10월까지 문을 연다. 관리자는 최영호이다.", "# 신규 앱 출시 일정\n"
            "신규 앱 출시 일정\n신규 가계부 앱의 출시일은 5월 20일로 확정되었다."]


@pytest.mark.parametrize("question,draft,sources,expected", [
    ("How much flammable solvent may be kept outside a safety cabinet?", "The documents do not say.", MEMO,
     "No more than 2 litres of flammable solvent may be kept outside a safety cabinet in any laboratory. [1]"),
    ("캠핑장 관리자는 누구인가요?", "문서에 나와 있지 않습니다.", CAMPSITE, "관리자는 최영호이다. [1]"),
    # a draft no source holds (the model misread the number) likewise
    ("How much flammable solvent may be kept outside a safety cabinet?", "Up to 5 litres may be kept [1].", MEMO,
     "No more than 2 litres of flammable solvent may be kept outside a safety cabinet in any laboratory. [1]"),
])
def test_a_decline_becomes_the_sentence_that_answers_in_the_questions_words(question, draft, sources, expected):
    review = review_draft(question, draft, sources)
    assert (review.text, review.guard, review.withheld) == (expected, "found", draft)


@pytest.mark.parametrize("question,sources", [
    ("Who inspects the fume hoods?", MEMO),  # the sentence holds every word asked, but no one who inspects
    ("How much does a safety cabinet cost?", MEMO),  # near miss: no such sentence
    ("캠핑장 주차 요금은 얼마인가요?", CAMPSITE),
])
def test_a_decline_stands_when_no_sentence_gives_what_is_asked(question, sources):
    language = language_of(question)
    assert review_draft(question, DECLINE[language], sources) == (DECLINE[language], None, None, 0)
    assert review_draft(question, DECLINE[language], sources, cancelled=True).guard is None


def test_a_when_question_is_not_answered_by_a_heading_without_a_date():
    assert quote_for("신규 앱 출시일은 언제인가요?", CAMPSITE, [2]) == ("신규 가계부 앱의 출시일은 5월 20일로 확정되었다.", 2)


def test_a_draft_of_citations_only_is_told_from_an_answer():
    assert bare_citations("[2]") == [2] and bare_citations(" [1] [3]. ") == [1, 3]
    assert bare_citations("It was 3.10 [1].") == [] and bare_citations("") == []


@pytest.mark.parametrize("question,sources,expected", [
    ("When was Tessellate 4.2.0 released?", NOTES, "14 March 2026"),
    ("What is the minimum Python version Tessellate supports now?", NOTES, "3.10"),
    ("은평 작은도서관의 관장은 누구인가요?", LIBRARY, "이지은"),
    ("열람실 좌석은 몇 개인가요?", LIBRARY, "86개"),
    # an adverb of the question (모두: "in all") need not stand in the sentence
    # the document's title names what the question does (워크숍), two of its words stand in the sentence
    ("워크숍 행사 담당자는 누구인가요?", ["2026 상반기 전사 워크숍 안내\n\n참가 신청은 4월 30일까지 받는다. 행사 담당자는 "
                                "인사팀 정유진 과장이다."], "정유진"),
    ("워크숍에 참가하는 직원은 모두 몇 명인가요?", ["상반기 워크숍은 5월 14일에 평창에서 열린다. 참가 대상은 전 직원 210명이며, "
                                     "버스는 오전 8시에 출발한다."], "210명"),
])
def test_the_sentence_that_answers_is_quoted_from_the_source_pointed_at(question, sources, expected):
    sentence, number = quote_for(question, sources, [1])
    assert expected in sentence and number == 1


@pytest.mark.parametrize("question,sources", [
    ("What is the maximum Python version?", NOTES),  # the source gives the minimum
    ("How many contributors does Tessellate have?", NOTES),
    ("What is the release notes heading of Tessellate 4.2?", NOTES),  # headings never answer
    ("은평 작은도서관의 주차장은 몇 대를 댈 수 있나요?", LIBRARY),  # a near miss: no parking in the source
    # "몇 층" asks for floors: a sentence with dates but no floor does not answer it
    ("보건소 예방접종실은 몇 층에 있나요?", ["# 푸른구 보건소 독감 예방접종 안내\n\n2026년 독감 무료 예방접종은 10월 5일부터 "
                                  "12월 31일까지 실시한다."]),
])
def test_no_sentence_is_quoted_for_a_question_the_source_only_comes_near(question, sources):
    assert quote_for(question, sources, [1]) is None
    assert quote_for("When was Tessellate 4.2.0 released?", NOTES, [2]) is None  # no source 2


SOUP = ["This is the soup my grandmother made every winter. It serves 6 and takes about 45 minutes.\n"
        "## Ingredients\n- 300 g red lentils, rinsed\n- 1.5 litres of vegetable stock"]
CLINIC = ["Staff: 42, of whom 14 are nurses and 6 are doctors.\n"
          "The Halden clinic is run today by its director, Dr. Rosa Imbert. Its budget for 2025 was 6.8 million euro."]
REPORT = ["Halden Community Clinic: Annual Report 2025\n\nThe year in numbers\nPatient visits: 18,400 (2024: 16,950)"]
OPENING_HOURS = ["은평 작은도서관 이용 안내\n\n운영 시간\n평일에는 오전 9시부터 오후 9시까지, 주말에는 오전 9시부터 오후 "
                 "6시까지 운영한다.\n매주 월요일과 법정 공휴일은 휴관한다."]
ELEVATOR = ["# 해오름마을 관리사무소 공지\n\n## 승강기 교체 공사\n\n101동과 102동의 승강기 교체 공사가 2026년 3월 9일부터 "
            "4월 17일까지 진행된다. 공사는 대성엘리베이터가 맡으며, 총 공사비는 4억 2천만 원이다."]
MINUTES = ["contract for the inner basin was awarded to Hollis Marine for 2.3 million euro.\n\n3. Pilot boat\n"
           "A replacement pilot boat has been ordered from the Kvarner yard in Rijeka."]


@pytest.mark.parametrize("question,answer,sources", [
    ("How many people does the soup serve?", "It serves 6 [1].", SOUP),
    ("How much red lentils go into the soup?", "300 g [1]", SOUP),
    ("Who runs the Halden clinic?", "Dr. Rosa Imbert [1]", CLINIC),
    ("Halden 클리닉의 2025년 예산은 얼마였나요?", "예산은 6.8 million euro였습니다 [1].", CLINIC),  # Korean about English
    ("What does the soup taste like?", "It is delicious [1].", SOUP),  # no fact of its own to place: not judged
    # the answer repeats the document's name, which only its title line holds
    ("How many patient visits did the clinic have in 2025?",
     "The Halden Community Clinic had 18,400 patient visits in 2025 [1].", REPORT),
    # an answer that joins two sentences of the source: the season, then the crossing's length
    ("Skelmore 섬으로 가는 배는 얼마나 걸리나요?", "3 November 2026부터 28 February 2027까지 Skelmore 섬으로 가는 배는 "
     "35 분 걸립니다 [1].", ["From 3 November 2026 to 28 February 2027 the ferry between Port Aldric and Skelmore "
                          "island runs on the winter timetable. The crossing takes 35 minutes."]),
    # the question asks with a verb (끝나다: "end") or names the kind of answer (업체: "contractor"), and the
    # sentence answers in other words ("진행된다": "runs until"; the firm's name)
    ("승강기 교체 공사는 언제 끝나나요?", "공사는 3월 9일부터 4월 17일까지 진행됩니다 [1].", ELEVATOR),
    ("승강기 공사를 맡은 업체는 어디인가요?", "대성엘리베이터입니다 [1].", ELEVATOR),
    # facts of two places, each on the question: the incident's date, then the engineer paged
    ("체크아웃 장애 때 호출된 당직 엔지니어는 누구인가요?", "9 October 2026 장애 때 Tomasz Wren이 호출되었습니다 [1].",
     ["On 9 October 2026 the checkout service was unavailable for 47 minutes. About 3,800 customers saw an "
      "error page.\n\nResponse\nThe on-call engineer, Tomasz Wren, was paged at 14:15."]),
    ("What does a yearly pass for the bike share cost?", "A yearly pass costs 45 pounds [1].",
     ["The bike share's yearly pass costs 45 pounds; a single ride is free for the first 30 minutes."]),
    # an irregular verb: "sank" is "sink" (simplemma's lemma)
    ("In which year did the Marigold sink?", "The Marigold sank in 1887 [1].",
     ["Lost Harbours\n\nIt shows a ship's bell from the wreck of the Marigold, which sank off Saltby in 1887."]),
    # "on which day" may be answered with a date
    ("On which day is the school closed for staff training?", "It is closed on 28 November [1].",
     ["Flu vaccinations are on 20 November. The school will be closed on 28 November for staff training."]),
    ("Who runs the bike share?", "Velonet runs it [1].", ["The bike share is run by Velonet, a firm from Ghent."]),
    # the answer's verb ("carry") is one the sources never use: a paraphrase, not a sign of another topic
    ("How many passengers can the MV Corrie carry?", "The MV Corrie can carry up to 220 passengers [1].",
     ["Sailings\nThe MV Corrie takes 220 passengers and 32 cars. The MV Halvard is being refitted in Gdansk."]),
    # "at what times" names the kind of answer; 며칠 ("how many days") asks, like 얼마
    ("At what times will the water be off on Orchard Road?", "It will be off from 9:00 to 15:00 [1].",
     ["## When your water will be off\n\n- Supply to Orchard Road and Kiln Lane will be off from 9:00 to 15:00."]),
    ("재택근무는 일주일에 며칠까지 할 수 있나요?", "재택근무는 일주일에 2일까지 할 수 있습니다 [1].",
     ["내년 1월부터 복지 제도가 바뀐다.\n\n재택근무는 주 2일까지 허용되며, 팀장의 승인을 받아야 한다."]),
    # no charge, in Korean words: an answer to a price question
    ("책 축제 입장료는 얼마인가요?", "책 축제 입장료는 받지 않습니다 [1].",
     ["축제 시간은 매일 오전 10시부터 오후 7시까지이며, 입장료는 받지 않는다."]),
    # a notice board is a place to look
    ("수질 검사 결과는 어디서 볼 수 있나요?", "수질 검사 결과는 12월 20일까지 단지 게시판에 붙입니다 [1].",
     ["청소 뒤에는 수질 검사를 의뢰하며, 검사 결과는 12월 20일까지 단지 게시판에 붙입니다."]),
])
def test_an_answer_next_to_what_was_asked_stands(question, answer, sources):
    assert answers_the_question(question, answer, sources)


@pytest.mark.parametrize("question,answer,sources", [
    ("How many calories does a bowl of the soup have?", "300 g [1]", SOUP),  # a number of the source, about lentils
    ("How many dentists work in the new dental wing?", "6 [1]", CLINIC),
    ("Who wrote the novel War and Peace?", "Rosa Imbert [1]", CLINIC),
    # a Korean name (a proper noun to the analyser) from a passage about something else
    ("자전거 공유 사업의 운영사는 어디인가요?", "최수아 선임 [1]",
     ["개발팀 회의록. 신규 앱 출시 일정은 최수아 선임이 맡는다.", "The bike share is run by Velonet."]),
    # a Korean question about a Korean document, answered with a figure of an English one
    ("은평 작은도서관의 연회비는 얼마인가요?", "연회비는 6.8백만 원입니다 [2].",
     ["은평 작은도서관은 2018년 4월에 문을 열었다. 도서관 회원 가입은 무료이다.", *CLINIC]),
    # the opening hours for the closing day: the day stands in the next sentence, the hours do not
    ("도서관은 무슨 요일에 쉬나요?", "은평 작은도서관은 평일에는 오전 9시부터 오후 9시까지, 주말에는 오전 9시부터 "
     "오후 6시까지 운영한다 [1].", OPENING_HOURS),
    # a price asked, a count given: the year's trips for the price of a yearly pass
    ("자전거 공유 서비스의 연간 회원권은 얼마인가요?", "Corran City Bikes의 연간 회원권은 412,000회입니다 [1].",
     ["# Corran City Bikes: Annual Report 2025\n\nRiders made 412,000 trips in 2025."]),
    # the nouns of the question still count: the works' cost is no compensation for the residents
    ("승강기 공사 기간에 주민 보상금은 얼마인가요?", "주민 보상금은 4억 2천만 원입니다 [1].", ELEVATOR),
    # "who" answered with when and where: a place is not someone
    ("Who founded the Brookfield garden?", "The Brookfield garden was founded in 2011 behind Station Road [1].",
     ["The Brookfield garden was founded in 2011 on a railway yard behind Station Road. It has 64 plots."]),
    # the plot fee for the price of honey: the passage sells honey, but not in the sentence with the fee
    ("What does honey from the garden cost?", "Honey from the garden costs 19 pounds per plot [1].",
     ["Brookfield Garden News\n\nA plot costs 19 pounds a year for pensioners.\n\n## Events\n\nThe summer open day "
      "is on 12 July, with a plant sale and honey from the garden's four beehives."]),
    # a name in a chunk's first sentence, which is no title: not what the passage is about
    ("Where is the new pilot boat being built?", "[1] Hollis Marine", MINUTES),
])
def test_an_answer_the_source_holds_about_something_else_does_not(question, answer, sources):
    assert not answers_the_question(question, answer, sources)


ALLOTMENT = ("# Fernhill Allotment Society - Spring Newsletter\n\n## Plot rents for the coming year\n\nThe annual "
             "rent for a full plot will be 64 pounds and for a half plot 36 pounds.")
BOOK_SALE = ("해오름도서관 헌책 나눔 장터\n\n도서관에서 폐기한 책과 주민이 기증한 책 약 3,000권을 한 권에 500원, 어린이 책은 세 권에\n"
             "1,000원에 판매합니다.")
WATER_CUT = ("단수 시간에는 지하 1층 경비실 옆 공용 화장실과 단지 정문 앞 임시 급수차(2톤)를 이용할 수 있습니다.\n"
             "급수차는 오전 10시와 오후 1시 두 차례 물을 채웁니다.")
POOL = "The car park is free for the first two hours for swimmers. Lockers take a 1-pound coin."


def test_a_count_of_the_asked_thing_stands_only_where_a_source_counts_that_thing():
    concert = ["# Elmfield Singers - Spring Concert\n\nTickets: adults 14 pounds. Children under 12: free with a "
               "paying adult. The choir has 38 singers this season."]
    question = "How many singers are in the Elmfield Singers?"
    assert not answers_the_question(question, "There are 12 singers in the Elmfield Singers [1].", concert)
    assert answers_the_question(question, "There are 38 singers in the Elmfield Singers [1].", concert)


def test_a_figure_of_the_other_language_does_not_answer_a_question_about_a_titled_document():
    """An English question naming the English newsletter by its title's words ("the society", "the
    allotment") is not answered with a price of a Korean passage (the Korean words cannot be
    compared); an English question about the Korean notice, whose words no English title holds, is."""
    question = "How much does the society charge for a key to the allotment gate?"
    answer = "The society charges 500원 for a key to the allotment gate [2]."
    assert not answers_the_question(question, answer, [ALLOTMENT, BOOK_SALE])
    assert answers_the_question(question, answer, [BOOK_SALE])
    assert answers_the_question("What is the free water truck's capacity during the water cut?",
                                "The free water truck's capacity during the water cut is 2 tons [1].",
                                [WATER_CUT, POOL, ALLOTMENT])


def test_a_passage_speaks_of_what_its_documents_title_names():
    title = ("Harrowgate Parish Council - summary of the November meeting\n\nThe meeting was held in the Memorial "
             "Hall and chaired by Councillor Priya Natarajan.")
    last = "Budget for next year\n\nThe draft budget is 96,000 pounds.\n\nThe next meeting is on 18 January 2027."
    question, answer = "When is the next parish council meeting?", "The next meeting is on 18 January 2027 [2]."
    assert answers_the_question(question, answer, [title, last], ["minutes.html", "minutes.html"])
    assert not answers_the_question(question, answer, [title, last], ["minutes.html", "other.html"])
    # the title's words stand for the passage's subject, not for what is asked of it
    assert not answers_the_question("What is the name of the parish council's clerk?",
                                    "The clerk is Priya Natarajan [1].", [title, last], ["minutes.html", "minutes.html"])


def test_an_english_answer_in_other_words_stands_on_the_sentence_nearest_the_question(e5_embedder):
    """The sources' words are not the question's ("collect" / "handed out"); the sentence the embedder ranks
    nearest the question holds every fact of the answer: it answers. Facts from elsewhere still do not."""
    from pathlib import Path

    notice = (Path(__file__).parents[1] / "resources" / "eval" / "qa-unseen-d" / "docs" / "water-outage.md").read_text()
    question = "Where can residents collect bottled water during the interruption?"
    answer = "Residents can collect bottled water at the Millbrook Scout Hut from 8:30 each morning [1]."
    assert not answers_the_question(question, answer, [notice])
    assert answers_the_question(question, answer, [notice], closest=e5_embedder.closest)
    review = review_draft(question, answer, [notice], closest=e5_embedder.closest)
    assert review.guard is None and "Scout Hut" in review.text
    wrong = "Residents can collect bottled water on Station Hill from 9:00 [1]."  # another sentence's facts
    assert not answers_the_question(question, wrong, [notice], closest=e5_embedder.closest)
    minutes = ("Harrowgate Parish Council - summary of the November meeting\n\nThe meeting was held in the Memorial "
               "Hall and chaired by Councillor Priya Natarajan. Nine of the eleven councillors attended.")
    assert not answers_the_question("What is the name of the parish council's clerk?",
                                    "The clerk is Priya Natarajan [1].", [minutes], closest=e5_embedder.closest)
    korean = "물은 밀브룩 스카우트 회관에서 아침 8시 30분부터 나누어 준다."
    assert not answers_the_question("주민들은 생수를 어디에서 받을 수 있나요?", "주민들은 생수를 가져갈 수 있습니다: 8시 30분 [1].",
                                    [korean], closest=e5_embedder.closest)


def test_words_a_document_uses_elsewhere_must_stand_beside_the_facts_but_not_those_of_other_documents():
    fees = "# Garden plots\n\nA plot costs 38 pounds a year, or 19 pounds for pensioners and students."
    events = "## Events\n\nThe summer open day is on 12 July, with a plant sale and honey from the garden's beehives."
    question, answer = "What does honey from the garden cost?", "Honey from the garden costs 19 pounds per plot [2]."
    assert not answers_the_question(question, answer, [events, fees], ["garden.md", "garden.md"])
    assert answers_the_question(question, answer, [events, fees], ["events.md", "fees.md"])  # honey sold elsewhere
    # "built" in another document's sentence says nothing of where the pilot boat is built
    question, answer = "Where is the new pilot boat being built?", "In the Kvarner yard in Rijeka [1]."
    sources = ["3. Pilot boat\n\nA replacement pilot boat has been ordered from the Kvarner yard in Rijeka.",
               "Wheels for Python 3.9 are no longer built."]
    assert answers_the_question(question, answer, sources, ["minutes.txt", "notes.md"])


def test_lines_that_only_wrap_a_sentence_are_one_sentence_and_the_rest_stay_apart():
    from desktop_app.core.grounding import split_sentences

    wrapped = ("Riders made 412,000 trips in 2025. The average trip lasted 14 minutes and\n"
               "covered 2.6 kilometres.\n\n## Fleet\n\n- 1,150 bikes\n- 96 stations")
    assert split_sentences(wrapped) == ["Riders made 412,000 trips in 2025.",
                                        "The average trip lasted 14 minutes and covered 2.6 kilometres.",
                                        "## Fleet", "- 1,150 bikes", "- 96 stations"]
    html = "The Tidewater Museum opens its new exhibition\nLost Harbours\non 24 April 2026 in the\neast gallery."
    assert split_sentences(html) == ["The Tidewater Museum opens its new exhibition Lost Harbours on 24 April 2026 "
                                     "in the east gallery."]
    memo = "From: Brigitte Almqvist, laboratory safety officer\nTo: all staff\nFume hoods will be inspected."
    assert len(split_sentences(memo)) == 3  # labelled lines are not wrapped text
    assert split_sentences("Opening hours\nMonday to Friday 9-17.") == ["Opening hours", "Monday to Friday 9-17."]


def test_how_long_asks_for_a_length_not_for_the_word_take():
    sources = ["# City Bikes: Annual Report\n\n## Use\n\nRiders made 412,000 trips. The average trip lasted 14 "
               "minutes and\ncovered 2.6 kilometres."]
    assert answers_the_question("How long did an average bike trip take?", "The average trip lasted 14 minutes [1].",
                                sources)


def test_an_answer_may_repeat_the_questions_words_unheld_but_not_its_names():
    from desktop_app.core.grounding import check_citations, claim_supported

    money = ["## Money\n\nMembership costs 60 pounds a year; a single ride costs 1.50 pounds.",
             "# Corran City Bikes: Annual Report 2025\n\n## Use\n\nEach bike was serviced every 21 days."]
    question, answer = "How much does a yearly bike membership cost?", "The yearly bike membership costs 60 pounds [1]."
    assert claim_supported(answer, money, question)
    assert not claim_supported(answer, money)  # without the question, "yearly" and "bike" are missing
    assert check_citations(answer, money, question)[0].supported
    assert review_draft(question, answer, money, documents=["bikes.md", "bikes.md"]).guard is None
    # the question's names still count: a passage that never names the loaf does not give its price
    assert not claim_supported("The Seeded Rye Loaf costs 60 pounds [1].", money, "What does the Seeded Rye Loaf cost?")
    # a claim with no number or name of its own gets no such leave
    ferry = ["Bicycles travel free on the Skelmore ferry; cars pay 30 euro."]
    assert not claim_supported("Taking a motorbike on the Skelmore ferry is free [1].", ferry,
                               "What does it cost to take a motorbike on the Skelmore ferry?")


def test_an_amount_in_pounds_is_not_held_by_a_passage_with_the_same_number_in_another_unit():
    from desktop_app.core.grounding import claim_supported

    sources = ["The trip costs 12 pounds per pupil.", "선로 보수 공사는 12월 6일부터 12월 20일까지 진행된다."]
    question = "How much does the hotel charge for a swimming pool visit?"
    answer = "The hotel charges 12 pounds per pupil for the swimming pool visit [2]."
    assert review_draft(question, answer, sources).guard in ("unsupported", "off-question")
    assert not claim_supported("The pool visit costs 12 pounds [1].", sources[1:], question)  # 12월 is no price


def test_a_list_item_wrapped_onto_the_next_line_is_one_sentence_that_can_be_quoted():
    from desktop_app.core.grounding import split_sentences

    notes = ("## Changed\n\n- Bank imports are now three times faster; a file of 10,000 transactions imports in about\n"
             "  4 seconds.\n- The minimum supported macOS version is now 13.")
    assert len(split_sentences(notes)) == 3
    sentence, number = quote_for("How long does it take to import 10,000 transactions?", [notes], [1])
    assert "4 seconds" in sentence and number == 1


# Rules of session 12, each from a draft of the blind sets (docs/benchmarks.md, "A sixth blind set").
MINUTES = ["Harrowgate Parish Council: summary of the meeting of 16 November 2026\n\n"
           "The meeting was held in the Memorial Hall.\nNine of the eleven councillors attended, and 23 residents "
           "came to the public session."]
VACANCY = ["# Vacancy: Senior Data Analyst\n\nThe successful candidate will report to Dr. Helen Okafor and will lead "
           "a team of three analysts. Books are lent for three weeks and DVDs for one week."]
CLUB = ["Harbour Street Book Club\n\nWe are a friendly reading group that has met since 2011.",
        "Contact\n\nThe club is organised by Gwen Pryce. In summer we hold one outdoor meeting."]


def test_spelled_numbers_are_numbers_and_a_plural_is_its_word():
    assert content_terms("a team of three analysts")[0] == {"3"}
    assert claim_supported("The new analyst will manage three analysts [1].", VACANCY,
                           "How many people will the new analyst manage?")
    assert claim_supported("You can keep a DVD for one week [1].", VACANCY, "How long can I keep a DVD?")
    assert not claim_supported("The new analyst will manage four analysts [1].", VACANCY,
                               "How many people will the new analyst manage?")


def test_a_number_that_counts_something_else_in_the_source_is_no_count_of_it():
    question = "How many residents attended the public session?"
    assert not claim_supported("9 residents came to the public session [1].", MINUTES, question)
    assert claim_supported("23 residents came to the public session [1].", MINUTES, question)
    assert claim_supported("Nine councillors attended [1].", MINUTES, "How many councillors attended?")
    assert review_draft(question, "9 residents came to the public session [1].", MINUTES).text.startswith(
        "Nine of the eleven councillors attended, and 23 residents")  # the sentence that counts them


def test_a_korean_month_is_not_an_english_number_word():
    assert content_terms("2026년 11월 16일")[0] == {"2026", "month:11", "16"}
    assert not claim_supported("다음 회의는 2026년 11월 16일입니다 [1].", ["Nine of the eleven councillors met on 16 May 2026."],
                               "다음 회의는 언제인가요?")


def test_a_claim_may_take_its_documents_title_from_another_of_its_passages():
    question = "Who organises the book club?"
    answer = "The Harbour Street Book Club is organised by Gwen Pryce [2]."
    assert not claim_supported(answer, CLUB, question)  # each passage alone holds half of it
    assert claim_supported(answer, CLUB, question, documents=["club.html", "club.html"])
    assert not claim_supported(answer, CLUB, question, documents=["club.html", "other.html"])
    assert [c.supported for c in check_citations(answer, CLUB, question, ["club.html", "club.html"])] == [True]
    assert review_draft(question, answer, CLUB, documents=["club.html", "club.html"]).guard is None


def test_a_when_question_that_names_a_fee_does_not_ask_a_price():
    source = ["## Memberships\n\nFull membership: 38 pounds a month.\n\nNew members pay a one-off joining fee of "
              "15 pounds, which is waived in January. Memberships run for a minimum of three months."]
    assert answers_the_question("When is the joining fee not charged?", "The joining fee is not charged in January [1].",
                                source)
    assert not answers_the_question("How much is the joining fee?", "It is waived in January [1].", source)


@pytest.mark.parametrize("question, answer, right", [
    ("봄 소풍은 어디로 가나요?", "어린이집에서 김밥과 과일을 준비합니다 [1].", False),  # what they eat, not where
    ("봄 소풍은 어디로 가나요?", "봄 소풍은 솔숲공원으로 갑니다 [1].", True),
    ("서울 하객을 위한 버스는 어디에서 출발하나요?", "서울에서 오전 9시에 출발합니다 [1].", False),  # Seoul is asked
    ("서울 하객을 위한 버스는 어디에서 출발하나요?", "오전 9시에 잠실역에서 출발합니다 [1].", True),
    ("장기수선충당금은 어디에 쓰이나요?", "외벽 도색과 옥상 방수 공사에 쓰입니다 [1].", True),  # what for, not where
    ("보호자 출입증은 어디에서 받나요?", "보호자 출입증은 1층 원무과에서 받습니다 [1].", True),
    ("Where is the spring concert held?", "The spring concert is held on 16 May 2027 in the Corn Exchange [1].", True),
])
def test_where_is_answered_with_a_place_the_question_does_not_name(question, answer, right):
    source = ["3월 18일에는 봄맞이 소풍으로 근처 솔숲공원에 갑니다. 어린이집에서 김밥과 과일을 준비합니다.",
              "서울에서 오시는 하객을 위해 오전 9시에 잠실역에서 출발하는 전세버스 한 대를 마련했습니다.",
              "장기수선충당금은 외벽 도색과 옥상 방수 공사에 쓰입니다.",
              "상주 보호자는 1층 원무과에서 보호자 출입증을 발급받아야 합니다.",
              "Westmoor Youth Orchestra: Spring Concert\n\nThe players perform their spring concert on 16 May 2027 "
              "in the Corn Exchange."]
    assert answers_the_question(question, answer, source) is right


def test_how_many_is_not_answered_by_a_price_or_a_time():
    prices = ["- Full membership: 38 pounds a month.\n- Off-peak membership: 26 pounds a month, valid before 4 pm."]
    assert quote_for("How many members does Riverside Leisure Centre have?", prices, [1]) is None
    assert quote_for("How many residents attended the public session?", MINUTES, [1]) is not None


def test_korean_numerals_before_a_counter_are_numbers():
    assert content_terms("중환자실은 하루 두 번 면회할 수 있다")[0] == {"2"}
    assert claim_supported("중환자실은 하루에 2번 면회할 수 있습니다 [1].", ["중환자실은 하루 두 번, 30분씩 면회할 수 있습니다."],
                           "중환자실은 하루에 몇 번 면회할 수 있나요?")


def test_how_long_is_not_answered_by_a_date_and_an_hour():
    concert = ["The orchestra perform their spring concert on Sunday 16 May 2027 at 3 pm in the Corn Exchange."]
    assert quote_for("How long does the spring concert last?", concert, [1]) is None
    timing = ["Importing 10,000 transactions now takes 40 seconds."]
    assert quote_for("How long does it take to import 10,000 transactions?", timing, [1]) is not None


def test_a_claim_in_another_script_than_its_source_needs_a_number_the_question_does_not_give():
    question = "Is a parking space included with Flat 3?"
    assert not claim_supported("Yes, a parking space is included with Flat 3 [1].", ["주차는 2시간까지 3천 원이다."], question)


def test_the_quoted_sentence_holds_the_questions_least_used_word():
    gym = ["## 시설\n\n러닝머신 8대가 있습니다. 샤워실은 없고 탈의실만 있습니다. "
           "헬스장 관리는 체육분과장인 오세훈 씨가 맡고 있습니다. 헬스장은 지하 1층에 있습니다."]
    assert quote_for("헬스장에 샤워실이 있나요?", gym, [1]) is None or "오세훈" not in quote_for(
        "헬스장에 샤워실이 있나요?", gym, [1])[0]


def test_a_letters_subject_line_says_what_its_other_passages_are_about():
    question = "By what date must the tenancy agreement be returned?"
    answer = "The tenancy agreement must be returned by 28 February 2027 [1]."
    closing = "Pets remain not allowed under the new agreement.\n\nPlease sign and return the enclosed agreement by " \
              "28 February 2027.\n\nYours sincerely,\nColette Barnes"
    opening = "Dear Ms Hallworth,\n\nRe: Flat 3, 27 Pemberton Road - renewal of your tenancy\n\n" \
              "The landlord will replace the kitchen extractor fan before the new term starts."
    assert answers_the_question(question, answer, [closing, opening], ["letter.txt", "letter.txt"])
    assert not answers_the_question(question, answer, [closing, opening], ["letter.txt", "other.txt"])
    assert not answers_the_question(question, answer, [closing, opening.replace("Re:", "Flat")],
                                    ["letter.txt", "letter.txt"])


TRIP_LETTER = ("Ashgrove Primary School\nYear 5 residential trip to Hollins Outdoor Centre\n\nDear Parents and Carers,\n\n"
               "This summer Year 5 will spend three nights at Hollins Outdoor Centre in the Peak District. "
               "Forty-two children are going, with six\nmembers of staff led by Mr Daniel Okafor.\n\n"
               "Children sleep in rooms of four to six. Mobile phones are not allowed on the trip; the school will "
               "post photos on the class blog each evening.")


def test_compound_number_words_are_numbers():
    assert content_terms("Forty-two children are going")[0] == {"42"}
    assert content_terms("twenty one days")[0] == {"21"}
    assert claim_supported("42 children are going on the trip [1].", [TRIP_LETTER], "How many children are going on the trip?")


def test_a_yes_that_the_closest_source_sentence_denies_is_unsupported():
    question = "Can the children take their phones?"
    assert not claim_supported("Yes, the children can take their phones [1].", [TRIP_LETTER], question)
    assert claim_supported("No, mobile phones are not allowed on the trip [1].", [TRIP_LETTER], question)
    assert claim_supported("Yes, 42 children are going [1].", [TRIP_LETTER], "Are children going on the trip?")
    gym = ["샤워실은 없고 탈의실만 있습니다. 헬스장은 지하 1층에 있습니다."]
    assert not claim_supported("네, 헬스장에 샤워실이 있습니다 [1].", gym, "헬스장에 샤워실이 있나요?")
    assert claim_supported("네 명이 면회할 수 있습니다 [1].", ["환자 한 명당 네 명이 함께 면회할 수 있습니다."], "몇 명이 면회할 수 있나요?")


def test_the_title_lines_over_a_letter_say_what_it_is_about():
    question = "Where is the Year 5 residential trip going?"
    answer = "The Year 5 residential trip is going to Hollins Outdoor Centre in the Peak District [1]."
    assert answers_the_question(question, answer, [TRIP_LETTER])
    assert answers_the_question("How many children are going on the trip?", "42 children are going on the trip [1].",
                                [TRIP_LETTER])
    untitled = TRIP_LETTER.replace("Year 5 residential trip to Hollins Outdoor Centre\n", "")
    assert not answers_the_question(question, answer, [untitled])


COWORKING = ("## Memberships\n\n| membership | price per month |\n| --- | --- |\n| Fixed desk | 220 pounds |\n"
             "| Day pass | 18 pounds a day |\n\n- Members on a Flexi plan get 6 hours of meeting-room time a month; "
             "extra hours cost\n  12 pounds each.\n\n## Internet, printing and kitchen\n\nThe wired and wireless "
             "connection runs at 900 megabits per second. Printing is charged at 5 pence a page.")


def test_a_price_stands_on_the_question_by_its_figure_not_by_its_currency():
    # 18 pounds is a day pass's; the sentence after it speaks of meeting rooms, in pounds too
    assert not answers_the_question("How much does it cost to rent a meeting room for a non-member?",
                                    "The cost to rent a meeting room for a non-member is 18 pounds a day [1].",
                                    [COWORKING])
    assert answers_the_question("How much does an extra hour of meeting-room time cost?",
                                "An extra hour of meeting-room time costs 12 pounds [1].", [COWORKING])


def test_the_word_after_how_names_the_measure_asked():
    question = "How fast is the internet at the Loom Works?"
    assert answers_the_question(question, "The internet runs at 900 megabits per second [1].", [COWORKING])
    # the measure need not be repeated, the thing measured must: the lift is not the internet
    assert not answers_the_question("How fast is the lift at the Loom Works?",
                                    "The lift runs at 900 megabits per second [1].", [COWORKING])


def test_a_korean_name_the_claim_repeats_from_the_question_must_be_in_its_source():
    charging = ["충전기는 그린볼트가 설치하고 관리하며, 매달 셋째 주 화요일 오전에 정기 점검을 합니다. 충전 구역에 일반 차량을 "
                "세우면 과태료 10만 원이 부과됩니다."]
    founder = "조선을 세운 사람은 그린볼트가 설치하고 관리하며, 매달 셋째 주 화요일 오전에 정기 점검을 합니다 [1]."
    assert not claim_supported(founder, charging, "조선을 세운 사람은 누구인가요?")
    assert review_draft("조선을 세운 사람은 누구인가요?", founder, charging).guard == "unsupported"
    assert claim_supported("충전기는 그린볼트가 관리합니다 [1].", charging, "충전기는 누가 관리하나요?")


def test_an_amount_in_man_or_eok_is_its_figure_and_an_english_reader_is_given_figures():
    source = "도예 공방 흙과불 안내. 기초 과정 수강료는 28만 원이고, 작품 택배비는 6천 원입니다."
    assert [c.supported for c in check_citations("The basic course costs 280,000 won [1].", [source])] == [True]
    assert [c.supported for c in check_citations("The basic course costs 28,000 won [1].", [source])] == [False]
    assert [c.supported for c in check_citations("기초 과정 수강료는 28만 원입니다 [1].", [source])] == [True]
    english = "The moving quote comes to 1.45 million won, the deposit to 145,000 won."
    assert [c.supported for c in check_citations("총 견적은 145만 원입니다 [1].", [english])] == [True]
    hit = Hit(chunk_id=1, doc_path="/docs/pottery.html", page=None, section=0, start_char=0, end_char=len(source),
              text=source, score=1.0, vector_rank=1, keyword_rank=1, vector_distance=0.1)
    assert "수강료는 280,000 원이고" in format_source(1, hit, "en") and "6,000 원" in format_source(1, hit, "en")
    assert "28만 원" in format_source(1, hit, "ko") and "280,000" not in format_source(1, hit, "ko")


def test_a_korean_adverb_of_the_question_need_not_be_repeated():
    notice = ("늘푸른마을 2단지 전기차 충전기 이용 안내\n\n입주민 여러분께 알려 드립니다. 지하 2층 주차장에 전기차 충전기 16대를 "
              "새로 설치하였으며, 11월 3일부터 이용하실 수 있습니다.\n\n충전 카드는 관리사무소에서 무료로 발급해 드립니다.")
    answer = "전기차 충전기는 16대 설치되었으며, 11월 3일부터 이용하실 수 있습니다 [1]."
    assert answers_the_question("전기차 충전기는 모두 몇 대인가요?", answer, [notice])  # 모두: "in all"
    assert not answers_the_question("충전 카드는 모두 몇 장 발급되었나요?", answer, [notice])


def test_a_draft_off_the_question_gives_way_to_the_sentence_that_answers_it_with_a_price_for_a_price():
    market = ("한솔마을 알뜰장터 안내\n\n## 판매자 신청\n\n- 판매자는 한솔마을 입주민만 신청할 수 있으며, 모두 40자리를 받습니다.\n"
              "- 자리값은 한 자리에 5천 원이고, 어린이 판매자는 무료입니다.\n\n## 가격\n\n물건 값은 한 점에 1만 원 이하입니다.")
    review = review_draft("판매자 자리값은 얼마인가요?", "판매자 자리값은 한 점에 1만 원 이하입니다 [1].", [market])
    assert review.guard == "found" and review.text == "자리값은 한 자리에 5천 원이고, 어린이 판매자는 무료입니다. [1]"
    assert quote_for("판매자는 몇 자리를 받나요?", [market], [1])[0].startswith("판매자는 한솔마을 입주민만")


def test_a_question_for_a_brand_is_answered_by_a_name():
    makerspace = ["Machines and prices. Laser cutter (one, 60 watts): 5 pounds per half hour. Users must hold the "
                  "advanced laser induction, which costs 12 pounds."]
    assert not answers_the_question("What brand is the laser cutter?", "The laser cutter is made by one, 60 watts [1].",
                                    makerspace)
    assert answers_the_question("What brand is the 3D printer?", "The 3D printers are Prusa MK4 [1].",
                                ["Machines. 3D printers (four Prusa MK4): 10 pence per gram."])


def test_an_amount_in_won_is_a_currency_after_a_figure_not_after_a_year():
    assert content_terms("The fee is 280,000 won.")[0] == {"280000", "KRW"}
    assert content_terms("In 2019 won the cup.")[0] == {"2019"}


def test_a_document_title_in_another_passage_may_hold_what_the_question_is_about():
    clinic = ["밝은미소치과 진료 안내\n\n밝은미소치과는 2014년에 문을 열었으며, 원장 주현우와 치과의사 두 명이 진료합니다.",
              "스케일링과 비용\n\n치아 미백은 한 번에 25만 원입니다.\n\n예약과 취소\n\n"
              "예약은 전화(031-709-2875)나 홈페이지로 할 수 있습니다. 예약을 취소하려면 하루 전까지 알려 주십시오."]
    question = "치과 예약 전화번호는 무엇인가요?"
    assert quote_for(question, clinic, [1, 2], ["clinic.html", "clinic.html"]) == (
        "예약은 전화(031-709-2875)나 홈페이지로 할 수 있습니다.", 2)
    assert quote_for(question, clinic, [1, 2], ["clinic.html", "notice.html"]) is None  # another document's title


def test_an_english_adverb_of_the_question_need_not_be_repeated():
    repair = ("# Repair Café at St Anne's Hall\n\n## What to bring\n\n- The broken item, and its charger or cable.\n"
              "- No more than two items per visit, so that everyone gets a turn.\n")
    answer = "You can bring no more than two items per visit [1]."
    assert answers_the_question("How many things can I bring to the Repair Café at once?", answer, [repair])
    assert not answers_the_question("How many things can I bring to the Repair Café at weekends?", answer, [repair])


def test_a_question_about_a_start_is_answered_by_the_point_it_runs_from():
    swimming = ("한울 구민체육센터 수영 강습 안내 (2027년 봄 학기)\n\n봄 학기 수영 강습은 3월 2일부터 5월 29일까지 열립니다. "
                "강습은 초급, 중급, 상급의 세 단계로 나뉩니다.\n\n환불 안내\n\n환불은 5월 3일에 학기 사무실에서 합니다.")
    assert answers_the_question("수영 강습 봄 학기는 언제 시작하나요?", "봄 학기는 3월 2일부터 5월 29일까지 열립니다 [1].", [swimming])
    assert not answers_the_question("수영 강습 봄 학기는 언제 시작하나요?", "봄 학기는 5월 3일에 시작합니다 [1].", [swimming])
    term = "Spring term\n\nThe pottery course runs from 4 March to 27 May. Fees are refunded on 10 June."
    assert answers_the_question("When does the pottery course start?", "It runs from 4 March [1].", [term])


def test_a_korean_compound_is_found_without_the_letter_that_joins_it():
    quote = "# 포장이사 견적서\n\n- 고객: 정하늘 님\n- 이사 날짜: 2027년 3월 13일 토요일, 오전 8시 작업 시작\n"
    assert claim_supported("이삿날은 2027년 3월 13일 토요일입니다 [1].", [quote], "이삿날은 언제인가요?")
    assert word_found("이삿날", {"이사", "날짜"}) and word_found("바닷가", {"바다"})


def test_an_answer_that_something_is_open_on_a_day_its_hours_say_it_is_closed_is_withheld():
    hours = ("# The Makerspace\n\nIt is open to anyone with a library card.\n\n## Opening hours\n\n| Day | Hours |\n"
             "| --- | --- |\n| Tuesday to Friday | 10 am to 8 pm |\n| Sunday and Monday | closed |\n")
    question = "Is the makerspace open on Mondays?"
    review = review_draft(question, "The makerspace is open on Mondays [1].", [hours])
    assert review.guard == "unsupported" and review.text == DECLINE["en"]  # and no sentence about another day instead
    assert claim_supported("The makerspace is open on Tuesdays [1].", [hours], "Is the makerspace open on Tuesdays?")
    assert claim_supported("No, it is closed on Mondays [1].", [hours], question)


def test_an_answer_from_one_document_does_not_stand_on_a_number_of_another():
    club = ("회비는 없고, 차와 다과는 도서관 친구들 모임이 후원합니다.\n\n신청은 모임 이틀 전까지 해 주십시오. 주차장은 좁으니 "
            "대중교통을 이용해 주시고, 가장 가까운 역은 지하철 2호선 신정네거리역입니다.")
    clinic = "밝은미소치과 진료 안내\n\n병원은 청솔빌딩 4층에 있고 건물 지하 주차장을 2시간까지 무료로 이용할 수 있습니다."
    question = "독서 모임 장소의 주차비는 얼마인가요?"
    answer = "독서 모임 장소의 주차비는 2시간까지 무료로 이용할 수 있습니다 [2]."
    assert not answers_the_question(question, answer, [club, clinic], ["club.txt", "clinic.html"])
    assert answers_the_question("치과 주차는 몇 시간까지 무료인가요?", "치과 주차장은 2시간까지 무료입니다 [2].", [club, clinic],
                                ["club.txt", "clinic.html"])


def test_an_answer_taking_a_word_that_names_another_documents_subject_is_off_the_question():
    hall = ("St Bridget's Parish Hall - terms of hire\n\nThe main hall seats 120 people.\n\nCharges\n"
            "The main hall costs 28 pounds an hour on weekdays and 35 pounds an hour on Saturdays and Sundays.")
    water = ("Planned water supply interruption in Eastfield\n\nDales Water will replace 400 metres of the cast-iron "
             "main under Hawthorn Road, turning off the supply to 340 homes.")
    documents = ["hall.txt", "water.html"]
    answer = "The new water main will cost 28 pounds an hour on weekdays [1]."
    assert not answers_the_question("How much will the new water main cost?", answer, [hall, water], documents)
    assert answers_the_question("How much will the main hall cost on a weekday?", "The main hall costs 28 pounds an "
                                "hour on weekdays [1].", [hall, water], documents)


def test_a_question_about_what_no_source_names_gets_no_answer_from_them():
    notice = "승강기 교체 공사 안내\n\n공사는 307동이 2027년 5월 10일부터 6월 18일까지입니다."
    assert not claim_supported("임진은 2027년에 일어났습니다 [1].", [notice], "임진왜란은 몇 년에 일어났나요?")
    assert claim_supported("307동 공사는 2027년 5월 10일에 시작합니다 [1].", [notice], "307동 공사는 언제 시작하나요?")


def test_a_figure_tied_to_the_wrong_day_or_kind_of_person_is_not_held():
    hall = ("Charges\nThe main hall costs 28 pounds an hour on weekdays and 35 pounds an hour on Saturdays and Sundays.\n"
            "The meeting room costs 12 pounds an hour at any time.")
    question = "How much does the main hall cost on a Saturday?"
    assert not claim_supported("The main hall costs 28 pounds an hour on Saturdays and Sundays [1].", [hall], question)
    assert claim_supported("The main hall costs 35 pounds an hour on Saturdays [1].", [hall], question)
    assert claim_supported("It costs 35 pounds an hour at weekends [1].", [hall], question)
    review = review_draft(question, "The main hall costs 28 pounds an hour on Saturdays and Sundays [1].", [hall])
    assert review.guard == "found" and "35 pounds an hour on Saturdays" in review.text  # the sentence that says it
    clinic = "진료 시간\n\n평일은 오전 9시부터 오후 6시까지, 토요일은 오후 1시까지 진료합니다. 진료비는 성인 15,000원, 어린이 8,000원입니다."
    assert not claim_supported("토요일은 오후 6시까지 진료합니다 [1].", [clinic], "토요일에는 몇 시까지 진료하나요?")
    assert claim_supported("토요일은 오후 1시까지 진료합니다 [1].", [clinic], "토요일에는 몇 시까지 진료하나요?")
    assert not claim_supported("어린이 진료비는 15,000원입니다 [1].", [clinic], "어린이 진료비는 얼마인가요?")
    assert claim_supported("어린이 진료비는 8,000원입니다 [1].", [clinic], "어린이 진료비는 얼마인가요?")
    pool = ("## Prices\n\n| Swim | Price |\n| --- | --- |\n| Adult | 5.20 pounds |\n| Junior under 17 | 3.10 pounds |\n"
            "| Family (two adults, three children) | 14 pounds |\n")  # a table's row ties its figure to its label
    assert not claim_supported("An adult swim costs 3.10 pounds [1].", [pool], "How much is an adult swim?")
    assert claim_supported("An adult swim costs 5.20 pounds [1].", [pool], "How much is an adult swim?")


def test_a_weekend_is_found_in_saturday_and_sunday():
    notice = "승강기 교체 공사 안내\n\n소음이 큰 철거 작업은 첫 두 주에만 합니다. 토요일과 일요일에는 공사를 하지 않습니다."
    assert claim_supported("주말에도 공사를 하지 않습니다 [1].", [notice], "주말에도 공사를 하나요?")
    assert word_found("weekend", {"saturday", "sundays"}) and word_found("saturday", {"weekends"})
    assert not word_found("weekend", {"saturday"}) and not word_found("평일", {"토요일", "일요일"})


def test_where_to_get_something_is_answered_by_a_place_without_the_verb():
    water = ("Planned water supply interruption in Eastfield\n\nDrinking water\n\nA bottled water station will be set "
             "up in the car park of Eastfield Community Centre from 7.30 am, with two 2-litre bottles per person.")
    answer = "The bottled water station will be set up in the car park of Eastfield Community Centre from 7.30 am [1]."
    assert answers_the_question("Where can I get bottled water during the works?", answer, [water])


def test_a_cost_is_found_in_the_compound_that_names_it():
    assert word_found("비용", {"공사비", "공사비는"}) and word_found("요금", {"수강료"})
    assert not word_found("비용", {"준비", "재료"})


def test_a_korean_amount_in_thousands_of_myriads_is_read_whole():
    from desktop_app.core.terms import spell_scaled_numbers

    assert spell_scaled_numbers("8천 5백만 원") == "85000000 원" and spell_scaled_numbers("2억 3천만 원") == "230000000 원"
    notice = "공사비는 한 대에 8천 5백만 원으로, 모두 장기수선충당금에서 지출합니다."
    assert claim_supported("공사비는 한 대에 85,000,000원입니다 [1].", [notice], "공사비는 얼마인가요?")
    assert not claim_supported("공사비는 한 대에 5,008,000원입니다 [1].", [notice], "공사비는 얼마인가요?")


def test_the_sentence_under_a_heading_answers_what_the_heading_names():
    water = ("Planned water supply interruption in Eastfield\n\nWhen the water comes back\n\nRun the cold kitchen tap "
             "for a few minutes.\n\nCompensation and contact\n\nIf the supply is not back by 8 pm, each affected "
             "household will receive 30 pounds, credited to its next bill. The site manager is Rhiannon Evans.")
    question = "How much compensation do households get if the water is not back by 8 pm?"
    assert quote_for(question, [water], [1]) == ("If the supply is not back by 8 pm, each affected household will "
                                                 "receive 30 pounds, credited to its next bill.", 1)
    assert quote_for("How much compensation do households get for the tap?", [water], [1]) is None


def test_of_two_sentences_that_answer_the_one_in_the_questions_words_is_quoted():
    clinic = ("진료 시간\n\n평일은 오전 9시 30분부터 오후 6시 30분까지, 토요일은 오후 2시까지 진료합니다. "
              "매주 목요일은 야간 진료로 저녁 8시 30분까지 진료합니다.")
    question = "목요일에는 몇 시까지 진료하나요?"
    assert quote_for(question, [clinic], [1]) == ("매주 목요일은 야간 진료로 저녁 8시 30분까지 진료합니다.", 1)
    review = review_draft(question, "목요일에는 오후 2시까지 진료합니다 [1].", [clinic])  # Saturday's hours
    assert review.guard == "found" and "8시 30분" in review.text


def test_a_plain_text_heading_says_what_the_paragraphs_under_it_are_about():
    letter = ("Dear tenant,\n\nAnnual boiler inspection 2028\n\nThe law requires this check once a year. We will "
              "visit every flat in March.\n\nThe visit takes about 40 minutes. The engineer will also test the alarms.")
    question = "How long does the boiler inspection take?"
    assert answers_the_question(question, "The boiler inspection takes about 40 minutes [1].", [letter])
    assert quote_for("How long does the inspection take?", ["The inspection is required once a year."], [1]) is None
    address = letter.replace("Annual boiler inspection 2028", "Flat 2, 14 Quarry Lane")  # a line with a comma is none
    assert not answers_the_question(question, "The boiler inspection takes about 40 minutes [1].", [address])


def test_a_quoted_sentence_may_inflect_the_questions_words_and_leave_the_title_to_say_the_subject():
    walkers = ("# Riverside Walkers\n\nRiverside Walkers, the walking group of Eastbury, meets every Sunday.\n\n"
               "## Joining\n\nNewcomers are welcome at any walk; no booking is needed, but bring water.")
    assert quote_for("Do I need to book to join the walking group?", [walkers], [1]) == (
        "Newcomers are welcome at any walk; no booking is needed, but bring water.", 1)


def test_where_is_not_answered_by_the_place_the_document_is_about():
    notice = ("새빛구립체육관 리모델링 휴관 안내\n\n공사 기간에는 체육관 전체가 문을 닫아 운동을 할 수 없으며, 휴관 기간은 3월 2일부터 6월 30일까지입니다.\n\n"
              "휴관 기간에는 체육관 옆 새빛문화센터 2층에 임시 운동실을 운영합니다.")
    sentence, _ = quote_for("휴관 기간에는 어디에서 운동할 수 있나요?", [notice], [1])
    assert "새빛문화센터" in sentence


def test_when_is_answered_by_a_time_and_what_time_by_an_hour():
    notice = ("도서관 휴관 안내\n\n빌린 책의 반납 기한은 9월 10일로 늦춰집니다. 책은 구청 1층의 무인 반납함에 돌려주시면 됩니다.\n\n"
              "새 도서관은 8월 30일 월요일에 다시 문을 엽니다.")
    assert not answers_the_question("빌린 책은 언제까지 돌려주면 되나요?", "빌린 책은 구청 1층의 무인 반납함에 돌려주시면 됩니다 [1].",
                                    [notice])
    assert answers_the_question("빌린 책은 언제까지 돌려주면 되나요?", "반납 기한은 9월 10일입니다 [1].", [notice])
    assert not answers_the_question("새 도서관은 몇 시까지 여나요?", "새 도서관은 8월 30일 월요일에 다시 문을 엽니다 [1].", [notice])
    shop = "Delivery\n\nThe minimum order is 40 pounds, and delivery is free above 75 pounds."
    assert answers_the_question("When is delivery free?", "Delivery is free above 75 pounds [1].", [shop])


def test_where_is_answered_by_a_named_place_and_how_by_what_to_do():
    classes = "Enrolling\n\nClasses need eight learners. The woodwork class takes place at the Brook Lane workshop."
    assert answers_the_question("Where is the woodwork class held?",
                                "The woodwork class is held at the Brook Lane workshop [1].", [classes])
    meeting = "푸른숲아파트 반상회 안내\n\n참석하지 못하는 세대는 11월 15일까지 관리사무소에 서면 의견서를 내면 됩니다."
    assert answers_the_question("반상회에 못 가면 어떻게 해야 하나요?",
                                "참석하지 못하는 세대는 11월 15일까지 관리사무소에 서면 의견서를 내면 됩니다 [1].", [meeting])


def test_a_sentence_that_only_says_where_the_answer_stands_goes():
    party = "Street party\n\nEvery household is asked to bring one dish to share and its own chairs."
    review = review_draft("What should each household bring?", "Each household brings one dish to share and its own "
                          "chairs [1]. This fact is stated in [1].", [party])
    assert review.text == "Each household brings one dish to share and its own chairs [1]." and review.guard is None


def test_a_question_about_nothing_but_the_documents_subject_gets_no_quote():
    science = "# 별빛도서관 과학교실\n\n별빛도서관이 겨울방학을 맞아 초등학생을 위한 과학교실을 엽니다. 재료비 5천 원은 당일 냅니다."
    assert quote_for("과학교실에 돈을 내야 하나요?", [science], [1]) is None


def test_a_cost_is_found_in_a_price():
    fibre = "# Full fibre is coming\n\n## Getting connected\n\n- Order from any provider; prices start at 25 pounds a month."
    assert word_found("cost", {"prices", "start"}) and not word_found("cost", {"start"})
    assert answers_the_question("How much does a full fibre connection cost?", "It costs 25 pounds a month [1].", [fibre])


def test_a_day_off_asked_with_swim_is_answered_by_the_closing_day_in_other_words():
    gallery = ("# 푸른별미술관 기획전\n\n관람 시간은 화요일부터 일요일까지 오전 10시부터 오후 6시까지입니다.\n"
               "매주 월요일은 휴관합니다. 관람료는 5천 원입니다.")
    review = review_draft("미술관은 무슨 요일에 쉬나요?", "미술관은 주말에는 휴관합니다 [1].", [gallery])
    assert review.guard == "found" and review.text == "매주 월요일은 휴관합니다. [1]"
    assert word_found("휴관", {"휴무입니다"}) and word_found("휴관", {"쉽니다"}) and not word_found("휴관", {"쉬운"})


def test_free_answers_a_question_for_a_cost():
    clinic = "# 새봄치과 안내\n\n올해 새 장비를 들였습니다. 교정 상담 때 구강 스캔은 무료입니다.\n불소 도포는 1회 2만 원입니다."
    assert quote_for("교정 상담 때 구강 스캔 비용은 얼마인가요?", [clinic], [1]) == ("교정 상담 때 구강 스캔은 무료입니다.", 1)


def test_a_figure_of_the_sentence_after_the_one_that_answers_gives_way_to_that_sentence():
    clinic = "# 새봄치과 안내\n\n올해 새 장비를 들였습니다. 교정 상담 때 구강 스캔은 무료입니다.\n불소 도포는 1회 2만 원입니다."
    question = "교정 상담 때 구강 스캔 비용은 얼마인가요?"
    review = review_draft(question, "교정 상담 때 구강 스캔 비용은 1회 2만 원입니다 [1].", [clinic])
    assert review.guard == "found" and review.text == "교정 상담 때 구강 스캔은 무료입니다. [1]"
    # a figure from a sentence in the question's words stands
    assert review_draft("불소 도포 비용은 얼마인가요?", "불소 도포는 1회 2만 원입니다 [1].", [clinic]).guard is None


def test_how_long_is_answered_by_a_length_of_time_not_by_an_age_limit():
    question = "How long is a kitten's first check-up?"
    assert not gives_what_is_asked(question, "The first check-up for kittens under six months is free [1].", frozenset())
    assert gives_what_is_asked(question, "The first check-up takes 30 minutes [1].", frozenset())
    assert gives_what_is_asked("How long is the footpath closed?", "It is closed until 14 March [1].", frozenset())


def test_a_count_the_sources_never_give_with_its_counter_is_not_the_count_asked():
    # the 5 of 5단지 stands beside 승강기 and 교체: only the counter tells the count from it
    lifts = ("# 솔빛마을 5단지 승강기 교체 공사 안내\n\n5단지 501동과 502동의 승강기를 새것으로 바꿉니다. "
             "이번 공사는 설치된 지 20년이 지난 승강기 6대를 교체하는 것입니다.\n\n"
             "| 동 | 기간 | 비고 |\n| 501동 | 3월 2일 ~ 4월 10일 | 1·2호 라인 먼저 |")
    review = review_draft("승강기를 모두 몇 대 교체하나요?", "5대 승강기를 교체합니다 [1].", [lifts])
    assert review.guard == "found" and "6대" in review.text
    assert review_draft("승강기를 모두 몇 대 교체하나요?", "승강기 6대를 교체합니다 [1].", [lifts]).guard is None


def test_what_you_pay_is_answered_by_a_table_row_with_an_amount():
    charges = ("Bike library\n\nCosts\n\n| Item | Amount |\n| Late return, per day | 2 pounds |\n"
               "| Lost lock | 15 pounds |\n\nMembers do not pay for repairs.")
    assert quote_for("What do you pay if you lose the bike lock?", [charges], [1]) == ("| Lost lock | 15 pounds |", 1)


def test_when_something_closes_is_not_answered_by_the_hour_it_opens():
    hours = ("Library opening hours\n\nThe library closes at different times at the weekend.\n\n| Day | Hours |\n"
             "| Saturday | 9 am to 5 pm |\n| Sunday | 10 am to 3 pm |")
    question = "What time does the library close on Sundays?"
    assert review_draft(question, "The library closes on Sundays at 10 am [1].", [hours]).guard == "off-question"
    assert not hour_from_the_wrong_end(question, "The library closes at 3 pm on Sundays.", [hours])
    assert hour_from_the_wrong_end("What time does the library open on Sundays?", "It opens at 3 pm.", [hours])
    assert not hour_from_the_wrong_end("What time does the library open on Sundays?", "It opens at 10 am.", [hours])
    clinic = "평일 진료는 오전 9시 30분부터 오후 6시 30분까지입니다."
    assert hour_from_the_wrong_end("평일에는 몇 시까지 진료하나요?", "오전 9시 30분까지 진료합니다.", [clinic])
    assert not hour_from_the_wrong_end("평일에는 몇 시까지 진료하나요?", "오후 6시 30분까지 진료합니다.", [clinic])


def test_a_general_price_is_not_the_price_the_source_gives_residents():
    course = "# 한빛동 도예교실\n\n- 수강료: 6만 원 (재료비 포함), 한빛동 주민은 3만 원\n- 모집 인원: 12명"
    review = review_draft("한빛동 주민의 도예교실 수강료는 얼마인가요?", "한빛동 주민의 도예교실 수강료는 6만 원입니다 [1].", [course])
    assert review.guard == "found" and "3만 원" in review.text
    # a table whose header says whom its prices are for ("Adult price") ties every row to adults
    pool = ("| Session | Days | Adult price |\n| Lane swim | Monday to Friday | 4.90 pounds |\n"
            "| Aqua fit | Tuesday | 7 pounds |\n\nChildren under 16 pay half the adult price.")
    assert review_draft("How much is an adult ticket for aqua fit?", "An adult ticket for aqua fit is 7 pounds [1].",
                        [pool]).guard is None


def test_the_documents_own_body_is_not_the_brand_asked_for():
    loan = ("Laptop Loan Scheme - Eastfield College\n\nEastfield College lends a laptop to every first-year student. "
            "The laptops are Lenova ThinkBooks bought last summer.")
    question = "Which brand of laptop does the college lend?"
    assert not answers_the_question(question, "The college lends laptops from Eastfield College [1].", [loan])
    assert answers_the_question(question, "The college lends Lenova ThinkBooks [1].", [loan])


def test_bringing_is_found_in_the_other_verbs_for_it():
    assert word_found("가져가", {"가져와야"}) and word_found("가져가", {"지참"}) and not word_found("가져가", {"가지"})


def test_a_plain_text_heading_on_the_line_over_its_text_says_what_the_document_is_about():
    rules = ("HAWTHORN LANE ALLOTMENTS - RULES FOR THE NEW SEASON\n\nPlots and rent\nThe site has 40 plots. A full "
             "plot costs 50 pounds a year.\n\nWaiting list\nThere are 12 people on the waiting list; the wait is about "
             "two years.")
    waiting = rules[rules.index("Waiting list"):]
    assert answers_the_question("How long is the wait for an allotment plot?",
                                "The wait for an allotment plot is about two years [2].", [rules[:rules.index("Waiting")],
                                                                                          waiting], ["a", "a"])


def test_an_english_question_may_name_a_korean_place_in_latin_letters():
    gym = "# 하늘빛 구민체육센터 헬스장 안내\n\n| 구분 | 한 달 |\n| --- | --- |\n| 일반 | 4만 원 |\n| 구민 | 2만 5천 원 |"
    question = "How much is a one-month gym pass for district residents at Haneulbit Sports Centre?"
    assert claim_supported("A one-month pass for district residents costs 25,000 won [1].", [gym], question)
    assert not claim_supported("It costs 25,000 won [1].", ["The gym charges 25,000 won a month."],
                               "How much is the Haneulbit gym pass?")  # an English source would name it


def test_a_korean_name_after_its_role_answers_who_though_the_analyser_misses_it():
    gym = ("# 새빛 구민체육센터 헬스장\n\n## 개인 지도\n\n개인 지도는 10회에 30만 원이고, 담당 트레이너는 생활체육지도사 "
           "강민재입니다.\n\n문의: 구민체육센터 안내실 (02-3290-1234)")
    question = "헬스장 담당 트레이너는 누구인가요?"
    assert quote_for(question, [gym], [1]) == ("개인 지도는 10회에 30만 원이고, 담당 트레이너는 생활체육지도사 강민재입니다.", 1)
    review = review_draft(question, "문의: 구민체육센터 안내실 (02-3290-1234) [1]", [gym])
    assert review.guard == "found" and "강민재" in review.text


def test_a_korean_date_is_the_same_date_written_in_english():
    report = "The Harwick bike share pilot started on 2 May 2025. It is run by the operator Cyclo."
    assert claim_supported("2025년 5월 2일부터 시작된 자전거 공유 사업의 운영사는 Cyclo입니다 [1].", [report],
                           "자전거 공유 사업의 운영사는 어디인가요?")
    assert not claim_supported("2025년 6월 2일부터 시작된 자전거 공유 사업의 운영사는 Cyclo입니다 [1].", [report],
                               "자전거 공유 사업의 운영사는 어디인가요?")
    assert "month:5" not in content_terms("You may go in May.")[0]


def test_a_name_in_a_letters_signature_stands_with_the_role_on_the_line_under_it():
    letter = ("Dear patients,\n\nThe surgery closes at 1 pm on Friday 4 April for staff training.\n\n"
              "Yours sincerely,\nDr Alan Birch\nPractice Manager\n")
    assert answers_the_question("Who is the practice manager?", "The practice manager is Dr Alan Birch [1].", [letter])


def test_a_class_teacher_answers_who_the_instructor_is():
    yoga = "# 새봄동 요가교실 안내\n\n요가 전문가 한소라 선생님과 함께 매주 화요일 저녁에 몸을 풉니다."
    review = review_draft("요가교실 강사는 누구인가요?", "요가교실 강사는 한소라 선생님입니다 [1].", [yoga])
    assert review.guard is None and "한소라" in review.text


def test_an_english_question_is_answered_by_a_korean_name_when_no_english_sentence_speaks_of_it():
    roof = "# 별빛도서관 지붕 보수 공사\n\n공사는 5월에 끝납니다. 현장 책임자는 대성건설 박준호 과장입니다."
    cafe = ("The cafe reopens in May. Volunteers repair bikes every Saturday. Books go back to the library shelves "
            "on Monday. The site office is upstairs. Ask the duty manager for the key.")
    question = "Who is the site manager of the library roof repair?"
    assert answers_the_question(question, "The site manager is 박준호 of 대성건설 [1].", [roof, cafe])
    assert not answers_the_question(question, "The site manager is 박준호 of 대성건설 [1].",
                                    [roof, "The library roof repair is run by our site manager, Ann Cole."])


def test_which_company_is_asked_with_where_and_answered_by_a_company_name():
    notice = "# 햇빛아파트 계단 청소 안내\n\n매주 화요일 오전에 계단 청소를 합니다. 청소는 (주)깨끗나라가 맡습니다."
    assert quote_for("계단 청소를 맡은 업체는 어디인가요?", [notice], [1]) == ("청소는 (주)깨끗나라가 맡습니다.", 1)


def test_a_labelled_line_answers_for_its_documents_subject():
    form = "# 새봄동 요가교실 수강생 모집\n\n- 기간: 3월 4일 ~ 4월 29일\n- 정원: 12명 (선착순)\n- 장소: 2층 강당"
    assert quote_for("요가교실 정원은 몇 명인가요?", [form], [1]) == ("정원: 12명 (선착순)", 1)
    assert quote_for("요가교실 수강료는 얼마인가요?", [form], [1]) is None


def test_the_one_leaving_a_post_is_not_its_new_holder():
    newsletter = ("Annual meeting\nMembers vote on the budget and elect a new secretary after Joan Pike steps down "
                  "in March. Tea is served from 7 pm.")
    question = "Who will be the club's new secretary?"
    review = review_draft(question, "The club's new secretary will be Joan Pike [1].", [newsletter])
    assert review.guard == "off-question" and "Joan" not in review.text
    assert answers_the_question("Who is stepping down as secretary?", "Joan Pike is stepping down [1].", [newsletter])
    assert answers_the_question(question, "The new secretary is Joan Pike [1].",
                                ["Joan Pike, elected in March, is the club's new secretary."])


def test_a_date_is_not_whom_a_figure_is_for():
    slide = ("# Money\nIncome from the shop and export tariff: 24,300 pounds\n"
             "Interest paid to members: 3.5 per cent, paid on 31 March")
    assert claim_supported("Members get 3.5% interest paid on 31 March [1].", [slide], "What interest do members get?")


TIMETABLE = ("# 겨울 강좌\n| 강좌명 | 요일 | 수강료(월) |\n| 아침 수영 | 월·수·금 | 5만 5천 원 |\n| 필라테스 | 월·수 | 7만 원 |",
             "| 필라테스 | 월·수 | 7만 원 |\n| 탁구 | 토 | 4만 원 |\n| 태권도 | 월~금 | 8만 원 |")


def test_a_tables_header_row_is_read_with_its_rows_in_another_passage():
    assert answers_the_question("탁구 강좌 수강료는 한 달에 얼마인가요?", "탁구 강좌 수강료는 한 달에 4만 원입니다 [2].",
                                TIMETABLE, ["winter.xlsx", "winter.xlsx"])


def test_a_table_row_answers_only_for_what_its_first_cell_names():
    assert not answers_the_question("요가 강좌 수강료는 얼마인가요?", "요가 강좌 수강료는 5만 5천 원입니다 [1].",
                                    TIMETABLE, ["winter.xlsx", "winter.xlsx"])
    assert answers_the_question("아침 수영 수강료는 얼마인가요?", "아침 수영 수강료는 5만 5천 원입니다 [1].",
                                TIMETABLE, ["winter.xlsx", "winter.xlsx"])


def test_which_department_is_answered_by_the_sentence_that_names_it():
    park = "# 망원 반려견 놀이터\n\n## 관리와 문의\n\n놀이터는 마포구청 동물복지팀이 관리하며, 주말에는 요원 2명이 상주합니다."
    assert quote_for("반려견 놀이터는 어느 부서가 관리하나요?", [park], [1]) == (
        "놀이터는 마포구청 동물복지팀이 관리하며, 주말에는 요원 2명이 상주합니다.", 1)


def test_no_fee_answers_what_a_fee_is():
    park = "# 망원 반려견 놀이터\n\n반려견 놀이터는 공원 주차장 옆에 있습니다. 넓이는 약 1,800제곱미터이며, 입장료는 없습니다."
    assert quote_for("반려견 놀이터 입장료는 얼마인가요?", [park], [1]) == ("넓이는 약 1,800제곱미터이며, 입장료는 없습니다.", 1)


def test_a_day_off_the_answer_leaves_out_gives_way_to_the_sentence_that_names_it():
    park = "# 망원 반려견 놀이터\n\n## 이용 시간\n\n- 3월 ~ 10월: 오전 7시 ~ 오후 9시\n- 매주 월요일은 잔디 관리를 위해 쉽니다."
    review = review_draft("반려견 놀이터는 무슨 요일에 쉬나요?", "반려견 놀이터는 월~금요일에 쉽니다 [1].", [park])
    assert review.guard == "found" and "월요일" in review.text
