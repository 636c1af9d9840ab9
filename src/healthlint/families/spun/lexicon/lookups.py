"""Read-only lookups over the word index; per-word answers are built lazily and memoized.

The web word pairs of the few hundred words with long pair lists ("the" has 10,018 followers)
are asked one pair at a time until a run has asked about the word often (:data:`DECODE_SHARE`);
then the whole list is read once and asked with set operations in C. So a single article asks its
few hundred questions about "the" or "and" one pair at a time instead of decoding half of all
pairs, and a run over many articles soon answers them with set operations again.

One index may be asked from several threads at once: each part read on first use is read once, under a lock,
whichever thread asks first (tests/test_spun_index_threads.py); the memos are plain dicts whose answers are the same
whichever thread fills them.
"""

from __future__ import annotations

import math
import threading
from array import array
from bisect import bisect_left
from typing import Any

from .format import IndexFile, LazyList, ShardedMap, SortedWords
from .units import BIGRAM_CUTOFF, BIGRAM_UNIT, CORPUS_TOKENS, demotion

#: Memoized answers for rarer words are dropped beyond this many (junk input must not grow memory).
MEMO_LIMIT = 500_000
#: The words below Zipf 3 are binary-searched in their sorted list this many times (about 5 µs each: one
#: article asks a few dozen), then split into a list once (about 3 ms) and searched with bisect.
REST_SPLIT_AFTER = 500
#: A big word's whole list is read (and then asked with set operations in C) once the pairs asked
#: about it one by one reach this share of its length: one article asks about 100 pairs of
#: "the" (10,018 followers), a run over many articles thousands.
DECODE_SHARE = 1 / 16


def _keep_asking(big: dict[str, tuple[int, int]], asked: dict[str, int], word: str, asks: int) -> bool:
    """Whether ``asks`` more pairs of a big word (one side of it) are better asked one by one
    than by reading its whole list; counts them in ``asked`` when they are."""
    found = big.get(word)
    if found is None:
        return False
    total = asked.get(word, 0) + asks
    if total >= found[1] * DECODE_SHARE:
        return False
    asked[word] = total
    return True


def _words_of(raw: str | None) -> frozenset[str]:
    return frozenset(raw.split(" ")) if raw else frozenset()


def _memo_words(memo: dict[str, frozenset[str]], lists: ShardedMap | dict[str, Any], word: str) -> frozenset[str]:
    """The words listed for ``word`` in ``lists`` (space-joined), remembered in ``memo``."""
    got = memo.get(word)
    if got is None:
        got = memo[word] = _words_of(lists.get(word))
    return got


class Lexicon:
    """Read-only lookups over the compiled index; per-word answers are built lazily and memoized."""

    def __init__(self, index: IndexFile | dict[str, Any]) -> None:
        if isinstance(index, dict):
            index = IndexFile(IndexFile.pack(index))
        part = self._part = index.part
        # word -> Zipf x 100, times 2, plus 1 when the word may restore a garbled word. Words of
        # Zipf 3 and more are a dict (every token is looked up there); rarer ones a sorted list
        # searched on demand (see _rest_value), with the answers memoized.
        zipf: dict[str, int] | None = part("zipf")  # (an index written whole by IndexFile.pack)
        if zipf is None:
            words: str = part("zipf_words", "")
            values = array("H")
            values.frombytes(part("zipf_values", b""))
            zipf = dict(zip(words.split("\n"), values, strict=True)) if words else {}
        self._zipf: dict[str, int] = zipf
        self._zipf_rest_words: SortedWords | None = None  # read on first use
        self._zipf_rest: list[str] | None = None  # split once it has been searched often (bulk runs)
        self._zipf_rest_searches = 0
        self._zipf_rest_values = array("H")
        self._zipf_memo: dict[str, int] = {}
        # Read on first use: the rarer dictionary words and the web's (a quarter of articles need none),
        # the garbled-word fan-out (one in twenty).
        self._word_lists: dict[str, SortedWords] = {}  # "rare", "web"
        self._fanouts: dict[str, int] | None = None
        # Held while one of those parts is read, so that threads asking at once read it once.
        self._opening = threading.Lock()
        self._web_bias: dict[str, int] = part("web_bias", {})
        self._left: dict[str, str] = part("left", {})
        self._right: dict[str, str] = part("right", {})
        self.meta: dict[str, Any] = index.meta
        empty: dict[str, Any] = {}
        # Sharded: loaded a piece at a time, as articles need them.
        self._sources: ShardedMap | dict[str, Any] = part("sources", empty)
        self._syn: ShardedMap | dict[str, Any] = part("syn", empty)
        self._close: ShardedMap | dict[str, Any] = part("close", empty)
        # Each common word's demotion where it is above 0 (build.demotions); None in an index without
        # the part (the small ones tests build), where it is computed from the near-synonyms.
        self._demotion: ShardedMap | dict[str, float] | None = part("demotion")
        # The web word pairs (see pair_parts): word -> (the words listed after it with their counts
        # in thousands, the words listed before it), each side empty when the word is big on it;
        # the pairs of big words by pair; the big words (word -> (slot, list length)) and their
        # whole lists, read only once a word has been asked about often (bulk runs).
        self._pairs: ShardedMap | dict[str, Any] = part("pairs", empty)
        self._pair_counts: ShardedMap | dict[str, Any] = part("pair_counts", empty)
        self._big_followers: dict[str, tuple[int, int]] = part("big_followers", {})
        self._big_leaders: dict[str, tuple[int, int]] = part("big_leaders", {})
        self._big_follower_lists: LazyList | list[Any] = part("big_follower_lists", [])
        self._big_leader_lists: LazyList | list[Any] = part("big_leader_lists", [])
        self._syn_sets: dict[str, frozenset[str]] = {}
        self._close_sets: dict[str, frozenset[str]] = {}
        self._left_sets: dict[str, frozenset[str]] = {}
        self._right_sets: dict[str, frozenset[str]] = {}
        # Whole neighbour lists read so far, and how many pairs were asked one by one of big words.
        self._followers: dict[str, dict[str, int]] = {}
        self._leader_sets: dict[str, frozenset[str]] = {}
        self._follower_asks: dict[str, int] = {}
        self._leader_asks: dict[str, int] = {}

    # -- Words ----------------------------------------------------------------------------

    def _value(self, word: str) -> int:
        value = self._zipf.get(word)
        if value is None:
            value = self._zipf_memo.get(word)
            if value is None:
                value = self._rest_value(word)
                if len(self._zipf_memo) >= MEMO_LIMIT:
                    self._zipf_memo.clear()  # junk input: do not grow without bound
                self._zipf_memo[word] = value
        return value

    def _rest_value(self, word: str) -> int:
        """The value of a word below Zipf 3: a binary search of the sorted list (an article asks a few dozen),
        until :data:`REST_SPLIT_AFTER` searches; then the list is split once (3 ms) and searched with bisect."""
        rest = self._zipf_rest
        if rest is None:
            found = self._zipf_rest_words
            if found is None:
                found = self._open_rest()
            self._zipf_rest_searches += 1
            if self._zipf_rest_searches < REST_SPLIT_AFTER:
                i = found.index_of(word)
                return self._zipf_rest_values[i] if i >= 0 else 0
            rest = self._split_rest(found)
        values = self._zipf_rest_values
        i = bisect_left(rest, word, 0, len(values))
        return values[i] if i < len(values) and rest[i] == word else 0

    def _open_rest(self) -> SortedWords:
        """Read the words below Zipf 3 and their values (once, whichever thread asks first)."""
        with self._opening:
            found = self._zipf_rest_words
            if found is None:
                # The values first: a thread that finds the words finds their values.
                read = array("H")
                read.frombytes(self._part("zipf_rest_values", b""))
                self._zipf_rest_values = read
                found = self._zipf_rest_words = self._sorted_words("zipf_rest")
            return found

    def _split_rest(self, found: SortedWords) -> list[str]:
        """The words below Zipf 3 as a list, split once."""
        with self._opening:
            rest = self._zipf_rest
            if rest is None:
                rest = self._zipf_rest = found.words()
            return rest

    def _sorted_words(self, name: str) -> SortedWords:
        """The sorted word list stored as the part ``name`` and its offsets (written by :meth:`SortedWords.pack`)."""
        return SortedWords(self._part(name, ""), self._part(f"{name}_offsets", b""))

    def _word_list(self, name: str) -> SortedWords:
        """The sorted word list ``name``, read once, whichever thread asks first."""
        found = self._word_lists.get(name)
        if found is None:
            with self._opening:
                found = self._word_lists.get(name)
                if found is None:
                    found = self._word_lists[name] = self._sorted_words(name)
        return found

    @property
    def _rare(self) -> SortedWords:
        return self._word_list("rare")

    @property
    def _web(self) -> SortedWords:
        return self._word_list("web")

    def zipf(self, word: str) -> float:
        """wordfreq's Zipf frequency of a lowercase word (0 below 2, i.e. rarer than once in 10M words)."""
        return (self._value(word) >> 1) / 100.0

    def zipf_from_3(self, word: str) -> float:
        """:meth:`zipf` for words of Zipf 3 or more, else 0 (cheaper; for tests like ``zipf >= 3``)."""
        return (self._zipf.get(word, 0) >> 1) / 100.0

    def zipf100(self, word: str) -> int:
        return self._value(word) >> 1

    def is_common(self, word: str) -> bool:
        """Zipf 2 or more: at least once in ten million words of English."""
        return word in self._zipf or self._value(word) != 0

    def is_word(self, word: str) -> bool:
        """Whether any loaded word list knows the lowercase word (web spellings included)."""
        return self.is_common(word) or word in self._rare or word in self._web

    def is_dictionary_word(self, word: str) -> bool:
        """Known to wordfreq, the spelling dictionary or the thesaurus (not only seen on the web)."""
        return self.is_common(word) or word in self._rare

    def is_web_only(self, word: str) -> bool:
        """Seen in web text (wordsegment, or wordfreq below Zipf 2), but in no dictionary: often a typo."""
        return word in self._web and not self.is_common(word) and word not in self._rare

    def is_restorable(self, word: str) -> bool:
        """A real, reasonably common dictionary word (a candidate original of a garbled word)."""
        return self._value(word) & 1 == 1

    @property
    def frequent_words(self) -> dict[str, int]:
        """The words of Zipf 3 or more (keys; values are Zipf x 200, plus 1 for restorable words)."""
        return self._zipf

    # -- Thesaurus --------------------------------------------------------------------------

    def sources_of(self, synonym: str) -> tuple[str, ...]:
        """Thesaurus headwords that list ``synonym`` (what a spinner may have replaced by it)."""
        found = self._sources.get(synonym)
        return tuple(found.split(" ")) if found else ()

    def fanout(self, head: str) -> int:
        """How many synonyms the thesaurus lists for ``head`` (a spinner picks one of them)."""
        found = self._fanouts
        if found is None:
            with self._opening:
                found = self._fanouts
                if found is None:
                    found = self._fanouts = self._part("fanout", {})
        return found.get(head, 1)

    def web_bias(self, word: str) -> float:
        """log10 of how much more common the word is on the web than in English at large (>= 0)."""
        return self._web_bias.get(word, 0) / 100.0

    def synonyms(self, word: str) -> frozenset[str]:
        """Common one-word synonyms of a common word (symmetric, with regular inflections)."""
        return _memo_words(self._syn_sets, self._syn, word)

    def close_synonyms(self, word: str) -> frozenset[str]:
        """Near-synonyms: synonyms sharing at least :data:`~.units.CLOSE_SIMILARITY` of their own synonyms."""
        return _memo_words(self._close_sets, self._close, word)

    def demotion(self, word: str) -> float:
        """How much more common (Zipf, 0 to :data:`~.units.MAX_DEMOTION`) the commonest near-synonym of a word of
        Zipf 3 or more is (:func:`~.units.demotion`): computed into the index, so one lookup."""
        stored = self._demotion
        if stored is None:
            return self.near_synonym_demotion(word)
        found: float = stored.get(word, 0.0)
        return found

    def near_synonym_demotion(self, word: str) -> float:
        """:meth:`demotion` by its definition, from the word's near-synonym list (what the builder stores)."""
        return demotion(self.zipf(word), (self.zipf(s) for s in self.close_synonyms(word)))

    # -- Word pairs -------------------------------------------------------------------------

    # A word's neighbour list is read whole (and then asked with dict and set operations in C)
    # when it is short, or when the word has been asked about so often that reading it costs less
    # than asking on. Until then the pairs of a big word are asked one by one (pair_counts): a
    # single article needs about a hundred answers about "the", not its 10,018 followers.

    def followers(self, word: str) -> dict[str, int]:
        """Words listed right after ``word`` in the web pair counts, with the counts in thousands.

        Reads the whole list (for "the", 10,018 words): to ask about a few pairs, use
        :meth:`pair_count`, :meth:`has_pair` or :meth:`any_follower_in`.
        """
        got = self._followers.get(word)
        return self._read_followers(word) if got is None else got

    def leader_set(self, word: str) -> frozenset[str]:
        """Words listed right before ``word`` in the web pair counts (the whole list, see :meth:`followers`)."""
        got = self._leader_sets.get(word)
        return self._read_leaders(word) if got is None else got

    def _read_followers(self, word: str) -> dict[str, int]:
        big = self._big_followers.get(word)
        if big is None:
            entry = self._pairs.get(word)
            got: dict[str, int] = entry[0] if entry else {}
        else:
            got = self._big_follower_lists[big[0]]
        if len(self._followers) >= MEMO_LIMIT:
            self._followers.clear()  # junk input: do not grow without bound
        self._followers[word] = got
        return got

    def _read_leaders(self, word: str) -> frozenset[str]:
        big = self._big_leaders.get(word)
        if big is None:
            entry = self._pairs.get(word)
            raw: str | None = entry[1] if entry else None
        else:
            raw = self._big_leader_lists[big[0]]
        if len(self._leader_sets) >= MEMO_LIMIT:
            self._leader_sets.clear()
        got = self._leader_sets[word] = _words_of(raw)
        return got

    def _asking_followers(self, word: str, asks: int) -> bool:
        return _keep_asking(self._big_followers, self._follower_asks, word, asks)

    def _asking_leaders(self, word: str, asks: int) -> bool:
        return _keep_asking(self._big_leaders, self._leader_asks, word, asks)

    def pair_count(self, first: str, second: str) -> int:
        """The listed count of the pair in thousands (at least 1), or 0 when it is not listed."""
        got = self._followers.get(first)
        if got is None:
            if self._asking_followers(first, 1):
                found: int = self._pair_counts.get(first + " " + second, 0)
                return found
            got = self._read_followers(first)
        return got.get(second, 0)

    def has_pair(self, first: str, second: str) -> bool:
        """Whether the web pair counts list ``first second`` (seen at least :data:`~.units.BIGRAM_CUTOFF` times)."""
        got = self._followers.get(first)  # (pair_count's lines: asked for every word pair of every article)
        if got is None:
            if self._asking_followers(first, 1):
                return self._pair_counts.get(first + " " + second) is not None
            got = self._read_followers(first)
        return second in got

    def any_follower_in(self, word: str, candidates: frozenset[str]) -> bool:
        """Whether some candidate is listed right after ``word``."""
        if not candidates:
            return False
        got = self._followers.get(word)
        if got is None:
            if self._asking_followers(word, len(candidates)):
                get, head = self._pair_counts.get, word + " "
                return any(get(head + c) for c in candidates)  # counts are at least 1
            got = self._read_followers(word)
        return not got.keys().isdisjoint(candidates)

    def any_leader_in(self, word: str, candidates: frozenset[str]) -> bool:
        """Whether some candidate is listed right before ``word``."""
        if not candidates:
            return False
        got = self._leader_sets.get(word)
        if got is None:
            if self._asking_leaders(word, len(candidates)):
                get, tail = self._pair_counts.get, " " + word
                return any(get(c + tail) for c in candidates)
            got = self._read_leaders(word)
        return not got.isdisjoint(candidates)

    def bigram(self, first: str, second: str) -> int:
        """Web count of the pair (0 when below :data:`~.units.BIGRAM_CUTOFF`)."""
        return self.pair_count(first, second) * BIGRAM_UNIT

    def strong_left(self, word: str) -> frozenset[str]:
        """Words that very often come right before ``word``."""
        return _memo_words(self._left_sets, self._left, word)

    def strong_right(self, word: str) -> frozenset[str]:
        """Words that very often come right after ``word``."""
        return _memo_words(self._right_sets, self._right, word)

    def count(self, word: str) -> float:
        """Estimated web count of a word, on the scale of the bigram counts."""
        z = self._value(word) >> 1
        return 10.0 ** (z / 100.0 - 9.0) * CORPUS_TOKENS if z else 0.0

    def pmi(self, first: str, second: str) -> float | None:
        """log10 of how much more often the pair occurs than chance (None when not listed)."""
        pair = self.pair_count(first, second) * BIGRAM_UNIT
        if not pair:
            return None
        a, b = self.count(first), self.count(second)
        if not a or not b:
            return None
        return math.log10(pair * CORPUS_TOKENS / (a * b))

    def pmi_bound(self, first: str, second: str) -> float:
        """For a pair not listed: the most its :meth:`pmi` can be, when that is below chance, else 0."""
        a, b = self.count(first), self.count(second)
        if not a or not b:
            return 0.0
        return min(0.0, math.log10(BIGRAM_CUTOFF * CORPUS_TOKENS / (a * b)))
