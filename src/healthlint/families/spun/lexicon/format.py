"""The on-disk format of the word index: a header, the parts every article needs, then sharded maps.

The file is made for start-up speed: when it is opened, only the parts every article needs are
read and unmarshalled (the 29,000 words of Zipf 3 and more, the strong word pairs, the words with
long pair lists), in about 10 ms; rarer words are sorted lists read at their first lookup and
searched on demand. The large maps (the synonyms, the near-synonyms, each word's demotion, the
garbled-word sources, the word pairs) are split into marshalled shards (:data:`SHARDS`, or
:data:`PART_SHARDS`) by a stable hash (CRC-32) of the key; a lookup reads and unmarshals only its
shard, once per process. A single article touches a few hundred shards out of thousands; a bulk
run ends up loading them all, for about what loading the whole index at once would cost.
"""

from __future__ import annotations

import marshal
import mmap
import os
import threading
import zlib
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: Shards per large map in the index file (a power of two).
SHARDS = 4096
#: The large maps, split into shards by key: loaded piecemeal on first use.
SHARDED_PARTS = ("sources", "syn", "close", "demotion", "pairs", "pair_counts")
#: Maps split finer than :data:`SHARDS`: the word pairs, asked a few hundred at a time by one
#: article, so that each lookup decodes a few hundred bytes (measured best at 16,384).
PART_SHARDS = {"pairs": 16_384, "pair_counts": 16_384}
#: Lists whose items are marshalled one by one and read on first use (see :class:`LazyList`).
LIST_PARTS = ("big_follower_lists", "big_leader_lists")
#: Start of an index file.
MAGIC = b"HLSPUN\x00\x01"


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

    def words(self) -> list[str]:
        """The words in order (split from the blob, one object each: for lists searched very often)."""
        return self._blob.split("\n")[:-1]

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


class SortedLines:
    """A sorted list of lines kept as the text they were read from: membership is a binary search of the text.

    Nothing is split or hashed when the text is read: for a table of tens of thousands of lines asked a
    few times per article (a frozenset of the 28,000 health pairs took 12 ms to build; this, reading the
    file). Lines sort by code point (what :func:`sorted` gives), one per ``\\n``, no blank ones; comment
    lines (``#``) at the top are skipped.
    """

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        start = 0
        while text.startswith("#", start):
            start = text.find("\n", start) + 1 or len(text)
        body = text[start:]
        self._text = body if not body or body.endswith("\n") else body + "\n"

    def __contains__(self, line: object) -> bool:
        if not isinstance(line, str):
            return False
        text = self._text
        lo, hi = 0, len(text)  # both at the start of a line
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", lo, mid) + 1 or lo
            end = text.find("\n", start)
            here = text[start:end]
            if here == line:
                return True
            if here < line:
                lo = end + 1
            else:
                hi = start
        return False

    def __len__(self) -> int:
        return self._text.count("\n")

    def __iter__(self) -> Iterator[str]:
        return iter(self._text.splitlines())


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
    """A large map split into marshalled shards by a stable hash of the key; shards load on first use (once, whichever
    thread asks first)."""

    __slots__ = ("_base", "_buffer", "_loading", "_mask", "_offsets", "_shards")

    def __init__(self, buffer: Buffer, base: int, offsets: bytes) -> None:
        self._buffer = buffer
        self._base = base
        self._offsets = array("I")
        self._offsets.frombytes(offsets)
        count = len(self._offsets) - 1
        self._shards: list[dict[str, Any] | None] = [None] * count
        self._mask = count - 1
        self._loading = threading.Lock()

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
            shard = self._load(i)
        return shard.get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return sum(len(self._load(i)) for i in range(len(self._shards)))

    def _load(self, i: int) -> dict[str, Any]:
        shard = self._shards[i]
        if shard is None:
            with self._loading:
                shard = self._shards[i]
                if shard is None:
                    start = self._base + self._offsets[i]
                    shard = self._shards[i] = marshal.loads(self._buffer[start : self._base + self._offsets[i + 1]])
        return shard

    def items(self) -> Iterator[tuple[str, Any]]:
        for i in range(len(self._shards)):
            yield from self._load(i).items()


class LazyList:
    """A list whose items are marshalled one by one and each unmarshalled on first use (once, whichever thread asks
    first)."""

    __slots__ = ("_base", "_buffer", "_items", "_loading", "_offsets")

    def __init__(self, buffer: Buffer, base: int, offsets: bytes) -> None:
        self._buffer = buffer
        self._base = base
        self._offsets = array("I")
        self._offsets.frombytes(offsets)
        self._items: list[Any] = [None] * (len(self._offsets) - 1)
        self._loading = threading.Lock()

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
            with self._loading:
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
        """Serialise a whole index at once (small indexes in tests; the builder adds part by part)."""
        writer = IndexWriter()
        for name, value in data.items():
            if name != "meta":
                writer.add(name, value)
        return writer.finish(data.get("meta", {}))

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


class IndexWriter:
    """Serialises an index part by part, so the builder can drop each part once it is added."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[int, int, bytes | None]] = {}
        self._blobs: list[bytes] = []
        self._size = 0

    def add(self, name: str, value: Any) -> None:
        shard_offsets: bytes | None = None
        if name in SHARDED_PARTS:
            shard_offsets, blob = ShardedMap.pack(value, PART_SHARDS.get(name, SHARDS))
        elif name in LIST_PARTS:
            shard_offsets, blob = LazyList.pack(value)
        else:
            blob = marshal.dumps(value)
        self._parts[name] = (self._size, len(blob), shard_offsets)
        self._blobs.append(blob)
        self._size += len(blob)

    def finish(self, meta: dict[str, Any]) -> bytes:
        """The file's bytes (see :class:`IndexFile` for the layout)."""
        header = marshal.dumps({"meta": meta, "parts": self._parts, "size": self._size})
        blobs, self._blobs = self._blobs, []
        return b"".join([MAGIC, len(header).to_bytes(8, "little"), header, *blobs])
