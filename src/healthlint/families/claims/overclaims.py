"""Overclaiming (HL305): the one filter that decides which red-flag words in a text promise too much.

A sentence of the body and the front matter title go through the same :func:`find_overclaims`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from healthlint.regexcache import lazy

from .vocabulary import OverclaimSpec, Vocabulary

#: A text that repeats hype words hundreds of times (keyword stuffing) is reported a few times, not hundreds.
MAX_PER_SENTENCE = 5

_NEGATION_RE = lazy(
    r"(?:\b(?:no|not|never|neither|nor|hardly|rarely|without|isn[’']t|aren[’']t|wasn[’']t|cannot|far\s+from|"
    r"rather\s+than|instead\s+of|than|nothing|nobody|none|hope(?:s|d)?\s+(?:for|of|to\s+find)|search(?:ing)?\s+for|"
    r"look(?:ing)?\s+for|quest\s+for|find(?:ing)?|toward|towards|closer\s+to|road\s+to|path\s+to|race\s+for|"
    r"cannot\s+be|can't\s+be)\b|n[’']t)(?:\s+[\w’'-]+){0,4}?\s*$",
    re.IGNORECASE,
)
_NEGATED_GUARANTEE_RE = lazy(r"\b(?:no|not|never|can't|cannot|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)
_POSSIBLE_RE = lazy(r"\b(?:may|might|can|could|some\s+(?:people|patients))\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_GOAL_RE = lazy(r"\b(?:prevention|treatment|diagnosis|detection|research)\s*,?\s+(?:and|or)\s+(?:a\s+)?$", re.I)
_CURABLE_RE = lazy(
    r"\b(?:hepatitis\s+c|hep\s+c|infections?|strep|uti|pneumonia|tuberculosis|tb|malaria|syphilis|gonorrh(?:o)?ea|"
    r"chlamydia|scurvy|rickets|lice|scabies|warts?|athlete'?s\s+foot)\b",
    re.IGNORECASE,
)
_GENERIC_CONDITION_RE = lazy(
    r"\b(?:all|any|every|most)\s+(?:\w+\s+)?(?:diseases?|illness(?:es)?|ailments?|conditions?)\b|\beverything\b", re.I
)


def find_overclaims(text: str, vocab: Vocabulary, words: set[str]) -> Iterator[tuple[OverclaimSpec, int, int]]:
    """Each overclaim in ``text`` (a sentence or a title) with its offsets; ``words`` are its lower-case words."""
    taken: list[tuple[int, int]] = []
    for spec in vocab.overclaims:
        if spec.words.isdisjoint(words):
            continue
        for m in spec.regex.finditer(text):
            if len(taken) >= MAX_PER_SENTENCE:
                return
            a, b = m.start(), m.end()
            if any(a < y and x < b for x, y in taken):
                continue
            if m.group(0).lower() in vocab.allow_overclaims or spec.label in vocab.allow_overclaims:
                continue
            if _excused(text, a, b, spec, vocab):
                continue
            taken.append((a, b))
            yield spec, a, b


_QUOTED_RE = lazy(r"[\"“]([^\"“”]{3,120})[\"”]")
_TITLE_SMALL_WORDS = frozenset(
    ("a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "with", "by", "vs", "at", "from")
)


def _in_quoted_title(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` sits in a quoted title ("The Miracle Cure for Back Pain"): a name, not a claim."""
    for m in _QUOTED_RE.finditer(text):
        if m.start(1) <= a and b <= m.end(1):
            words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", m.group(1)) if w.lower() not in _TITLE_SMALL_WORDS]
            return bool(words) and all(w[0].isupper() for w in words)
    return False


def _excused(text: str, a: int, b: int, spec: OverclaimSpec, vocab: Vocabulary) -> bool:
    """Whether the words at ``text[a:b]`` are fine where they stand (negated, possible, a goal, a quoted title)."""
    if ('"' in text or "“" in text) and _in_quoted_title(text, a, b):
        return True
    if spec.negatable and _NEGATION_RE.search(text[max(0, a - 80) : a]):
        return True
    if spec.label == "cure":
        # "the prevention and cure of cancer": a goal, not a claim
        return not _cure_overclaims(text, a, b, vocab) or bool(_GOAL_RE.search(text[max(0, a - 30) : a]))
    if spec.label == "guaranteed":
        return bool(_NEGATED_GUARANTEE_RE.search(text[max(0, a - 40) : a]))
    if spec.label == "no side effects":
        # "you may have no side effects": a possibility, not a promise
        return bool(_POSSIBLE_RE.search(text[max(0, a - 40) : a]))
    return False


def _cure_overclaims(text: str, a: int, b: int, vocab: Vocabulary) -> bool:
    """A "cure" is overclaiming when what it cures is a long-term condition (or everything)."""
    after = text[b : b + 80]
    before = text[max(0, a - 80) : a]
    window = after if not after.strip(" ,.;:").lower().startswith(("it", "them")) else before + after
    if _CURABLE_RE.search(after[:40]):
        return False
    return bool(
        vocab.chronic.search(window) or _GENERIC_CONDITION_RE.search(window) or vocab.chronic.search(before[-60:])
    )
