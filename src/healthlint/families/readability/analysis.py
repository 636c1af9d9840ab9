"""What the readability rules report on, computed once per article: sentences, counts, grades.

Grades are computed on the prose only (no front matter, code, URLs or tables), over the
sentences of :func:`healthlint.text.sentences.split_sentences`: a heading or a list item is a
sentence of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, cast

from healthlint import regexcache
from healthlint.article import BARE_URL_RE, PROSE_KINDS, Article, Block
from healthlint.families.readability.options import ReadabilityOptions
from healthlint.families.readability.scoring import Counts, Scores, score
from healthlint.families.readability.syllables import memo, syllables
from healthlint.families.readability.textstat_engine import textstat_scores
from healthlint.text.sentences import split_sentences

#: Block kinds whose grade HL403 judges (headings are too short to grade).
PARAGRAPH_KINDS = frozenset({"paragraph", "list_item", "blockquote", "html"})
#: Front matter keys, top-level or (winning) under ``healthlint:``: ``reading-grade: 10``, ``reading-grade-limit: 16``.
META_TARGET = "reading-grade"
META_LIMIT = "reading-grade-limit"

#: A word: letters/digits, joined by apostrophes or hyphens, or decimal points between digits.
_TOKEN_RE = regexcache.compile(r"[^\W_]+(?:['\-][^\W_]+|(?<=\d)[.,]\d+)*")
#: The same words as a group, so ``split`` returns them with the text between them.
_TOKEN_SPLIT_RE = regexcache.compile(r"([^\W_]+(?:['\-][^\W_]+|(?<=\d)[.,]\d+)*)")


class Sentence:
    """One sentence of a block: its span in the block's text, its counts and its words."""

    __slots__ = ("_folded", "_tokens", "block", "counts", "end", "start", "words")

    def __init__(self, block: Block, start: int, end: int, counts: Counts, words: list[str], folded: str) -> None:
        self.block = block
        self.start = start
        self.end = end
        self.counts = counts
        #: The sentence's words, lower case, straight apostrophes.
        self.words = words
        self._folded = folded
        self._tokens: list[tuple[int, int, str]] | None = None

    def layout(self) -> tuple[list[str], list[int]]:
        """The sentence as pieces ``[gap, word, gap, word, ..., gap]`` (words lower case) and the block
        offset where each piece starts, followed by the sentence's end."""
        pieces: list[str] = _TOKEN_SPLIT_RE.split(self._folded[self.start : self.end])
        return pieces, list(accumulate(map(len, pieces), initial=self.start))

    @property
    def tokens(self) -> list[tuple[int, int, str]]:
        """(start, end, lower-case word) of each word, in block offsets (found when first asked for)."""
        if self._tokens is None:
            self._tokens = [
                (m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(self._folded, self.start, self.end)
            ]
        return self._tokens


class Paragraph:
    """One block's sentences, their counts, and (for blocks HL403 judges) its own scores."""

    __slots__ = ("block", "counts", "grades", "sentences", "text")

    def __init__(self, block: Block, text: str, sentences: list[Sentence], counts: Counts) -> None:
        self.block = block
        #: The block's text with URLs blanked out.
        self.text = text
        self.sentences = sentences
        self.counts = counts
        self.grades: Scores | None = None


@dataclass
class Analysis:
    paragraphs: list[Paragraph]
    counts: Counts
    scores: Scores
    target: float
    limit: float
    formula: str
    #: Front matter overrides that could not be read: (message, line).
    problems: list[tuple[str, int]] = field(default_factory=list)

    @property
    def grade(self) -> float | None:
        return self.scores.grade(self.formula)

    def sentences(self) -> Iterator[Sentence]:
        for paragraph in self.paragraphs:
            yield from paragraph.sentences


def _prose_text(block: Block) -> str:
    """The block's text with bare URLs blanked out (same length, so offsets still map)."""
    text = block.text
    if "://" in text or "www." in text.lower():
        text = BARE_URL_RE.sub(lambda m: " " * len(m.group()), text)
    return text


def analyse_block(block: Block) -> Paragraph:
    """Sentences, words and syllables of one block of prose."""
    text = _prose_text(block)
    spans = split_sentences(text)
    folded = text.lower().replace("’", "'")
    if len(folded) != len(text):  # a few characters ("İ") grow in lower case; keep offsets aligned
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    findall = _TOKEN_RE.findall
    known = memo().get
    sentences: list[Sentence] = []
    total = Counts()
    for start, end in spans:
        # No word crosses a sentence end (sentences end before white space, or at a full stop
        # glued to the next word, which no word holds), so each sentence's words are the
        # matches inside its span.
        words: list[str] = findall(folded, start, end)
        if not words:
            continue
        found: list[int | None] = list(map(known, words))
        if None in found:
            found = [n if n is not None else syllables(w) for n, w in zip(found, words, strict=True)]
        counts = cast("list[int]", found)
        n_words = len(words)
        # Every count is at least 1, so the words of 3+ syllables are all but the ones and twos.
        sentence_counts = Counts(n_words, 1, sum(counts), n_words - counts.count(1) - counts.count(2))
        sentences.append(Sentence(block, start, end, sentence_counts, words, folded))
        total.add(sentence_counts)
    return Paragraph(block, text, sentences, total)


def _scores(paragraphs: list[Paragraph], counts: Counts, engine: str) -> Scores:
    if engine == "textstat":
        return textstat_scores(p.text[s.start : s.end] for p in paragraphs for s in p.sentences)
    return score(counts)


def analyse(article: Article, options: ReadabilityOptions) -> Analysis:
    """Everything HL401-HL405 report on, computed once per article."""
    paragraphs = [analyse_block(b) for b in article.blocks if b.kind in PROSE_KINDS]
    paragraphs = [p for p in paragraphs if p.sentences]
    total = Counts()
    for p in paragraphs:
        total.add(p.counts)
    scores = _scores(paragraphs, total, options.engine)
    for p in paragraphs:
        if p.block.kind in PARAGRAPH_KINDS and p.counts.words >= options.paragraph_min_words:
            p.grades = _scores([p], p.counts, options.engine)
    target, limit, problems = _article_thresholds(article, options)
    return Analysis(paragraphs, total, scores, target, limit, options.grade_formula, problems)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def metrics(analysis: Analysis, options: ReadabilityOptions) -> dict[str, Any]:
    """What the JSON output's ``metrics.readability`` holds for an article."""
    c = analysis.counts
    s = analysis.scores
    return {
        "flesch_kincaid_grade": _round(s.flesch_kincaid_grade),
        "smog_index": _round(s.smog_index),
        "flesch_reading_ease": _round(s.flesch_reading_ease),
        "grade": analysis.grade,
        "grade_formula": analysis.formula,
        "target_grade": analysis.target,
        "max_grade": analysis.limit,
        "words": c.words,
        "sentences": c.sentences,
        "syllables": c.syllables,
        "polysyllables": c.polysyllables,
        "words_per_sentence": round(c.words_per_sentence, 1),
        "syllables_per_word": round(c.syllables_per_word, 2),
        "long_sentences": sum(1 for x in analysis.sentences() if x.counts.words > options.max_sentence_words),
        "engine": options.engine,
    }


def _article_thresholds(article: Article, options: ReadabilityOptions) -> tuple[float, float, list[tuple[str, int]]]:
    """The site's target and limit, overridden by the article's front matter."""
    target, limit = options.target_grade, options.max_grade
    problems: list[tuple[str, int]] = []
    sources: list[tuple[str, dict[str, Any]]] = [("", article.meta)]
    nested = article.meta.get("healthlint")
    if isinstance(nested, dict):
        sources.append(("healthlint.", nested))
    for prefix, table in sources:
        for key in (META_TARGET, META_LIMIT):
            if key not in table:
                continue
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 30:
                problems.append(
                    (
                        f"front matter {prefix}{key} must be a grade from 0 to 30, not {value!r}",
                        article.meta_line(key),
                    )
                )
                continue
            if key == META_TARGET:
                target = float(value)
            else:
                limit = float(value)
    if limit < target:
        limit = target
    return target, limit, problems
