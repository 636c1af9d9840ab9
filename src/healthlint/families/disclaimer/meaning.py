"""Safety statements recognised by meaning, where the enumerated frames of ``patterns.toml`` miss them.

A sentence is a safety statement when it names a health professional (or a service, or care given by
one) together with a referral or consultation cue, or says it is not advice ("educational purposes
only", "not a diagnosis or personal medical advice"). The records of ``data/meaning.toml`` say what
each cue is; a referral counts only when the sentence advises it (an advice frame before it, or a cue
word such as "should", "important", "recommends"), is not negated ("you don't need to see a doctor")
and is not a story ("she saw a specialist").
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from healthlint.families.disclaimer.framing import NEGATED_AFTER_RE, frame, narrative
from healthlint.families.disclaimer.patterns import fragment
from healthlint.regexcache import LazyPattern, lazy
from healthlint.resources import read_data

_DATA: dict[str, Any] = tomllib.loads(read_data("meaning.toml", __package__))
_PLACEHOLDER_RE = re.compile(r"\{([A-Z_]+)\}")


def _expand(pattern: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        own = _DATA["fragment"].get(name)
        return _expand(own["pattern"]) if own else fragment(name)

    return _PLACEHOLDER_RE.sub(one, pattern)


@dataclass(frozen=True)
class Cue:
    kind: str
    regex: LazyPattern
    #: Whether it counts only when the sentence advises it (a referral can be a story; "not advice" cannot).
    framed: bool
    #: Whether the sentence must hold an advice word (or the match open with its verb, group 1) whatever its frame.
    needs_advice_word: bool
    example: str


CUES = tuple(
    Cue(
        r["kind"],
        lazy(_expand(r["pattern"]), re.IGNORECASE),
        bool(r["framed"]),
        bool(r.get("needs_advice_word")),
        r["example"],
    )
    for r in _DATA["record"]
)
_ADVICE_WORD_RE = lazy(_expand(_DATA["fragment"]["CUE"]["pattern"]), re.IGNORECASE)
#: Cheap test before any cue is searched: a sentence without one of these stems holds no statement.
_BULLETS = "•·‣▪●◦○■□*-–— \t"
_STEMS = (
    "doct",
    "physic",
    "gp",
    "practition",
    "provider",
    "professional",
    "nurse",
    "pharmac",
    "special",
    "ologist",
    "ician",
    "therap",
    "iatrist",
    "dentist",
    "midwi",
    "dietit",
    "surgeon",
    "clinic",
    "nhs",
    "111",
    "911",
    "999",
    "emergency",
    "a&e",
    "a & e",
    "urgent",
    "hospital",
    "expert",
    "medical",
    "substitute",
    "replacement",
    "purposes",
    "intended",
    "meant",
    "diagnos",
    "information only",
)


def recognise(sentence: str) -> str | None:
    """The words that make ``sentence`` a safety statement by meaning, or None."""
    sentence = sentence.lstrip(_BULLETS)  # an extracted list item keeps its bullet: "• Talk to your doctor"
    low = sentence.lower()
    if not any(stem in low for stem in _STEMS):
        return None
    for cue in CUES:
        for m in cue.regex.finditer(sentence):
            if not cue.framed:
                return m.group(0)
            advises = _ADVICE_WORD_RE.search(sentence) is not None
            if cue.needs_advice_word and not advises and not (m.lastindex and m.group(1)):
                continue
            framed = frame(sentence, m.start())
            if framed == "negative" or NEGATED_AFTER_RE.match(sentence, m.end(), m.end() + 120):
                continue
            if framed == "positive" or (advises and not narrative(sentence, m.start())):
                return m.group(0)
    return None
