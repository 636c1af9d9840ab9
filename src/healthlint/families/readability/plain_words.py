"""The plain-language list (HL405): the shipped ``data/plain_language.tsv``, plus the site's own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from healthlint.config import Config, ConfigError
from healthlint.families.readability.options import PLUGIN, ReadabilityOptions, resolve
from healthlint.resources import read_data


@dataclass(frozen=True)
class PlainEntry:
    term: str
    alternatives: tuple[str, ...]
    note: str = ""


@dataclass
class PlainWords:
    """Single words (with inflected forms) and phrases, looked up per token."""

    #: word form -> (entry, is the dictionary form)
    words: dict[str, tuple[PlainEntry, bool]] = field(default_factory=dict)
    #: "first second" words -> phrases (as word tuples) starting with them, longest first
    phrases: dict[str, list[tuple[tuple[str, ...], PlainEntry]]] = field(default_factory=dict)

    @cached_property
    def phrase_starts(self) -> frozenset[str]:
        """The first words of the phrases."""
        return frozenset(key.split(" ", 1)[0] for key in self.phrases)

    @cached_property
    def starts(self) -> frozenset[str]:
        """Every word a finding can start at: the single words and the phrases' first words."""
        return self.phrase_starts | self.words.keys()


def read_plain_words(lines: Iterable[str], source: str = "") -> list[PlainEntry]:
    """Entries of a plain-language TSV: ``term<TAB>alternative, alternative[<TAB>note]``.

    Blank lines and lines starting with ``#`` are skipped.

    :raises ValueError: for a line without a tab-separated alternative, naming the line.
    """
    entries = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        alternatives = tuple(a.strip() for a in parts[1].split(",") if a.strip()) if len(parts) > 1 else ()
        if not parts[0].strip() or not alternatives:
            raise ValueError(f"{source}:{number}: expected 'term<TAB>alternatives', got {line!r}")
        note = parts[2].strip() if len(parts) > 2 else ""
        entries.append(PlainEntry(_normalize_term(parts[0]), alternatives, note))
    return entries


def _normalize_term(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


def _inflections(word: str) -> list[str]:
    """Regular inflections of an English word (plural, 3rd person, past, -ing)."""
    forms = []
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    else:
        forms.append(word + "s")
    if word.endswith("e"):
        forms += [word + "d", word[:-1] + "ing"] if not word.endswith(("ee", "ye", "oe")) else [word + "d"]
    elif not word.endswith("y") or word[-2:-1] in ("a", "e", "o", "u"):
        forms += [word + "ed", word + "ing"]
    else:
        forms.append(word + "ing")
    return forms


def build_plain_words(entries: Iterable[PlainEntry], allow: Iterable[str] = ()) -> PlainWords:
    allowed = {_normalize_term(a) for a in allow}
    table = PlainWords()
    explicit: dict[str, PlainEntry] = {}
    for entry in entries:  # later entries (the user's) replace earlier ones
        if entry.term in allowed:
            explicit.pop(entry.term, None)
            continue
        explicit[entry.term] = entry
    for term, entry in explicit.items():
        words = tuple(term.split())
        if len(words) == 1:
            table.words[term] = (entry, True)
        else:
            forms = [words, (*words[:-1], words[-1] + "s")]
            for phrase in forms:
                table.phrases.setdefault(f"{phrase[0]} {phrase[1]}", []).append((phrase, entry))
    for term, entry in explicit.items():
        if " " in term:
            continue
        for form in _inflections(term):
            if form not in table.words and form not in allowed:
                table.words[form] = (entry, False)
    for candidates in table.phrases.values():
        candidates.sort(key=lambda item: -len(item[0]))
    return table


_shipped: list[PlainEntry] | None = None


def shipped_plain_words() -> list[PlainEntry]:
    """The plain-language list healthlint ships (``families/readability/data/plain_language.tsv``)."""
    global _shipped
    if _shipped is None:
        text = read_data("plain_language.tsv", __package__)
        _shipped = read_plain_words(text.splitlines(keepends=True), "plain_language.tsv")
    return _shipped


_tables: dict[tuple[Any, ...], PlainWords] = {}


def plain_words_for(config: Config, options: ReadabilityOptions) -> PlainWords:
    """The shipped list plus the site's additions, minus its allowed words (built once per config)."""
    key = (
        tuple(sorted((k, v if isinstance(v, str) else tuple(v)) for k, v in options.plain_words.items())),
        tuple(str(resolve(config, f)) for f in options.plain_words_files),
        tuple(options.allow_words),
    )
    cached = _tables.get(key)
    if cached is not None:
        return cached
    entries = list(shipped_plain_words())
    for name in options.plain_words_files:
        path = resolve(config, name)
        try:
            with path.open(encoding="utf-8") as handle:
                entries += read_plain_words(handle, str(path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            where = config.plugin_key(PLUGIN, "plain-words-files")
            raise ConfigError(f"cannot read {name!r}: {exc}", config.source, where) from None
    for term, value in options.plain_words.items():
        alternatives = (value,) if isinstance(value, str) else tuple(value)
        alternatives = tuple(a.strip() for a in alternatives if a.strip())
        if alternatives:
            entries.append(PlainEntry(_normalize_term(term), alternatives))
    table = build_plain_words(entries, options.allow_words)
    _tables[key] = table
    return table
