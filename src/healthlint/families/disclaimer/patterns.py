"""The guarded patterns of ``data/patterns.toml``: each regex with the words every match of it holds.

A sentence is searched with a pattern only when it holds a word of each of the pattern's word
groups (substrings of the lower-cased text, see :func:`healthlint.text.tokens.folded`); most
sentences hold none, so most patterns are never run on them. The words sit beside the pattern
in the same record, so nothing here mirrors the patterns by hand.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

from healthlint.regexcache import LazyPattern, lazy
from healthlint.resources import read_data
from healthlint.text.tokens import folded

_PLACEHOLDER_RE = re.compile(r"\{([A-Z_]+)\}")
_DATA: dict[str, Any] = tomllib.loads(read_data("patterns.toml", __package__))


def _text(value: str | list[str]) -> str:
    """A pattern written as one string or as a list of pieces."""
    return value if isinstance(value, str) else "".join(value)


def _expand(pattern: str) -> str:
    """``pattern`` with each ``{NAME}`` replaced by the pattern of fragment NAME (fragments may nest)."""
    return _PLACEHOLDER_RE.sub(lambda m: _expand(_text(_DATA["fragment"][m.group(1)]["pattern"])), pattern)


def fragment(name: str) -> str:
    """The regex source of a fragment of the data file (e.g. ``APOS``, an apostrophe of either kind)."""
    return _expand(_text(_DATA["fragment"][name]["pattern"]))


def fragment_words(name: str) -> list[str]:
    """The words of a fragment of the data file, one of which every match of its pattern holds."""
    words: list[str] = _DATA["fragment"][name]["words"]
    return words


def _group(words: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        placeholder = _PLACEHOLDER_RE.fullmatch(word)
        out.update(fragment_words(placeholder.group(1)) if placeholder else [word])
    return frozenset(out)


@dataclass(frozen=True)
class Guarded:
    """A pattern and its word groups: every match holds, in lower case, a word of each group."""

    regex: LazyPattern
    groups: tuple[frozenset[str], ...]
    #: A sentence the pattern matches.
    example: str


def _guarded(record: dict[str, Any]) -> Guarded:
    return Guarded(
        lazy(_expand(_text(record["pattern"])), re.IGNORECASE),
        tuple(_group(words) for words in record["words"]),
        record["example"],
    )


#: Statements that need no framing: they are disclaimers by their wording.
STATEMENTS = tuple(_guarded(record) for record in _DATA["statement"])
#: Referrals that count only when framed as advice (imperative, modal, "it is advisable to"...).
FRAMED = tuple(_guarded(record) for record in _DATA["framed"])
NO_NEED = _guarded(_DATA["no_need"])
STOP_MEDICINE = _guarded(_DATA["stop_medicine"])
#: The order :func:`wordings_allowed` answers in.
GUARDED = (*STATEMENTS, *FRAMED, NO_NEED, STOP_MEDICINE)
#: Every word of every group, each looked for once per sentence.
ALL_WORDS = tuple(sorted({word for guarded in GUARDED for group in guarded.groups for word in group}))


@dataclass(frozen=True)
class _BlockTrigger:
    """A block holding one of ``words`` (and matching ``pattern``, when there is one) may hold a statement."""

    words: tuple[str, ...]
    pattern: LazyPattern | None
    #: The same test for text whose lower case cannot stand for ``re.IGNORECASE``.
    full: LazyPattern


def _block_trigger(record: dict[str, Any]) -> _BlockTrigger:
    words = tuple(record["words"])
    source = _text(record["pattern"]) if "pattern" in record else None
    full = source if source is not None else "|".join(map(re.escape, words))
    return _BlockTrigger(words, lazy(source, re.IGNORECASE) if source is not None else None, lazy(full, re.IGNORECASE))


_BLOCK_TRIGGERS = tuple(_block_trigger(record) for record in _DATA["block"])


def worth_reading(text: str) -> bool:
    """Whether a block may hold a statement at all."""
    low = folded(text)
    if low is None:
        return any(trigger.full.search(text) for trigger in _BLOCK_TRIGGERS)
    # plain loops: most blocks hold no word of any trigger, and a generator per trigger cost more than the search
    for trigger in _BLOCK_TRIGGERS:
        for word in trigger.words:
            if word in low:
                if trigger.pattern is None or trigger.pattern.search(text):
                    return True
                break
    return False


def words_in(text: str, words: tuple[str, ...] = ALL_WORDS) -> tuple[str, ...]:
    """The words of ``words`` in ``text``: all that a sentence of it can hold, since ``str.lower()``
    maps one character at a time (its one exception, capital sigma, becomes no letter of these words)."""
    low = folded(text)
    return words if low is None else tuple([word for word in words if word in low])


def _not_yet_missing(t: int, i: int) -> tuple[str, ...]:
    """The words of ``ALL_WORDS`` not known to be missing from a block that :func:`worth_reading` passes on the
    ``i``-th word of trigger ``t``: its words before that one, and every word of a trigger before it that has
    no pattern (one of them there would have passed the block), were looked for and are missing."""
    missing = {word for trigger in _BLOCK_TRIGGERS[:t] if trigger.pattern is None for word in trigger.words}
    missing.update(_BLOCK_TRIGGERS[t].words[:i])
    return tuple(word for word in ALL_WORDS if word not in missing)


_NOT_YET_MISSING = tuple(
    tuple(_not_yet_missing(t, i) for i in range(len(trigger.words))) for t, trigger in enumerate(_BLOCK_TRIGGERS)
)


def block_words(text: str) -> tuple[str, ...] | None:
    """``words_in(text)`` when ``worth_reading(text)``, else None; the words :func:`worth_reading` found
    missing are not looked for again (about 12 of the 141 substring searches of a block that passes)."""
    low = folded(text)
    if low is None:
        return ALL_WORDS if worth_reading(text) else None
    for t, trigger in enumerate(_BLOCK_TRIGGERS):
        for word in trigger.words:
            if word in low:
                if trigger.pattern is None or trigger.pattern.search(text):
                    return tuple([w for w in _NOT_YET_MISSING[t][trigger.words.index(word)] if w in low])
                break
    return None


#: The distinct word groups of the wordings.
_GROUPS = tuple(sorted({group for guarded in GUARDED for group in guarded.groups}, key=lambda g: (len(g), sorted(g))))
#: Bit k of a word's mask: the word is one of group k of :data:`_GROUPS`; and the bits of each wording's groups.
_WORD_MASKS = {word: sum(1 << k for k, group in enumerate(_GROUPS) if word in group) for word in ALL_WORDS}
_NEEDS = tuple(sum(1 << _GROUPS.index(group) for group in guarded.groups) for guarded in GUARDED)


def sentence_mask(sentence: str, words: tuple[str, ...] = ALL_WORDS) -> int:
    """The groups of the wordings that ``sentence`` holds a word of, as bits (all of them, -1, when its lower
    case cannot stand for the patterns'): one int instead of a set of words, so that which wordings may match
    is a few bit tests (:func:`wordings_allowed`), the same for every sentence holding the same groups."""
    low = folded(sentence)
    if low is None:
        return -1
    mask = 0
    for word in words:
        if word in low:
            mask |= _WORD_MASKS[word]
    return mask


def wordings_allowed(mask: int) -> tuple[bool, ...]:
    """For each pattern of :data:`GUARDED`, :func:`may_match` for a sentence of mask ``mask``."""
    return tuple([mask & need == need for need in _NEEDS])


def present_words(sentence: str, words: tuple[str, ...] = ALL_WORDS) -> frozenset[str] | None:
    """The words of ``words`` in ``sentence`` (None when its lower case cannot stand for the patterns')."""
    low = folded(sentence)
    return None if low is None else frozenset([word for word in words if word in low])


def may_match(present: frozenset[str] | None, guarded: Guarded) -> bool:
    """False only when the sentence lacks every word of one of the pattern's groups: it cannot match."""
    if present is None:
        return True
    for group in guarded.groups:  # noqa: SIM110 - a plain loop: no generator to build, 17 times a sentence
        if present.isdisjoint(group):
            return False
    return True
