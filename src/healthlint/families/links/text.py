"""Small text tools for the link checks: words, crude stems and writing systems."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from healthlint import regexcache
from healthlint.article import Block
from healthlint.families.links.wordlists import stopwords

WORD_RE = regexcache.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Writing systems by code-point range. Latin includes its accented and extended letters.
_SCRIPT_RANGES: tuple[tuple[str, str], ...] = (
    ("Latin", r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]"),
    ("Cyrillic", r"[\u0400-\u052f]"),
    ("Greek", r"[\u0370-\u03ff\u1f00-\u1fff]"),
    ("Hangul", r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    ("Han", r"[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    ("Kana", r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]"),
    ("Arabic", r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
    ("Hebrew", r"[\u0590-\u05ff]"),
    ("Thai", r"[\u0e00-\u0e7f]"),
    ("Devanagari", r"[\u0900-\u097f]"),
)


#: The same ranges as numbers, to see which writing systems a text uses before compiling any pattern.
_SCRIPT_BOUNDS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = tuple(
    (
        name,
        tuple(
            (ord(m.group(1)), ord(m.group(2) or m.group(1)))
            for m in re.finditer(r"(.)(?:-(.))?", chars[1:-1].encode("ascii").decode("unicode_escape"), re.DOTALL)
        ),
    )
    for name, chars in _SCRIPT_RANGES
)
_SCRIPT_NAMES = tuple(name for name, _ in _SCRIPT_RANGES)


@functools.cache
def _run_re(name: str) -> re.Pattern[str]:
    """A run of letters of one writing system, compiled the first time a text uses that system.

    (Compiling the big Han and Hangul classes costs about a millisecond each.)
    """
    return regexcache.compile(dict(_SCRIPT_RANGES)[name] + "+")


def _present_scripts(text: str) -> frozenset[str]:
    """The writing systems that have at least one letter in ``text``."""
    present: set[str] = set()
    for char in set(text):
        code = ord(char)
        for name, bounds in _SCRIPT_BOUNDS:
            if name not in present and any(lo <= code <= hi for lo, hi in bounds):
                present.add(name)
    return frozenset(present)


_ASCII_LETTERS_RE = regexcache.compile(r"[A-Za-z]")
_NOT_ASCII_LETTER_BYTES = bytes(b for b in range(256) if not (65 <= b <= 90 or 97 <= b <= 122))
#: Anything beyond Latin letters, their accents, typographic punctuation and symbols.
_NOT_LATINISH_RE = regexcache.compile(r"[^\x00-\u036f\u1e00-\u1eff\u2000-\u206f\u20a0-\u20cf\u2100-\u218f\ufeff]")
#: Scripts written together: Japanese mixes Han and Kana, Korean may use Han.
_FAMILY = {"Kana": "CJK", "Han": "CJK"}


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


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


def stem_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(content_stems(text))
    return counts


def script_counts(text: str) -> Counter[str]:
    """Letters per writing system (ASCII text is all Latin and costs nothing)."""
    counts: Counter[str] = Counter()
    if text.isascii() or not _NOT_LATINISH_RE.search(text):
        # ASCII letters counted in C: drop the rest of the text, then every byte but a letter.
        n = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER_BYTES))
        if n:
            counts["Latin"] = n
        return counts
    present = _present_scripts(text)
    for name in _SCRIPT_NAMES:
        if name in present:
            n = sum(map(len, _run_re(name).findall(text)))
            if n:
                counts[name] = n
    return counts


def main_script(text: str, sample: int = 20_000) -> str | None:
    """The writing system most letters of the text (or of its first ``sample`` characters) use."""
    text = text[:sample]
    if text.isascii():
        return "Latin" if _ASCII_LETTERS_RE.search(text) else None
    counts = script_counts(text)
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def same_family(a: str, b: str) -> bool:
    return a == b or _FAMILY.get(a, a) == _FAMILY.get(b, b)


def foreign_run(text: str, script: str) -> str | None:
    """The longest run of letters in a writing system other than ``script`` (None when there is none)."""
    if script == "Latin" and (text.isascii() or not _NOT_LATINISH_RE.search(text)):
        return None
    best = ""
    present = _present_scripts(text)
    for name in _SCRIPT_NAMES:
        if name not in present or same_family(name, script):
            continue
        for m in _run_re(name).finditer(text):
            if len(m.group(0)) > len(best):
                best = m.group(0)
    return best or None
