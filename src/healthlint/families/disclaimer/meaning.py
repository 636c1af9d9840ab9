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
from healthlint.families.disclaimer.patterns import (
    ALL_WORDS,
    Guarded,
    fragment,
    fragment_words,
    may_match,
    present_words,
    words_in,
)
from healthlint.regexcache import lazy
from healthlint.resources import read_data
from healthlint.text.tokens import folded

_DATA: dict[str, Any] = tomllib.loads(read_data("meaning.toml", __package__))
_PLACEHOLDER_RE = re.compile(r"\{([A-Z_]+)\}")


def _expand(pattern: str) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        own = _DATA["fragment"].get(name)
        return _expand(own["pattern"]) if own else fragment(name)

    return _PLACEHOLDER_RE.sub(one, pattern)


def _group(words: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        placeholder = _PLACEHOLDER_RE.fullmatch(word)
        if placeholder is None:
            out.add(word)
        else:
            name = placeholder.group(1)
            own = _DATA["fragment"].get(name)
            out.update(own["words"] if own else fragment_words(name))
    return frozenset(out)


@dataclass(frozen=True)
class Cue:
    kind: str
    guarded: Guarded
    #: Whether it counts only when the sentence advises it (a referral can be a story; "not advice" cannot).
    framed: bool
    #: Whether the sentence must hold an advice word (or the match open with its verb, group 1) whatever its frame.
    needs_advice_word: bool
    #: Whether the frame is read before the match's group 1 (its referral verb) rather than before the match.
    frame_at_verb: bool = False


CUES = tuple(
    Cue(
        r["kind"],
        Guarded(lazy(_expand(r["pattern"]), re.IGNORECASE), tuple(_group(group) for group in r["words"]), r["example"]),
        bool(r["framed"]),
        bool(r.get("needs_advice_word")),
        bool(r.get("frame_at_verb")),
    )
    for r in _DATA["record"]
)
_ADVICE_WORD_RE = lazy(_expand(_DATA["fragment"]["CUE"]["pattern"]), re.IGNORECASE)
#: Every word of every cue's groups: a block holding none of them holds no statement by meaning.
MEANING_WORDS = tuple(sorted({word for cue in CUES for group in cue.guarded.groups for word in group}))
_BULLETS = "•·‣▪●◦○■□*-–— \t"


_BLOCK_WORDS = tuple(_DATA["block"]["words"])
_SHARED = frozenset(MEANING_WORDS) & frozenset(ALL_WORDS)
_OWN = tuple(word for word in MEANING_WORDS if word not in _SHARED)


def meaning_words_in(text: str, worth_reading: bool, words: tuple[str, ...]) -> tuple[str, ...]:
    """The words of :data:`MEANING_WORDS` in a block (all that its sentences can hold), or ``()`` when it
    cannot hold a statement by meaning.

    ``worth_reading`` and ``words``: what :func:`.patterns.worth_reading` and :func:`.patterns.words_in`
    said of the block (the words of ``ALL_WORDS`` it holds), so those words are not looked for twice.
    """
    low = folded(text)
    if low is None:
        return MEANING_WORDS
    if not worth_reading:
        return words_in(text, MEANING_WORDS) if any(word in low for word in _BLOCK_WORDS) else ()
    return (*_SHARED.intersection(words), *[word for word in _OWN if word in low])


def recognise(sentence: str, words: tuple[str, ...] = MEANING_WORDS) -> str | None:
    """The words that make ``sentence`` a safety statement by meaning, or None.

    ``words``: the words of :data:`MEANING_WORDS` the sentence may hold (see :func:`meaning_words_in`).
    """
    present = present_words(sentence, words)
    cues = [cue for cue in CUES if may_match(present, cue.guarded)]
    if not cues:
        return None
    sentence = sentence.lstrip(_BULLETS)  # an extracted list item keeps its bullet: "• Talk to your doctor"
    for cue in cues:
        for m in cue.guarded.regex.finditer(sentence):
            if not cue.framed:
                return m.group(0)
            advises = _ADVICE_WORD_RE.search(sentence) is not None
            if cue.needs_advice_word and not advises and not (m.lastindex and m.group(1)):
                continue
            at = m.start(1) if cue.frame_at_verb else m.start()
            framed = frame(sentence, at)
            if framed == "negative" or NEGATED_AFTER_RE.match(sentence, m.end(), m.end() + 120):
                continue
            if framed == "positive" or (advises and not narrative(sentence, at)):
                return m.group(0)
    return None
