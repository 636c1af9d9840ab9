"""Writing systems for the link checks: which scripts a text uses, and runs of letters in another one."""

from __future__ import annotations

import functools
import re
from collections import Counter

from healthlint import regexcache

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
