"""The trigram model's store: the ``pocketsphinx`` wheel's model, rewritten once per machine for lazy reading.

``NGramModel.readfile`` reads the wheel's 27 MB trie (``en-us.lm.bin``) into memory on every run (some 45 ms holding
the GIL, 35-45 MB per process). The store holds the same n-grams with the same quantised log probabilities, laid out
so that opening it maps the file and reads a small header (about a millisecond) and each query reads the few pages it
touches: nothing is unmarshalled, and a word's number is found in a hash table kept in the file.

It is built from the wheel's own file (:func:`build_store`: a pure-Python reading of
``ngram_model_trie_read_bin``'s format, a few seconds, once per machine) into the data cache beside the word index,
as ``trigram-<key>.bin``; the key names :data:`STORE_VERSION`, the installed ``pocketsphinx``, the model file's
size and a checksum of its start and of windows spread over it (:func:`fingerprint`), so a new wheel, another model
or new build code builds it again. Processes started together build it once (a lock like the word index's,
:func:`~.lexicon.store.build_lock`), and the build does not count against a rule's or an article's time limit
(:func:`~healthlint.storage.datacache.building`). The file is written with an fsync; at each open the small parts
every query reads (the word table, the unigrams: :data:`CHECKED_AT_OPEN`) are checked against their checksums, and a
file that fails is built again; the whole file's checksum is read when a number out of range is met in the rest
(``trigram.damaged``).

Layout (arrays in the machine's byte order, which the header names): the predicted word's bigram contexts in one
sorted range per word (as in the trie: ``u_start``), each bigram's quantised probability and backoff (``bi_q``: the
probability's bin in the high 16 bits, the backoff's in the low) and the range of its trigram contexts
(``bi_child``); the trigram contexts and their log probabilities, already truncated to integers (``tri_p``: a
trigram's probability is never added to anything). :meth:`TrigramStore.prob` reads them as pocketsphinx does (see
its docstring), to the same integer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import marshal
import mmap
import os
import struct
import sys
import zlib
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Any

from healthlint.storage import datacache

LOG = logging.getLogger(__name__)

#: Bump when the store's layout or the way it is built changes: the cached file is then built again.
STORE_VERSION = 3
#: Start of a store file.
MAGIC = b"HLTRIGRM\x00\x01"
#: Start of the pocketsphinx binary trie format (``ngram_model_trie.c``).
TRIE_HEADER = b"Trie Language Model"
#: The log probability of a word the model does not know (``logmath_get_zero``: -2^29).
LOG_ZERO = -(1 << 29)
#: Slots of the word -> number hash table per word of the vocabulary, at least (a power of two above it: 262,144
#: for the wheel's 72,547 words, a 1 MB table a lookup probes about 1.2 times).
VOCAB_SLOTS_PER_WORD = 2
#: Words whose id a process remembers before the memo starts over.
WORD_MEMO_LIMIT = 200_000
#: The parts of a store, with their array type codes.
ARRAYS = {
    "p1": "f",
    "b1": "f",
    "u_start": "I",
    "bi_ctx": "I",
    "bi_q": "I",
    "bi_child": "I",
    "p2": "f",
    "b2": "f",
    "tri_ctx": "I",
    "tri_p": "i",
}
_FLOAT32 = struct.Struct("=f")
#: The small parts (3.3 MB of the wheel model's 41) whose checksums are compared at every open: the word table and
#: the unigrams, which every query reads. The large bigram and trigram arrays are not read whole at each open: a
#: number out of range met in them is an error (``trigram.damaged``), which then checks the whole file
#: (:meth:`TrigramStore.verify`) and deletes it when it does not match, so the next run builds it again.
CHECKED_AT_OPEN = frozenset({"vocab_slots", "vocab_offsets", "vocab_words", "p1", "b1", "u_start", "p2", "b2"})


class StoreError(ValueError):
    """A store or model file that cannot be read (the message says why)."""


def _f32(value: float) -> float:
    """``value`` rounded to single precision (pocketsphinx adds its log probabilities as C floats)."""
    return float(_FLOAT32.unpack(_FLOAT32.pack(value))[0])


def read_trie(path: str | Path) -> dict[str, Any]:
    """The parts of a store read from a pocketsphinx binary trie file (``ngram_model_trie_read_bin``).

    The file: the header text, the order (one byte, 3 here), the n-gram counts (uint32 each), a dummy int, the
    quantisation tables (float32: the bigram probabilities' and backoffs' 65,536 bins, then the trigram
    probabilities'), the unigrams (prob, backoff as float32, the first of their bigram contexts as uint32; one more
    entry ends the last range), the bit-packed bigram entries (context word, 16-bit probability bin, 16-bit backoff
    bin, first trigram context; one more entry ends the last range), the bit-packed trigram entries (context word,
    16-bit probability bin), then the words (their total length, then each ending in NUL).

    :raises StoreError: when the file is not of that format.
    """
    data = Path(path).read_bytes()
    if not data.startswith(TRIE_HEADER):
        raise StoreError(f"{path} is not a pocketsphinx binary trie model")
    pos = len(TRIE_HEADER)
    try:
        order = data[pos]
        pos += 1
        if order != 3:
            raise StoreError(f"{path} is a {order}-gram model; the store reads trigram models")
        n1, n2, n3 = struct.unpack_from("<3I", data, pos)
        pos += 12 + 4  # the counts, then a dummy int (a quantisation type, once)
        tables = array("f")
        tables.frombytes(data[pos : pos + 4 * 3 * 65536])
        pos += 4 * 3 * 65536
        unigrams = array("f")
        unigrams.frombytes(data[pos : pos + 12 * (n1 + 1)])
        pos += 12 * (n1 + 1)
        if sys.byteorder != "little":  # pragma: no cover - the file is little-endian
            tables.byteswap()
            unigrams.byteswap()
        starts = array("I")
        starts.frombytes(unigrams.tobytes())
        word_bits, next_bits = n1.bit_length(), n3.bit_length()
        mid_bits = word_bits + 32 + next_bits
        mid_size = ((1 + n2) * mid_bits + 7) // 8 + 8
        mid = data[pos : pos + mid_size]
        pos += mid_size
        long_bits = word_bits + 16
        long_size = ((1 + n3) * long_bits + 7) // 8 + 8
        longest = data[pos : pos + long_size]
        pos += long_size
        (size,) = struct.unpack_from("<i", data, pos)
        pos += 4
        words = data[pos : pos + size].split(b"\0")[:-1]
        pos += size
    except (IndexError, struct.error) as exc:
        raise StoreError(f"{path} is truncated ({exc})") from None
    if pos != len(data) or len(words) != n1 or len(mid) != mid_size or len(longest) != long_size:
        raise StoreError(f"{path} does not have the size its counts say")
    p1, b1, u_start = unigrams[0::3], unigrams[1::3], starts[2::3]
    del p1[n1], b1[n1]
    bigrams = u_start[n1]
    parts: dict[str, Any] = {"words": [w.decode("utf-8", "surrogateescape") for w in words]}
    parts.update(p1=p1, b1=b1, u_start=u_start, p2=tables[0:65536], b2=tables[65536:131072])
    parts.update(_bigrams(mid, bigrams, word_bits, mid_bits, next_bits))
    trigrams = parts["bi_child"][-1]
    if bigrams > n2 or trigrams > n3:
        raise StoreError(f"{path}: its ranges run past its counts")
    parts.update(_trigrams(longest, trigrams, tables[131072:], word_bits, long_bits))
    return parts


def _bigrams(mid: bytes, count: int, word_bits: int, total_bits: int, next_bits: int) -> dict[str, array[int]]:
    ctx, quant, child = array("I"), array("I"), array("I")
    word_mask, next_mask = (1 << word_bits) - 1, (1 << next_bits) - 1
    width = (total_bits + 7 + 7) // 8
    from_bytes = int.from_bytes
    for j in range(count + 1):  # one more: the end of the last range of trigrams
        off = j * total_bits
        value = from_bytes(mid[off >> 3 : (off >> 3) + width], "little") >> (off & 7)
        ctx.append(value & word_mask)
        quant.append((value >> word_bits) & 0xFFFFFFFF)
        child.append((value >> (word_bits + 32)) & next_mask)
    del ctx[count], quant[count]
    return {"bi_ctx": ctx, "bi_q": quant, "bi_child": child}


def _trigrams(
    longest: bytes, count: int, table: array[float], word_bits: int, total_bits: int
) -> dict[str, array[int]]:
    ctx, prob = array("I"), array("i")
    word_mask = (1 << word_bits) - 1
    width = (total_bits + 7 + 7) // 8
    from_bytes = int.from_bytes
    values = [int(v) for v in table]  # C's (int32) cast: truncation towards zero
    for t in range(count):
        off = t * total_bits
        value = from_bytes(longest[off >> 3 : (off >> 3) + width], "little") >> (off & 7)
        ctx.append(value & word_mask)
        prob.append(values[(value >> word_bits) & 0xFFFF])
    return {"tri_ctx": ctx, "tri_p": prob}


def _uniform_find(ctx: array[int], lo: int, hi: int, key: int, max_vocab: int) -> int:
    """Where pocketsphinx's ``uniform_find`` finds ``key`` among the contexts ``ctx[lo:hi]`` (-1: not found).

    An interpolation search in unsigned 32-bit arithmetic, as in ``lm_trie.c``: on a sorted range it finds every
    key there is; on a range that is not sorted it may miss some, and the model then reads them as absent.
    """
    mask = 0xFFFFFFFF
    before_it, before_v, after_it, after_v = (lo - 1) & mask, 0, hi, max_vocab
    if key > after_v:
        return -1
    while ((after_it - before_it) & mask) > 1:
        off, width = (key - before_v) & mask, (after_it - before_it - 1) & mask
        pivot = (before_it + 1 + ((off * width) & mask) // (((after_v - before_v) & mask) + 1)) & mask
        mid = ctx[pivot]
        if mid < key:
            before_it, before_v = pivot, mid
        elif mid > key:
            after_it, after_v = pivot, mid
        else:
            return pivot
    return -1


def _sorted_ranges(parts: dict[str, Any]) -> None:
    """Make every range of contexts sorted, keeping what the model's own search finds in it.

    The store bisects each range; pocketsphinx searches it by interpolation (:func:`_uniform_find`), which finds
    the same entries when the range is sorted. The wheel's model has two trigram ranges of two entries that are not
    ("bullhorns and" is followed by "whips", then "teased"): each is replaced by the entries the model's search
    finds, in order. A bigram range that is not sorted would move trigram ranges: it stops the build instead.
    """
    max_vocab = len(parts["p1"])
    ctx, starts = parts["bi_ctx"], parts["u_start"]
    for i in range(len(starts) - 1):
        if any(ctx[k] >= ctx[k + 1] for k in range(starts[i], starts[i + 1] - 1)):
            raise StoreError(f"the model's bigram range {i} is not sorted")
    ctx, starts, prob = parts["tri_ctx"], parts["bi_child"], parts["tri_p"]
    unsorted = [
        i for i in range(len(starts) - 1) if any(ctx[k] >= ctx[k + 1] for k in range(starts[i], starts[i + 1] - 1))
    ]
    if not unsorted:
        return
    new_ctx, new_prob, new_starts = array("I"), array("i"), array("I", [0])
    bad = set(unsorted)
    for i in range(len(starts) - 1):
        lo, hi = starts[i], starts[i + 1]
        if i in bad:
            found = {k for k in range(lo, hi) if _uniform_find(ctx, lo, hi, ctx[k], max_vocab) == k}
            keep = sorted((ctx[k], prob[k]) for k in found)
            new_ctx.extend(c for c, _ in keep)
            new_prob.extend(p for _, p in keep)
        else:
            new_ctx.extend(ctx[lo:hi])
            new_prob.extend(prob[lo:hi])
        new_starts.append(len(new_ctx))
    parts.update(tri_ctx=new_ctx, tri_p=new_prob, bi_child=new_starts)


def _vocabulary(words: list[bytes]) -> dict[str, array[int]]:
    """The word -> number table: open addressing on CRC-32 (linear probing), each slot the word's number + 1 (0:
    empty); the words' offsets in their joined bytes. The first of two equal words keeps the slot, as pocketsphinx's
    own table does."""
    size = 1 << max(1, (VOCAB_SLOTS_PER_WORD * len(words) - 1).bit_length())
    slots = array("I", bytes(4 * size))
    offsets = array("I", [0])
    for w in words:
        offsets.append(offsets[-1] + len(w))
    mask = size - 1
    for number, w in enumerate(words):
        i = zlib.crc32(w) & mask
        while slots[i] and words[slots[i] - 1] != w:
            i = (i + 1) & mask
        if not slots[i]:
            slots[i] = number + 1
    return {"vocab_slots": slots, "vocab_offsets": offsets}


def build_store(model: str | Path, meta: dict[str, Any]) -> bytes:
    """A store's bytes, read from the pocketsphinx model file ``model`` (a few seconds).

    :raises StoreError: when the model file cannot be read as a trigram trie.
    """
    parts = read_trie(model)
    if len(parts["tri_ctx"]) != parts["bi_child"][-1]:
        raise StoreError(f"{model}: its trigram count does not match its bigram ranges")
    _sorted_ranges(parts)
    words = [w.encode("utf-8", "surrogateescape") for w in parts.pop("words")]
    blobs: list[tuple[str, bytes, str]] = [(name, blob.tobytes(), "I") for name, blob in _vocabulary(words).items()]
    blobs.append(("vocab_words", b"".join(words), "B"))
    blobs += [(name, parts[name].tobytes(), code) for name, code in ARRAYS.items()]
    layout: dict[str, tuple[int, int, str]] = {}
    offset = 0
    body: list[bytes] = []
    for name, blob, code in blobs:
        pad = -offset % 8
        body.append(b"\0" * pad)
        offset += pad
        layout[name] = (offset, len(blob), code)
        body.append(blob)
        offset += len(blob)
    checks = {name: zlib.crc32(blob) for name, blob, _ in blobs if name in CHECKED_AT_OPEN}
    header = marshal.dumps(
        {
            "meta": meta,
            "byteorder": sys.byteorder,
            "words": len(words),
            "parts": layout,
            "size": offset,
            "crc32": checks,
            "body_crc32": _crc32_of(body),
        }
    )
    return b"".join([MAGIC, len(header).to_bytes(8, "little"), header, *body])


def _crc32_of(blobs: list[bytes]) -> int:
    crc = 0
    for blob in blobs:
        crc = zlib.crc32(blob, crc)
    return crc


class TrigramStore:
    """The model as stored: read lazily from a memory map; :meth:`prob` answers as ``NGramModel.prob`` does."""

    def __init__(self, buffer: mmap.mmap | bytes, expected_meta: dict[str, Any] | None = None) -> None:
        if buffer[: len(MAGIC)] != MAGIC:
            raise StoreError("not a healthlint trigram store")
        size = int.from_bytes(buffer[len(MAGIC) : len(MAGIC) + 8], "little")
        start = len(MAGIC) + 8
        try:
            header = marshal.loads(buffer[start : start + size])
        except (EOFError, ValueError, TypeError) as exc:
            raise StoreError(f"damaged store header ({exc})") from None
        if not isinstance(header, dict) or not isinstance(header.get("parts"), dict):
            raise StoreError("damaged store header")
        if header.get("byteorder") != sys.byteorder:
            raise StoreError("a store built on a machine of the other byte order")
        if expected_meta is not None and header.get("meta") != expected_meta:
            raise StoreError("a store built from another model or by another version")
        base = start + size
        layout = header["parts"]
        if not all(name in layout for name in (*ARRAYS, "vocab_slots", "vocab_offsets", "vocab_words")):
            raise StoreError("damaged store (a part is missing)")
        if not isinstance(header.get("size"), int) or len(buffer) != base + header["size"]:
            raise StoreError("truncated store (it is not as long as its header says)")
        if not isinstance(header.get("meta"), dict):
            raise StoreError("damaged store header")
        self.meta: dict[str, Any] = header["meta"]
        self._buffer = buffer
        self._views: list[Any] = []
        try:
            self._map(buffer, header, base)
        except StoreError:
            self._release()
            raise
        except (TypeError, KeyError, AttributeError, IndexError, ValueError) as exc:  # a header that is not ours
            self._release()
            raise StoreError(f"damaged store ({type(exc).__name__}: {exc})") from None
        self._ids: dict[str, int] = {}
        #: The file the store was read from (None when it was built in memory).
        self.path: Path | None = None
        self._header = header
        self._base = base

    def _map(self, buffer: mmap.mmap | bytes, header: dict[str, Any], base: int) -> None:
        """The parts' views; :class:`StoreError` when their sizes or checksums do not match the header."""
        layout: dict[str, tuple[int, int, str]] = header["parts"]
        view = memoryview(buffer)
        self._views.append(view)

        def part(name: str, code: str = "B") -> memoryview:
            # each view is kept as soon as it is made, so that a failure half-way releases every one of them
            offset, length, _ = layout[name]
            found = view[base + offset : base + offset + length]
            self._views.append(found)
            if code != "B":
                found = found.cast(code)  # type: ignore[call-overload]  # typeshed wants a literal format
                self._views.append(found)
            return found

        self._p1, self._b1, self._p2, self._b2 = (part(name, "f") for name in ("p1", "b1", "p2", "b2"))
        self._u_start, self._bi_ctx, self._bi_q, self._bi_child, self._tri_ctx = (
            part(name, "I") for name in ("u_start", "bi_ctx", "bi_q", "bi_child", "tri_ctx")
        )
        self._vocab_slots, self._vocab_offsets = (part(name, "I") for name in ("vocab_slots", "vocab_offsets"))
        self._vocab_words = part("vocab_words")
        self._tri_p = part("tri_p", "i")
        words = header.get("words", -1)
        if (
            len(self._p1) != words
            or len(self._u_start) != words + 1
            or self._u_start[words] != len(self._bi_ctx)
            or len(self._bi_child) != len(self._bi_q) + 1
            or self._bi_child[len(self._bi_q)] != len(self._tri_ctx)
            or len(self._vocab_offsets) != words + 1
            or self._vocab_offsets[words] != len(self._vocab_words)
            or len(self._vocab_slots) < 2 * words
            or len(self._vocab_slots) & (len(self._vocab_slots) - 1)
        ):
            raise StoreError("damaged store (its arrays do not match)")
        checks = header.get("crc32")
        if not isinstance(checks, dict) or set(checks) != CHECKED_AT_OPEN:
            raise StoreError("damaged store (no checksums)")
        for name in sorted(CHECKED_AT_OPEN):
            offset, length, _ = layout[name]
            if zlib.crc32(view[base + offset : base + offset + length]) != checks[name]:
                raise StoreError(f"damaged store (the checksum of its part {name} does not match)")

    def verify(self) -> bool:
        """Whether the whole body matches the checksum it was built with (reads all of it: once, after a build)."""
        view = memoryview(self._buffer)
        try:
            expected: int = self._header["body_crc32"]
            return zlib.crc32(view[self._base : self._base + self._header["size"]]) == expected
        finally:
            view.release()

    def _release(self) -> None:
        for view in reversed(self._views):
            view.release()
        self._views.clear()

    @classmethod
    def open(cls, path: Path, expected_meta: dict[str, Any] | None = None) -> TrigramStore:
        with path.open("rb") as handle:
            buffer = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            store = cls(buffer, expected_meta)
        except Exception:
            with contextlib.suppress(BufferError):  # a view left by a failure no check foresaw: the map stays
                buffer.close()
            raise
        store.path = path
        return store

    def word_id(self, word: str) -> int:
        """The model's number for a word (-1 for a word it does not know: words are case-sensitive)."""
        found = self._ids.get(word)
        if found is None:
            try:
                found = self._find(word.encode("utf-8"))
            except UnicodeEncodeError:  # a lone surrogate: no word of the model (pocketsphinx's binding would raise)
                found = -1
            if len(self._ids) >= WORD_MEMO_LIMIT:
                self._ids.clear()
            self._ids[word] = found
        return found

    def _find(self, key: bytes) -> int:
        slots, offsets, blob = self._vocab_slots, self._vocab_offsets, self._vocab_words
        mask = len(slots) - 1
        i = zlib.crc32(key) & mask
        while True:
            found = slots[i]
            if not found:
                return -1
            if blob[offsets[found - 1] : offsets[found]] == key:
                return found - 1
            i = (i + 1) & mask

    def _backoff2(self, h1: int, h2: int) -> float:
        """The backoff of the bigram ``h2 h1`` (0 when the model does not have it)."""
        lo, hi = self._u_start[h1], self._u_start[h1 + 1]
        ctx = self._bi_ctx
        j = bisect_left(ctx, h2, lo, hi)
        if j < hi and ctx[j] == h2:
            return float(self._b2[self._bi_q[j] & 0xFFFF])
        return 0.0

    def score(self, w: int, h1: int = -1, h2: int = -1) -> int:
        """log P(w | h2 h1) in LogMath units (base 1.0001), by word numbers (-1: unknown or none).

        As pocketsphinx reads its trie (``lm_trie.c``): an unknown word scores :data:`LOG_ZERO`; the history is cut
        at its first unknown word; P(w | h2 h1) is the trigram's probability if the model has it, else the bigram's
        P(w | h1) plus the backoff of ``h2 h1`` (0 without that bigram), and P(w | h1) is the bigram's probability,
        else the unigram's plus the backoff of ``h1``; the sums are taken in single precision and truncated to an
        integer, as the C code does.
        """
        if w < 0:
            return LOG_ZERO
        if h1 < 0:
            return int(self._p1[w])
        lo, hi = self._u_start[w], self._u_start[w + 1]
        ctx = self._bi_ctx
        j = bisect_left(ctx, h1, lo, hi)
        if j < hi and ctx[j] == h1:
            if h2 < 0:
                return int(self._p2[self._bi_q[j] >> 16])
            lo, hi = self._bi_child[j], self._bi_child[j + 1]
            tctx = self._tri_ctx
            t = bisect_left(tctx, h2, lo, hi)
            if t < hi and tctx[t] == h2:
                return int(self._tri_p[t])
            return int(_f32(self._p2[self._bi_q[j] >> 16] + self._backoff2(h1, h2)))
        prob = _f32(self._p1[w] + self._b1[h1])
        if h2 < 0:
            return int(prob)
        return int(_f32(prob + self._backoff2(h1, h2)))

    def best_of(
        self, w: int, rivals: tuple[int, ...], a1: int, a2: int, c1: int, c2: int, right: int
    ) -> tuple[int, int]:
        """The score of ``w`` between ``a1 a2`` and ``c1 c2`` and the best score of ``w`` and its rivals there (word
        numbers; ``a1`` -1 when the first word has one word of history, ``right`` the number of words after it).

        ``score(x) = P(x | a1 a2) + P(c1 | a2 x) + P(c2 | x c1)`` (see :mod:`.trigram`), each term what :meth:`score`
        gives, read with the lookups the terms share done once (the history ``a1 a2``, the bigram ``a2 x`` that the
        second term backs off with, ``x c1`` that the third does, ``c1 c2``). A rival whose first term is no better
        than the best score so far is not read further, nor its third term when the first two are not better.
        ``w`` and the rivals must be words the model knows (:meth:`word_id` not -1); an unknown word around them is
        read as pocketsphinx reads it.
        """
        p1, b1, p2, b2, q, tri_p = self._p1, self._b1, self._p2, self._b2, self._bi_q, self._tri_p
        u_start, ctx, child, tctx = self._u_start, self._bi_ctx, self._bi_child, self._tri_ctx
        pack, unpack = _FLOAT32.pack, _FLOAT32.unpack
        # the history of the first term: P(x | a1 a2) backs off with the backoff of a2 and of "a1 a2"
        bo_a = 0.0
        if a2 >= 0 and a1 >= 0:
            lo, hi = u_start[a2], u_start[a2 + 1]
            j = bisect_left(ctx, a1, lo, hi)
            if j < hi and ctx[j] == a1:
                bo_a = b2[q[j] & 0xFFFF]
        # the third term's bigram "c1 c2" and its backoff sum without it
        j3, c_lo, c_hi, p3_base = -1, 0, 0, 0.0
        if right == 2 and c2 >= 0 and c1 >= 0:
            lo, hi = u_start[c2], u_start[c2 + 1]
            j = bisect_left(ctx, c1, lo, hi)
            if j < hi and ctx[j] == c1:
                j3, c_lo, c_hi = j, child[j], child[j + 1]
            else:
                p3_base = unpack(pack(p1[c2] + b1[c1]))[0]
        base = best = 0
        first = True
        for x in (w, *rivals):
            # P(x | a1 a2)
            jx = -1
            if a2 < 0:
                found = int(p1[x])
            else:
                lo, hi = u_start[x], u_start[x + 1]
                j = bisect_left(ctx, a2, lo, hi)
                if j < hi and ctx[j] == a2:
                    jx = j
                    if a1 < 0:
                        found = int(p2[q[j] >> 16])
                    else:
                        lo, hi = child[j], child[j + 1]
                        t = bisect_left(tctx, a1, lo, hi)
                        found = tri_p[t] if t < hi and tctx[t] == a1 else int(unpack(pack(p2[q[j] >> 16] + bo_a))[0])
                else:
                    prob = unpack(pack(p1[x] + b1[a2]))[0]
                    found = int(prob) if a1 < 0 else int(unpack(pack(prob + bo_a))[0])
            if not first and found <= best:
                continue
            if right:
                # P(c1 | a2 x)
                jc = -1
                if c1 < 0:
                    found += LOG_ZERO
                else:
                    bo_x = b2[q[jx] & 0xFFFF] if jx >= 0 else 0.0  # the backoff of "a2 x"
                    lo, hi = u_start[c1], u_start[c1 + 1]
                    j = bisect_left(ctx, x, lo, hi)
                    if j < hi and ctx[j] == x:
                        jc = j
                        if a2 < 0:
                            found += int(p2[q[j] >> 16])
                        else:
                            lo, hi = child[j], child[j + 1]
                            t = bisect_left(tctx, a2, lo, hi)
                            if t < hi and tctx[t] == a2:
                                found += tri_p[t]
                            else:
                                found += int(unpack(pack(p2[q[j] >> 16] + bo_x))[0])
                    else:
                        prob = unpack(pack(p1[c1] + b1[x]))[0]
                        found += int(prob) if a2 < 0 else int(unpack(pack(prob + bo_x))[0])
                if right == 2 and (first or found > best):
                    # P(c2 | x c1)
                    if c2 < 0:
                        found += LOG_ZERO
                    elif c1 < 0:
                        found += int(p1[c2])
                    else:
                        bo_c = b2[q[jc] & 0xFFFF] if jc >= 0 else 0.0  # the backoff of "x c1"
                        if j3 >= 0:
                            t = bisect_left(tctx, x, c_lo, c_hi)
                            if t < c_hi and tctx[t] == x:
                                found += tri_p[t]
                            else:
                                found += int(unpack(pack(p2[q[j3] >> 16] + bo_c))[0])
                        else:
                            found += int(unpack(pack(p3_base + bo_c))[0])
            if first:
                base = best = found
                first = False
            elif found > best:
                best = found
        return base, best

    def prob(self, words: list[str]) -> int:
        """``NGramModel.prob(words)``: the word first, then its history nearest first (at most two words used)."""
        word_id = self.word_id
        w = word_id(words[0])
        h1 = word_id(words[1]) if len(words) > 1 else -1
        h2 = word_id(words[2]) if len(words) > 2 and h1 >= 0 else -1
        return self.score(w, h1, h2)

    def close(self) -> None:
        """Release the memory map (tests; the process's store stays open for its life)."""
        self._release()
        if isinstance(self._buffer, mmap.mmap):
            self._buffer.close()


def store_meta(model: str | Path) -> dict[str, Any]:
    """What a store says it was built from: the store version, pocketsphinx's version, the model file's size and a
    fingerprint of its content (:func:`fingerprint`)."""
    from healthlint.entrypoints import distribution_versions

    version = distribution_versions(("pocketsphinx",)).get("pocketsphinx") or "missing"
    return {
        "store": STORE_VERSION,
        "pocketsphinx": version,
        "model_bytes": os.path.getsize(model),
        "model_crc32": fingerprint(model),
    }


#: A model file up to this size is checksummed whole; a larger one at :data:`FINGERPRINT_WINDOWS` places.
FINGERPRINT_WHOLE = 4 << 20
FINGERPRINT_WINDOWS = 8
FINGERPRINT_WINDOW = 64 << 10


def fingerprint(model: str | Path) -> int:
    """A CRC-32 of the model file: all of it when small, else of its start (the header and the quantiser's tables,
    which a re-quantised model changes) and windows spread evenly over the rest (under a millisecond for the
    wheel's 27 MB).

    Not the path or the modification time: every virtual environment with the same wheel shares one store.
    """
    with open(model, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= FINGERPRINT_WHOLE:
            return zlib.crc32(handle.read())
        crc = 0
        for i in range(FINGERPRINT_WINDOWS):
            handle.seek((size - FINGERPRINT_WINDOW) * i // (FINGERPRINT_WINDOWS - 1))
            crc = zlib.crc32(handle.read(FINGERPRINT_WINDOW), crc)
        return crc


def cache_name(meta: dict[str, Any]) -> str:
    key = hashlib.sha256(json.dumps(meta, sort_keys=True).encode()).hexdigest()[:16]
    return f"trigram-{key}.bin"


def _open(path: Path, meta: dict[str, Any]) -> TrigramStore | None:
    try:
        return TrigramStore.open(path, meta)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # StoreError is a ValueError
        LOG.debug("unreadable trigram store %s (%s); rebuilding", path, exc)
        return None


def load_or_build(model: str | Path) -> TrigramStore:
    """Open the cached store of ``model``, or build it once for the machine and open it (in memory when the cache
    folder is not writable).

    :raises StoreError: when the model file cannot be read as a trigram trie.
    :raises OSError: when it cannot be read at all.
    """
    from .lexicon.store import build_lock

    meta = store_meta(model)
    path = datacache.data_cache_dir() / cache_name(meta)
    found = _open(path, meta)
    if found is not None:
        return found
    with datacache.building(), build_lock(LOCK_NAME):
        found = _open(path, meta)  # built by another process while this one waited
        if found is not None:
            return found
        datacache.announce("trigram store", "a few seconds")
        payload = build_store(model, meta)
        # fsynced: a store is opened without reading its large arrays whole, so a power cut must not leave it damaged
        if datacache.store(path.name, payload, durable=True):
            found = _open(path, meta)
            if found is not None:
                return found
        return TrigramStore(payload, meta)


#: Held by the process building the store; the others wait on it.
LOCK_NAME = "trigram.lock"
