"""Word-level helpers shared by every rule family."""

from __future__ import annotations

from healthlint import regexcache

#: A word: letters and digits, joined by apostrophes or hyphens ("don't", "follow-up").
WORD_RE = regexcache.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

#: Characters that ``re.IGNORECASE`` matches to an ASCII letter although ``str.lower()`` maps them
#: elsewhere (capital I with dot, dotless i, long s): a text holding one skips the substring
#: pre-checks, which stand for a case-insensitive pattern only when ``str.lower()`` folds alike.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f")


def folded(text: str) -> str | None:
    """``text.lower()`` for substring pre-checks, or None when they cannot stand for ``re.IGNORECASE``.

    If a case-insensitive pattern needs the ASCII literal ``word`` and ``text`` matches it, then
    ``word`` is a substring of ``folded(text)``; so ``word not in folded(text)`` proves no match.
    """
    if not text.isascii() and any(c in text for c in _ODD_FOLDS):
        return None
    return text.lower()


def word_set(text: str) -> frozenset[str]:
    """A set of the white-space separated words of ``text`` (for word lists written as prose)."""
    return frozenset(text.split())


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word (a match of :data:`WORD_RE`) of ``text``."""
    return [m.span() for m in WORD_RE.finditer(text)]
