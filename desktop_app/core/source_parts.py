"""The parts of a source passage that the answer checks read: its sentences with their terms (alone,
with the sentence before, with their paragraph), its title lines, headings and topic words."""

from __future__ import annotations

import re
from itertools import takewhile
from typing import NamedTuple

from desktop_app.core.grounding import MIN_WRAPPED_LINE, content_terms, split_sentences

MAX_TITLE_WORDS, MAX_TITLE_LINES = 12, 3
MAX_HEADING_LINE_WORDS = 6  # a heading on the line over its text ("Water and bonfires")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def topic_words(source_text: str) -> set[str]:
    """Words of a source's headings and first sentence: what the whole passage is about (솔밭 캠핑장,
    요금과 시간), which a question names without the answer's sentence repeating it."""
    lines = [line for line in source_text.splitlines() if line.lstrip().startswith("#")]
    first = split_sentences(source_text)[:1]
    return set(content_terms("\n".join(lines + first), source=True)[1])


def title_line(source_text: str) -> str:
    """A source's first lines when they read as a title (short, no sentence end: "Halden Community
    Clinic: Annual Report 2025", "# Tessellate 4.2 release notes", "Ashgrove Primary School" over "Year
    5 residential trip"); "" for a passage that starts elsewhere or under a subheading."""
    block = next((p.strip().splitlines() for p in PARAGRAPH_BREAK.split(source_text) if p.strip()), [])
    if not block or block[0].startswith("##"):
        return ""
    title = list(takewhile(reads_as_heading, block if len(block) <= MAX_TITLE_LINES else block[:1]))
    return "\n".join(title)  # a longer block of short lines is a form or an address: its first line only


_SUBJECT_LINE = re.compile(r"^\s*(?:re|subject|제목)\s*:", re.IGNORECASE)


def heading_words(source_text: str) -> set[str]:
    """Words of a source's Markdown headings, of a letter's subject line ("Re: renewal of your
    tenancy"), of first lines that read as a title, and of plain text's headings: a paragraph of one
    short line with no sentence end and no comma ("Annual gas safety check 2027", "Charges"; not
    "Dear resident," nor an address)."""
    lines = [line for line in source_text.splitlines()
             if line.lstrip().startswith("#") or _SUBJECT_LINE.match(line)]
    lines += [paragraph.strip() for paragraph in PARAGRAPH_BREAK.split(source_text)[1:]
              if paragraph.strip() and "\n" not in paragraph.strip() and "," not in paragraph
              and reads_as_heading(paragraph)]
    lines += [first for paragraph in PARAGRAPH_BREAK.split(source_text)
              if (first := _heading_over_lines(paragraph))]
    lines += table_headers(source_text)
    return set(content_terms("\n".join(lines + [title_line(source_text)]), source=True)[1])


class SourceSentence(NamedTuple):
    text: str
    numbers: frozenset[str]
    words: frozenset[str]
    near_numbers: frozenset[str]  # with the sentence before it ("... the eastern breakwater. The breakwater,
    near_words: frozenset[str]  # designed by ..." names the breakwater in the one before)
    section_words: frozenset[str]  # of its paragraph, and of the heading line over it ("The new dental wing")
    heading: frozenset[str] = frozenset()  # of the heading line over its paragraph alone ("Compensation and contact")



def source_sentences(source_text: str) -> list[SourceSentence]:
    """The sentences of a source with their terms, alone, with the sentence before each, and with
    the rest of their paragraph."""
    out, previous, heading_words = [], (frozenset(), frozenset()), frozenset()
    header: frozenset[str] | None = None  # a table's first row, read with each of its rows ("| 강좌명 | 수강료(월) |")
    for paragraph in PARAGRAPH_BREAK.split(source_text):
        sentences = [(sentence, *content_terms(sentence, source=True)) for sentence in split_sentences(paragraph)]
        if not sentences:
            continue
        section = heading_words.union(*(words for _, _, words in sentences))
        # In a block of short lines (a letter's signature: "Mrs Hannah Lowe" over "Headteacher") a line
        # stands with the line under it too.
        block = len(sentences) > 1 and all(len(sentence.split()) <= MAX_HEADING_LINE_WORDS and reads_as_heading(sentence)
                                           and not sentence.lstrip().startswith("|") for sentence, _, _ in sentences)
        for index, (sentence, numbers, words) in enumerate(sentences):
            after = sentences[index + 1][1:] if block and index + 1 < len(sentences) else (frozenset(), frozenset())
            row = sentence.lstrip().startswith("|")
            # a table's first row is its header, unless the passage starts inside the table (then none is known)
            header = ((words if out else frozenset()) if header is None else header) if row else None
            out.append(SourceSentence(sentence, numbers, words, numbers | previous[0] | after[0],
                                      words | previous[1] | after[1] | (header or frozenset()), section, heading_words))
            previous = (numbers, words)
        heading_words = sentences[0][2] if len(sentences) == 1 and reads_as_heading(paragraph) else frozenset()
    return out


def row_key(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and words of a table row's first cell, what the row is about ("| 탁구 | 토 | 4만 원 |");
    none for other sentences and one-cell rows."""
    cells = [cell.strip() for cell in sentence.strip().strip("|").split("|")] if sentence.lstrip().startswith("|") else []
    return content_terms(cells[0], source=True) if len(cells) > 1 else (frozenset(), frozenset())


def table_headers(source_text: str) -> list[str]:
    """The first rows of a source's tables ("| 강좌명 | 요일 | 수강료(월) |"): what every row's cells are;
    a table the passage starts inside has none."""
    lines = [line.strip() for line in source_text.strip().splitlines() if line.strip()]
    return [line for before, line in zip(lines, lines[1:]) if line.startswith("|") and not before.startswith("|")]


def _heading_over_lines(paragraph: str) -> str:
    """The first line of a plain-text paragraph when it is a heading with its text on the next lines
    ("Plots and rent" over "The site has 64 plots. ..."): a few words, shorter than a wrapped line of
    prose, no comma nor sentence end; "" otherwise."""
    lines = paragraph.strip().splitlines()
    if len(lines) < 2 or lines[0].lstrip().startswith(("#", "|", "-", "*")):
        return ""
    first = lines[0].strip()
    short = len(first) < MIN_WRAPPED_LINE and len(first.split()) <= MAX_HEADING_LINE_WORDS and "," not in first
    return first if short and reads_as_heading(first) and not lines[1].lstrip()[:1].islower() else ""


def reads_as_heading(line: str) -> bool:
    """A Markdown heading, or a short line with no sentence end ("The new dental wing")."""
    line = line.strip()
    return line.startswith("#") or (len(line.split()) <= MAX_TITLE_WORDS and line[-1] not in ".!?。")
