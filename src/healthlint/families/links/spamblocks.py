"""Spam in text whose links are gone: a measured classifier of sentences and short blocks.

Every sentence of every block is a *unit*. A unit's features say how it reads (commerce verbs
at its start, second-person offers, teaser lead-ins, separators, capitals, a URL), how it sits
on the page (block length, position) and how it fits the article (capitalised terms and words
that occur nowhere else in it). A logistic model turns them into a probability; the weights,
the feature scaling and the threshold are package data (``data/spam_blocks.json``), fitted by
``scripts/train_spam_blocks.py`` on the labelled development pages and cross-validated with
the pages of one host or network on the same side of every split.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from healthlint import Hit, RuleContext, regexcache
from healthlint.article import Article, Block
from healthlint.families.links.checks import analysis_of
from healthlint.families.links.text import WORD_RE
from healthlint.families.links.wordlists import stopwords
from healthlint.resources import data_lines, read_data

FEATURES = (
    "log_words",
    "short_block",
    "unterminated",
    "command_start",
    "offer_words",
    "second_person",
    "teaser_start",
    "hype_words",
    "chrome_words",
    "separators",
    "url",
    "name_with_number",
    "unseen_capitals",
    "unseen_words",
    "caps_share",
    "position",
    "exclaim_or_ellipsis",
    "digits_share",
    "title_case_share",
    "unseen_name_run",
    "echoed_next",
    "heading",
)

#: What a reader is told about the features that pushed a unit over the threshold.
CUE_NAMES = {
    "log_words": "a long sentence",
    "short_block": "a short block",
    "unterminated": "no closing punctuation",
    "command_start": "a command to click or buy",
    "offer_words": "selling words",
    "second_person": "an offer to the reader",
    "teaser_start": "a teaser lead-in",
    "hype_words": "sales superlatives",
    "chrome_words": "page-furniture words",
    "separators": "separators",
    "url": "a web address",
    "name_with_number": "a new name with a dose",
    "unseen_capitals": "names the article never uses elsewhere",
    "unseen_words": "words the article never uses elsewhere",
    "caps_share": "capitals",
    "position": "its place on the page",
    "exclaim_or_ellipsis": "exclamation or trailing dots",
    "digits_share": "digits",
    "title_case_share": "Title Case",
    "unseen_name_run": "a multi-word name the article never uses elsewhere",
    "echoed_next": "words the next block takes up",
    "heading": "a heading",
}
#: A block this short is a heading or a label unless it carries a cue word.
MAX_LABEL_WORDS = 3
_SEPARATOR_RE = regexcache.compile(r"[|»«×•›‹]|(?:^|\s)[-–—](?:\s|$)")
_URL_RE = regexcache.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|net|org|info|online|co\.uk)\b", re.IGNORECASE)
_NAME_NUMBER_RE = regexcache.compile(r"\b([A-Z][a-z]+[a-z])\s+\d{2,3}(?:\s*mg)?\b")
_EXCLAIM_RE = regexcache.compile(r"!|…|\.\.\.|:\(|:\)")
_TERMINAL_RE = regexcache.compile(r"""[.!?:;]["'”’)\]]*\s*$""")


@dataclass(frozen=True)
class Cues:
    command: frozenset[str]
    offer: frozenset[str]
    teaser: tuple[tuple[str, ...], ...]
    hype: frozenset[str]
    chrome: frozenset[str]
    numbered: frozenset[str]


@functools.cache
def cues() -> Cues:
    groups: dict[str, list[str]] = {}
    for line in data_lines("spam_cues.tsv", __package__):
        group, _, listed = line.partition("\t")
        groups.setdefault(group.strip(), []).extend(listed.split())

    def words(group: str) -> frozenset[str]:
        return frozenset(w.replace("_", " ") for w in groups.get(group, ()))

    return Cues(
        command=words("command"),
        offer=words("offer"),
        teaser=tuple(tuple(w.split("_")) for w in groups.get("teaser", ())),
        hype=words("hype"),
        chrome=words("chrome"),
        numbered=words("numbered"),
    )


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    #: A unit at or above this probability is reported (HL517, warning level).
    threshold: float

    def probability(self, features: list[float]) -> float:
        z = self.bias
        for w, x, m, s in zip(self.weights, features, self.mean, self.scale, strict=True):
            z += w * (x - m) / s
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def cues(self, features: list[float], top: int = 2) -> list[str]:
        """The features that raise this unit's score most, by name (for the message)."""
        pushes = sorted(
            (w * (x - m) / s, name)
            for w, x, m, s, name in zip(self.weights, features, self.mean, self.scale, FEATURES, strict=True)
        )
        return [CUE_NAMES[name] for push, name in reversed(pushes[-top:]) if push > 0]

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            "threshold": round(self.threshold, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Model:
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("spam_blocks.json was fitted on other features: run scripts/train_spam_blocks.py")

        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(v) for v in data[key])  # type: ignore[attr-defined]

        return cls(
            floats("weights"),
            float(data["bias"]),  # type: ignore[arg-type]
            floats("mean"),
            floats("scale"),
            float(data["threshold"]),  # type: ignore[arg-type]
        )


@functools.cache
def shipped_model() -> Model:
    return Model.from_json(json.loads(read_data("spam_blocks.json", __package__)))


@dataclass(frozen=True)
class Unit:
    """One sentence of one block: where it is (offsets into the block's text) and its features."""

    block: Block
    start: int
    end: int
    features: list[float]


def _lower_words(text: str) -> list[str]:
    return [m.group().lower() for m in WORD_RE.finditer(text)]


def units(article: Article) -> list[Unit]:
    """Every sentence of every block of ``article``, with its features."""
    blocks = [b for b in article.blocks if b.text.strip()]
    if not blocks:
        return []
    stop = stopwords()
    cue = cues()
    counts: Counter[str] = Counter()
    for block in blocks:
        counts.update(_lower_words(block.text))
    found: list[Unit] = []
    last = max(1, len(blocks) - 1)
    title = (article.title or "").strip()
    # A unit with a link left in it is the link rules' business, and the title is not a stray line.
    linked = [(link.span.line, link.span.column, link.span.end_line, link.span.end_column) for link in article.links]
    for index, block in enumerate(blocks):
        block_words = len(block.word_spans)
        following = frozenset(_lower_words(blocks[index + 1].text)) if index + 1 < len(blocks) else frozenset()
        place = (index / last, block.kind == "heading", following)
        for start, end in block.sentences:
            text = block.text[start:end]
            tokens = WORD_RE.findall(text)
            if not tokens or text.strip() == title or (linked and _has_link(block, start, end, linked)):
                continue
            lowered = [t.lower() for t in tokens]
            if block_words <= MAX_LABEL_WORDS and not _has_cue(lowered, cue):
                continue  # a heading or a label ("OVERVIEW", "Symptoms"): structure, not a stray block
            features = _features(text, tokens, lowered, counts, stop, cue, block_words, place)
            found.append(Unit(block, start, end, features))
    return found


def _has_cue(lowered: list[str], cue: Cues) -> bool:
    vocabulary = cue.command | cue.offer | cue.hype
    return any(w in vocabulary for w in lowered) or any(tuple(lowered[: len(t)]) == t for t in cue.teaser)


def _has_link(block: Block, start: int, end: int, linked: list[tuple[int, int, int, int]]) -> bool:
    span = block.span(start, end)
    first, after = (span.line, span.column), (span.end_line, span.end_column)
    return any(first < (b_line, b_col) and (a_line, a_col) < after for a_line, a_col, b_line, b_col in linked)


_SECOND_PERSON = frozenset(("you", "your", "you're", "yours"))


def _features(
    text: str,
    tokens: list[str],
    lowered: list[str],
    counts: Counter[str],
    stop: frozenset[str],
    cue: Cues,
    block_words: int,
    place: tuple[float, bool, frozenset[str]],
) -> list[float]:
    position, heading, following = place
    n = len(lowered)
    root = math.sqrt(n)
    own = Counter(lowered)
    # A word is unseen when the rest of the article never uses it.
    unseen = {w for w, k in own.items() if counts[w] <= k}
    unseen_words = sum(1 for w in lowered if w in unseen and len(w) > 3 and w not in stop and w.isalpha())
    unseen_capitals = sum(
        1
        for t, w in zip(tokens[1:], lowered[1:], strict=True)
        if w in unseen and t[0].isupper() and not t.isupper() and w not in stop
    )
    letters = sum(map(str.isalpha, text))
    content = [w for w in lowered if w not in stop] or lowered
    return [
        math.log1p(n),
        1.0 if block_words <= 12 else 0.0,
        0.0 if _TERMINAL_RE.search(text) else 1.0,
        1.0 if lowered[0] in cue.command else 0.0,
        sum(map(cue.offer.__contains__, lowered)) / root,
        sum(map(_SECOND_PERSON.__contains__, lowered)) / root,
        1.0 if any(tuple(lowered[: len(t)]) == t for t in cue.teaser) else 0.0,
        sum(map(cue.hype.__contains__, lowered)) / root,
        sum(map(cue.chrome.__contains__, lowered)) / root,
        float(min(3, len(_SEPARATOR_RE.findall(text)))),
        1.0 if _URL_RE.search(text) else 0.0,
        1.0 if _unseen_name_with_number(text, unseen) else 0.0,
        float(min(3, unseen_capitals)),
        unseen_words / len(content),
        sum(map(str.isupper, text)) / letters if letters else 0.0,
        position,
        float(min(2, len(_EXCLAIM_RE.findall(text)))),
        sum(map(str.isdigit, text)) / max(1, len(text)),
        sum(1 for t in tokens if t[0].isupper()) / n,
        1.0 if _unseen_name_run(tokens, lowered, unseen, stop) else 0.0,
        sum(map(following.__contains__, content)) / len(content),
        1.0 if heading else 0.0,
    ]


def _unseen_name_with_number(text: str, unseen: set[str]) -> bool:
    """A name the rest of the article never uses, with a number after it ("Brandex 100")."""
    for match in _NAME_NUMBER_RE.finditer(text):
        name = match.group(1).lower()
        if name in unseen and name not in cues().numbered:
            return True
    return False


def _unseen_name_run(tokens: list[str], lowered: list[str], unseen: set[str], stop: frozenset[str]) -> bool:
    """Two or more capitalised words in a row, inside the unit, that the rest of the article never uses."""
    run = 0
    for i, (token, lower) in enumerate(zip(tokens, lowered, strict=True)):
        if i > 0 and token[0].isupper() and lower in unseen and lower not in stop:
            run += 1
            if run >= 2:
                return True
        elif not token.isdigit():
            run = 0
    return False


def scored(article: Article, model: Model | None = None) -> list[tuple[Unit, float]]:
    """Each unit of ``article`` with the model's spam probability."""
    model = model or shipped_model()
    return [(unit, model.probability(unit.features)) for unit in units(article)]


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    """HL517: each unit whose spam probability reaches the shipped threshold."""
    # Junk another link rule already reports (a stray block, a spun footer, clutter) is reported once.
    taken = {
        line
        for hits in analysis_of(article, ctx).hits.values()
        for hit in hits
        for line in range(hit.line, (hit.end_line or hit.line) + 1)
    }
    model = shipped_model()
    for unit, probability in scored(article, model):
        span = unit.block.span(unit.start, unit.end)
        if probability >= model.threshold and taken.isdisjoint(range(span.line, span.end_line + 1)):
            cues = model.cues(unit.features)
            why = f" ({', '.join(cues)})" if cues else ""
            yield unit.block.hit(
                unit.start,
                unit.end,
                f"Reads like spam or page junk left behind by a stripped link{why}: "
                f"spam score {probability:.2f}, reported from {model.threshold:.2f}",
            )
