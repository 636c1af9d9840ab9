"""Words, crude stems and the words that carry meaning: how families compare a line with an article's topic.

Shared by the link family (teaser titles, off-topic blocks) and the page-chrome family (navigation
blocks): both judge whether a short line belongs to the article by the stems it shares with it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from healthlint import regexcache
from healthlint.article import Block
from healthlint.resources import data_lines

#: A word: letters and digits joined by apostrophes (a hyphen splits: "follow-up" is two words here).
WORD_RE = regexcache.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@functools.cache
def stopwords() -> frozenset[str]:
    """Function words and heading filler ("guide", "tips"): ``data/stopwords.txt``."""
    return frozenset(w.lower() for line in data_lines("stopwords.txt") for w in line.split())


def block_words(block: Block) -> list[str]:
    """``words(block.text)``, from the words the host has found already (:meth:`Block.words`, which the engine
    reads for every article): its pattern is :data:`WORD_RE` that also joins words at a hyphen ("follow-up")."""
    found = block.words()
    joined = " ".join(found)
    return joined.replace("-", " ").split() if "-" in joined else list(found)


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """A crude stem, enough to match ``neurons`` with ``neuron`` and ``therapist`` with ``therapy``."""
    cached = _STEMS.get(word)
    if cached is not None:
        return cached
    if len(_STEMS) > 200_000:
        _STEMS.clear()
    _STEMS[word] = result = _stem(word)
    return result


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith(("ss", "us", "is")):
            w = w[: len(w) - len(suffix)] + keep
            break
    return w[:6]


#: Word as written -> its stem, or "" for a word that carries no meaning (see :func:`content_stems`).
_CONTENT_STEMS: dict[str, str] = {}


def _content_stem(word: str) -> str:
    low = word.lower()
    if len(low) < 3 or low in stopwords() or low.isdigit():
        return ""
    return stem(low)


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no function words, no heading filler, no numbers)."""
    return content_stems_of(WORD_RE.findall(text))


def content_stems_of(tokens: Iterable[str]) -> list[str]:
    """:func:`content_stems` of words already found with :data:`WORD_RE`."""
    cache = _CONTENT_STEMS
    out = []
    for word in tokens:
        found = cache.get(word)
        if found is None:
            found = _content_stem(word)
            if len(cache) > 200_000:
                cache.clear()
            cache[word] = found
        if found:
            out.append(found)
    return out
