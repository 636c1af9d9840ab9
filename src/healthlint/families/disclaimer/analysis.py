"""Find the safety statements, discouragements and stop-your-medicine sentences of an article.

A safety statement is recognised however it is phrased ("consult your doctor", "talk to a
qualified healthcare provider", "needs to be evaluated by a healthcare professional", "is
not a substitute for professional medical advice", "does not replace diagnosis or
prescribed treatment", "when to see a doctor", "call 911"), in any block (headings, list
items, FAQ answers, quotes, HTML), but not when it is negated or part of a spam footer.
Everything is regular expressions, compiled on first use, each behind the words that prove
when it cannot match (:mod:`.patterns`); nothing heavy is imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from healthlint.article import Article, Block
from healthlint.families.disclaimer.advice import gives_advice
from healthlint.families.disclaimer.advice_model import judge
from healthlint.families.disclaimer.framing import (
    NEGATED_AFTER_RE,
    PROHIBITIVE_WITHOUT_RE,
    SPAM_FOOTER_RE,
    TALK_RE,
    frame,
    narrative,
)
from healthlint.families.disclaimer.meaning import MEANING_WORDS, meaning_words_in, recognise
from healthlint.families.disclaimer.options import DisclaimerOptions
from healthlint.families.disclaimer.patterns import (
    ALL_WORDS,
    FRAMED,
    NO_NEED,
    STATEMENTS,
    STOP_MEDICINE,
    block_words,
    sentence_mask,
    wordings_allowed,
)
from healthlint.regexcache import LazyPattern
from healthlint.rules import RuleContext
from healthlint.text.sentences import split_sentences

_FALSEY = frozenset({"", "no", "none", "false", "off", "n/a", "-"})


@dataclass(frozen=True)
class Statement:
    """A sentence that is (or argues against) a safety statement."""

    block: Block
    start: int
    end: int
    #: ``safety``: tells readers to see a professional; ``discourages``: talks them out of it;
    #: ``stop-medicine``: tells them to stop prescribed medicine.
    kind: str
    #: The words that decided it.
    evidence: str


def classify_sentence(sentence: str, words: tuple[str, ...] = ALL_WORDS) -> tuple[str, str] | None:
    """``("safety" | "discourages" | "stop-medicine", evidence)`` for one sentence, or None.

    ``words``: the words of ``ALL_WORDS`` the sentence may hold (see :func:`.patterns.words_in`).
    """
    found = _classify_by_wording(sentence, words)
    return found if found is not None else _by_meaning(sentence)


def _by_meaning(sentence: str, words: tuple[str, ...] = MEANING_WORDS) -> tuple[str, str] | None:
    meant = recognise(sentence, words)
    return None if meant is None or SPAM_FOOTER_RE.search(sentence) else ("safety", meant)


def _classify_by_wording(sentence: str, words: tuple[str, ...]) -> tuple[str, str] | None:
    """The enumerated wordings of ``data/patterns.toml``."""
    may_stop, may_no_need, statements, framed_res = _possible(sentence_mask(sentence, words))
    if not (may_stop or may_no_need or statements or framed_res):
        return None  # nothing below can match
    found = _wording(sentence, may_stop, may_no_need, statements, framed_res)
    # a spam footer's words are no statement; checked last, as most sentences match no wording at all
    return None if found is None or SPAM_FOOTER_RE.search(sentence) else found


#: What may match a sentence, by the groups of words it holds (:func:`.patterns.sentence_mask`): sentences
#: share a few thousand masks, so each is worked out once rather than 17 pattern checks a sentence.
Possible = tuple[bool, bool, tuple[LazyPattern, ...], tuple[LazyPattern, ...]]
_POSSIBLE: dict[int, Possible] = {}


def _possible(mask: int) -> Possible:
    found = _POSSIBLE.get(mask)
    if found is None:
        if len(_POSSIBLE) >= 4096:
            _POSSIBLE.clear()  # a bound on memory for long runs; the masks of a corpus number far fewer
        allowed = wordings_allowed(mask)  # in the order of GUARDED: statements, framed, no-need, stop-medicine
        statements = allowed[: len(STATEMENTS)]
        framed = allowed[len(STATEMENTS) : len(STATEMENTS) + len(FRAMED)]
        found = _POSSIBLE[mask] = (
            allowed[-1],
            allowed[-2],
            tuple([guarded.regex for guarded, may in zip(STATEMENTS, statements, strict=True) if may]),
            tuple([guarded.regex for guarded, may in zip(FRAMED, framed, strict=True) if may]),
        )
    return found


def _wording(
    sentence: str,
    may_stop: bool,
    may_no_need: bool,
    statements: tuple[LazyPattern, ...],
    framed_res: tuple[LazyPattern, ...],
) -> tuple[str, str] | None:
    """What the wordings that may match ``sentence`` make of it (spam footers aside)."""
    stop = STOP_MEDICINE.regex.search(sentence) if may_stop else None
    if stop and frame(sentence, stop.start()) == "positive" and not TALK_RE.search(sentence):
        return "stop-medicine", stop.group(0)
    m = NO_NEED.regex.search(sentence) if may_no_need else None
    if (
        m
        and not PROHIBITIVE_WITHOUT_RE.search(sentence[max(0, m.start() - 240) : m.start()])
        and not narrative(sentence, m.start())
    ):
        return "discourages", m.group(0)
    negative: str | None = None
    for regex in statements:
        m = regex.search(sentence)
        if m:
            return "safety", m.group(0)
    for regex in framed_res:
        for m in _overlapping(regex, sentence):
            framed = frame(sentence, m.start())
            if framed == "negative" or NEGATED_AFTER_RE.match(sentence, m.end(), m.end() + 120):
                if not narrative(sentence, m.start()):
                    negative = negative or m.group(0)
                continue
            if framed == "positive":
                return "safety", m.group(0)
    if negative:
        return "discourages", negative
    return None


def _overlapping(regex: LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """Matches starting at every position (a failed "get ... doctor" must not hide "talk to your doctor")."""
    pos = 0
    while pos < len(text):
        m = regex.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.start() + 1


def is_safety_statement(text: str) -> bool:
    """Whether any sentence of ``text`` is a safety statement (used for front matter and config text)."""
    return any(
        (found := classify_sentence(text[a:b])) is not None and found[0] == "safety"
        for a, b in split_sentences(" ".join(text.split()))
    )


#: For each block of an article: the words of ``ALL_WORDS`` it holds, or None when no wording of the data
#: file can match in it (:func:`.patterns.worth_reading`).
Reading = list[tuple[str, ...] | None]


def reading_of(article: Article) -> Reading:
    """What :func:`find_statements` and :func:`statement_by_meaning` both ask of every block, asked once."""
    return [block_words(block.text) for block in article.blocks]


def find_statements(article: Article, reading: Reading | None = None) -> list[Statement]:
    """Every safety statement, discouragement and stop-your-medicine sentence in the article body that
    the enumerated wordings of ``data/patterns.toml`` recognise (see :func:`statement_by_meaning`)."""
    out: list[Statement] = []
    for block, words in zip(article.blocks, reading or reading_of(article), strict=True):
        if words is None:
            continue  # no wording of the data file can match: its sentences need not even be split
        text = block.text
        for start, end in block.sentences:
            found = _classify_by_wording(text[start:end], words)
            if found is not None:
                out.append(Statement(block, start, end, found[0], found[1]))
    return out


def statement_by_meaning(article: Article, reading: Reading | None = None) -> Statement | None:
    """The first safety statement recognised by its meaning (:mod:`.meaning`), where the wordings missed one."""
    for block, words in zip(article.blocks, reading or reading_of(article), strict=True):
        text = block.text
        meaning_words = meaning_words_in(text, words is not None, words or ())
        if not meaning_words:
            continue
        for start, end in block.sentences:
            found = _by_meaning(text[start:end], meaning_words)
            if found is not None:
                return Statement(block, start, end, found[0], found[1])
    return None


@dataclass
class DisclaimerAnalysis:
    statements: list[Statement]
    #: Where the safety statement was found: ``body``, ``front-matter``, ``config`` or None.
    source: str | None
    #: A front matter disclaimer key whose text is not a safety statement, with its value.
    bad_front_matter: tuple[str, str] | None
    #: Under ``require = "advice"``: the advice sentences of an article that gives treatment advice (else empty).
    advice: list[tuple[Block, int, int]]
    #: The treatment-advice model's verdict on the article (:mod:`.advice_model`); None under
    #: ``require = "always"``, where nothing asks for it.
    gives_treatment_advice: bool | None
    #: Whether ``advice`` holds a sentence found to give advice; False when no sentence was, and it holds the
    #: opening's first sentence (a heading, often), which a message must not call advice.
    advice_located: bool = True


def _front_matter(article: Article, keys: list[str]) -> tuple[str | None, tuple[str, str] | None]:
    wanted = {re.sub(r"[\s_-]+", "_", k.lower()) for k in keys}
    bad: tuple[str, str] | None = None
    for key, value in article.meta.items():
        if re.sub(r"[\s_-]+", "_", key.lower()) not in wanted:
            continue
        if value is True:
            return "front-matter", None
        if isinstance(value, str) and value.strip().lower() not in _FALSEY:
            text = value.strip()
            if len(text.split()) <= 3 or is_safety_statement(text):  # "standard", "medical": a template's name
                return "front-matter", None
            bad = (key, text)
        elif isinstance(value, list) and any(isinstance(v, str) and is_safety_statement(v) for v in value):
            return "front-matter", None
    return None, bad


def find_advice(article: Article, limit: int = 0) -> list[tuple[Block, int, int]]:
    """Sentences that give health advice (doses, "you should", imperatives, recommended treatments)."""
    out: list[tuple[Block, int, int]] = []
    for block in article.blocks:
        for start, end in block.sentences:
            if gives_advice(block.text[start:end]):
                out.append((block, start, end))
                if limit and len(out) >= limit:
                    return out
    return out


#: How much of an article the treatment-advice model reads: what a page is for shows in its opening, and
#: the model was fitted on openings of pages of at most 2,000 characters (its counts grow with the text read).
OPENING_CHARACTERS = 2000


def _opening(article: Article) -> list[tuple[Block, int, int]]:
    """The sentences of the article's opening (:data:`OPENING_CHARACTERS`), as (block, start, end)."""
    out: list[tuple[Block, int, int]] = []
    seen = 0
    for block in article.blocks:
        for start, end in block.sentences:
            out.append((block, start, end))
            seen += end - start
            if seen >= OPENING_CHARACTERS:
                return out
    return out


def analyse(article: Article, options: DisclaimerOptions) -> DisclaimerAnalysis:
    reading = reading_of(article)
    statements = find_statements(article, reading)
    source: str | None = None
    bad: tuple[str, str] | None = None
    if any(s.kind == "safety" for s in statements):
        source = "body"
    if source is None and article.meta:
        source, bad = _front_matter(article, options.front_matter_keys)
    if source is None and options.site_disclaimer not in (False, ""):
        source = "config"
    treatment: bool | None = None
    if options.require == "advice":
        where = _opening(article)
        treatment, first_advice = judge([b.text[x:y] for b, x, y in where])
    if source is None and (options.require == "always" or treatment):
        # recognition by meaning is the slow part: only where HL201 would otherwise fire
        meant = statement_by_meaning(article, reading)
        if meant is not None:
            statements.append(meant)
            source = "body"
    advice: list[tuple[Block, int, int]] = []
    if treatment and source is None:
        # the model judges the article's opening; the finding names its first advice sentence, else the first
        # sentence that gives advice by the wordings of .advice, else its first sentence
        advice = [where[first_advice]] if first_advice is not None else find_advice(article, limit=1)
        if not advice:
            return DisclaimerAnalysis(statements, source, bad, where[:1], treatment, advice_located=False)
    return DisclaimerAnalysis(statements, source, bad, advice, treatment)


def analysis_of(article: Article, ctx: RuleContext) -> DisclaimerAnalysis:
    """The article's analysis (computed by the first disclaimer rule that runs), and its metrics."""
    options: DisclaimerOptions = ctx.options()
    result = ctx.shared("disclaimer:analysis", lambda: analyse(article, options))
    first = next((s for s in result.statements if s.kind == "safety"), None)
    ctx.metrics["safety_statement_line"] = first.block.span(first.start, first.end).line if first else None
    ctx.metrics["safety_statement_source"] = result.source
    if result.gives_treatment_advice is not None:
        ctx.metrics["gives_treatment_advice"] = result.gives_treatment_advice
    return result
