"""Spinner phrases: the shipped, versioned list (data/phrases.tsv) plus the user's own.

Each phrase is a regular expression with the wording it probably replaced and, where the
rewrite is exact, a replacement template for ``healthlint check --fix``. Matching is
cheap: a phrase's regular expression runs only on blocks that contain its trigger word
(derived from the pattern), so most of the list costs one substring test per block.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from healthlint import regexcache
from healthlint.resources import read_data
from healthlint.text.tokens import folded

STRENGTHS = ("strong", "medium", "weak")
_TEMPLATE = regexcache.compile(r"\{(\d+)(?::([^}]*))?\}")
_VERSION = regexcache.compile(r"^#\s*version:\s*(\S+)", re.IGNORECASE)
_LITERAL = regexcache.compile(r"[a-z][a-z ]*", re.IGNORECASE)


class PhraseError(ValueError):
    """A phrase that cannot be used (bad regular expression, unknown strength, no expected wording)."""


@dataclass(frozen=True)
class Phrase:
    id: str
    strength: str
    pattern: re.Pattern[str]
    replacement: str
    expected: str
    dialect: str = ""
    #: ``builtin`` or ``config``.
    origin: str = "builtin"
    #: A lowercase substring every match contains (None: always try the pattern).
    trigger: str | None = None

    def rewrite(self, match: re.Match[str]) -> str | None:
        """The fixed wording for a match, or None when the phrase has no exact rewrite."""
        if not self.replacement:
            return None
        try:
            text = _TEMPLATE.sub(lambda t: _fill(t, match), self.replacement)
        except IndexError:
            return None
        return match_case(match.group(0), text)


@dataclass(frozen=True)
class PhraseMatch:
    phrase: Phrase
    start: int
    end: int
    text: str
    replacement: str | None


def _fill(template: re.Match[str], match: re.Match[str]) -> str:
    value = match.group(int(template.group(1))) or ""
    if template.group(2):
        table = dict(item.split("=", 1) for item in template.group(2).split(";") if "=" in item)
        mapped = table.get(value.lower())
        if mapped is not None:
            return mapped
    return value.lower() if value[:1].isupper() and value[1:].islower() else value


def match_case(original: str, text: str) -> str:
    """Give ``text`` the capitalisation of ``original`` (Title, UPPER or as written)."""
    if not text:
        return text
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return text.upper()
    if original[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def trigger_of(pattern: str) -> str | None:
    """A literal word every match must contain: the longest one outside groups and classes.

    With the space before it when the pattern requires one (" aid", so that blocks saying "said"
    or "paid" never run the pattern).
    """
    depth = 0
    i = 0
    best = ""
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            close = pattern.find("]", i + 2)
            i = close + 1 if close > 0 else n
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(depth - 1, 0)
        elif depth == 0:
            m = _LITERAL.match(pattern, i)
            if m:
                run = m.group(0)
                after = pattern[m.end() : m.end() + 1]
                words = run.split()
                if after in ("?", "*", "{") and words:
                    words = words[:-1] if not run.endswith(" ") else words
                for k, w in enumerate(words):
                    spaced = k > 0 or pattern[i - 1 : i] == " "
                    if len(w) > len(best.lstrip()):
                        best = " " + w if spaced else w
                i = m.end()
                continue
        i += 1
    return best.lower() if len(best.lstrip()) >= 3 else None


def make_phrase(
    *,
    id: str,
    strength: str,
    pattern: str,
    expected: str,
    replacement: str = "",
    dialect: str = "",
    origin: str = "builtin",
) -> Phrase:
    """Validate and compile one phrase. :raises PhraseError: saying what is wrong."""
    if strength not in STRENGTHS:
        raise PhraseError(f"strength must be one of {', '.join(STRENGTHS)}, not {strength!r}")
    if not expected.strip():
        raise PhraseError("needs 'expected': the wording the spinner probably replaced")
    try:
        compiled = regexcache.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise PhraseError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    if compiled.match(""):
        raise PhraseError(f"pattern {pattern!r} matches empty text")
    for t in _TEMPLATE.finditer(replacement):
        if int(t.group(1)) > compiled.groups:
            raise PhraseError(f"replacement {replacement!r} uses group {t.group(1)}, the pattern has {compiled.groups}")
    return Phrase(
        id=id,
        strength=strength,
        pattern=compiled,
        replacement=replacement,
        expected=expected.strip(),
        dialect=dialect,
        origin=origin,
        trigger=trigger_of(pattern),
    )


def parse_table(text: str, origin: str = "builtin") -> tuple[str, list[Phrase]]:
    """Read the TSV format of data/phrases.tsv: (version, phrases)."""
    version = "0"
    phrases: list[Phrase] = []
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            m = _VERSION.match(line)
            if m:
                version = m.group(1)
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))
        try:
            phrases.append(
                make_phrase(
                    id=row.get("id", f"line-{number}"),
                    strength=row.get("strength", ""),
                    pattern=row.get("pattern", ""),
                    replacement=row.get("replacement", ""),
                    expected=row.get("expected", ""),
                    dialect=row.get("dialect", ""),
                    origin=origin,
                )
            )
        except PhraseError as exc:
            raise PhraseError(f"line {number}: {exc}") from None
    return version, phrases


@functools.lru_cache(maxsize=1)
def builtin_phrases() -> tuple[str, tuple[Phrase, ...]]:
    """The shipped list: (version, phrases)."""
    text = read_data("phrases.tsv", __package__)
    version, phrases = parse_table(text)
    return version, tuple(phrases)


def config_phrases(entries: Iterable[Mapping[str, object]]) -> list[Phrase]:
    """Phrases from the ``extra-phrases`` option. :raises PhraseError: naming the entry."""
    out = []
    for index, entry in enumerate(entries):
        known = {"id", "phrase", "pattern", "expected", "replacement", "strength"}
        unknown = sorted(set(entry) - known)
        if unknown:
            raise PhraseError(f"extra-phrases[{index}]: unknown key {unknown[0]!r} (keys: {', '.join(sorted(known))})")
        values = {k: v for k, v in entry.items()}
        for key, value in values.items():
            if not isinstance(value, str):
                raise PhraseError(f"extra-phrases[{index}].{key}: must be a string")
        literal = str(values.get("phrase", ""))
        pattern = str(values.get("pattern", ""))
        if bool(literal) == bool(pattern):
            raise PhraseError(f"extra-phrases[{index}]: give either 'phrase' (plain words) or 'pattern' (a regex)")
        if literal:
            pattern = r"\b" + r"\s+".join(re.escape(w) for w in literal.split()) + r"\b"
        expected = str(values.get("expected", ""))
        replacement = str(values.get("replacement", expected if literal else ""))
        try:
            out.append(
                make_phrase(
                    id=str(values.get("id", f"extra-{index + 1}")),
                    strength=str(values.get("strength", "strong")),
                    pattern=pattern,
                    replacement=replacement,
                    expected=expected,
                    dialect="configured",
                    origin="config",
                )
            )
        except PhraseError as exc:
            raise PhraseError(f"extra-phrases[{index}]: {exc}") from None
    return out


class PhraseBook:
    """A set of phrases ready to match, strongest and longest first where they overlap."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = tuple(phrases)
        self._always = tuple(p for p in self.phrases if p.trigger is None)
        self._triggered = tuple(p for p in self.phrases if p.trigger is not None)

    def candidates(self, lowered_text: str | None) -> list[Phrase]:
        """The phrases worth trying on a text, given as :func:`~healthlint.text.tokens.folded` makes it
        (None: a text whose lowercase cannot stand for a case-insensitive match, where all are worth trying)."""
        if lowered_text is None:
            return [*self._triggered, *self._always]
        return [p for p in self._triggered if p.trigger and p.trigger in lowered_text] + list(self._always)

    def find(self, text: str, phrases: Iterable[Phrase] | None = None) -> Iterator[PhraseMatch]:
        """Non-overlapping matches in ``text``, in order."""
        lowered = folded(text)
        found: list[tuple[int, int, int, PhraseMatch]] = []
        for phrase in self.candidates(lowered) if phrases is None else phrases:
            if phrase.trigger is not None and lowered is not None and phrase.trigger not in lowered:
                continue
            for m in phrase.pattern.finditer(text):
                if m.end() > m.start():
                    rank = STRENGTHS.index(phrase.strength)
                    found.append(
                        (
                            m.start(),
                            rank,
                            -(m.end() - m.start()),
                            PhraseMatch(phrase, m.start(), m.end(), m.group(0), phrase.rewrite(m)),
                        )
                    )
        found.sort(key=lambda f: (f[0], f[1], f[2]))
        last_end = -1
        for start, _, _, match in found:
            if start >= last_end:
                last_end = match.end
                yield match
