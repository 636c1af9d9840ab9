"""Word pairs judged by a language model, without running one: the *synonym gain* of a text's common words.

Measurement code (wave 12, not shipped: see bench/README.md, "Word pairs judged by the language model, distilled
for the light path (wave 12)"). Pure Python (``array`` and ``bisect``), as the default path would need it.

A word-for-word spinner puts a near-synonym where the writer's word stood ("blood strain" for "blood pressure").
A language model reads the spun word as a surprise *and* its near-synonym as the likely word at that place. The
table ``scripts/build_lm_pairs.py`` distils out of SmolLM2-135M-Instruct holds what that needs: for each of about
17,000 common words ``a``, its likeliest next words ``b`` with bits(b|a), the surprisal of " b" right after " a";
a pair left out gets the larger of a floor (the surprisal of the likeliest word left out, a lower bound of theirs)
and a two-way additive fit (a term per context word plus one per next word), and each word's near-synonyms to
compare it with.

For a common content word ``b`` written in lowercase between neighbours ``a`` and ``c`` (white space on one line
between them; ``c`` may be missing), its gain is how many bits its best near-synonym ``s`` saves::

    gain(b) = max(0, max over s of [bits(b|a) + bits(c|b)] - [bits(s|a) + bits(c|s)])

``scripts/measure_lm_pairs.py`` adds the mean gain of a text to the page model as a signal and refits it.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.families.spun.swaps import FUNCTION_WORDS

if TYPE_CHECKING:
    from healthlint.families.spun.tokens import BlockTokens

#: The table's first line.
MAGIC = b"HLLMPAIRS 1"
#: The near-synonyms a word is compared with: the MAX_SYNONYMS commonest of those at most SYNONYM_ZIPF100_BELOW
#: (Zipf x 100) rarer than it (a spinner's replacement is rarer than the writer's word, seldom commoner).
MAX_SYNONYMS = 8
SYNONYM_ZIPF100_BELOW = 50
#: A word's gain counts at most this many bits (no cap by default; measure_lm_pairs.py --cap: a thesaurus sense
#: that does not fit, "makes" for "kidneys", or a pair the table only bounds, can give one word ten bits or more).
MAX_GAIN = float("inf")
#: Gains remembered per (a, b, c) before the memo starts over.
MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class PairTable:
    """The table of ``data/lm_pairs.bin``: surprisal in units of ``step`` bits, as small integers."""

    #: word -> its number (the words sorted).
    numbers: dict[str, int]
    #: Next words kept per word, and the bits of one unit.
    top: int
    step: float
    #: Per word: the floor (the unit surprisal of every next word not listed).
    floors: memoryview
    #: Per word, the additive fit's terms as a context (row) and as a next word (column), in units.
    rows: array[int]
    columns: array[int]
    #: Per word, ``top`` listed next words (numbers, sorted) and their unit surprisal.
    listed: array[int]
    units: memoryview
    #: Per word, its near-synonyms to compare it with: ``synonyms[offsets[w] : offsets[w + 1]]``.
    offsets: array[int]
    synonyms: array[int]
    source: str

    @classmethod
    def from_bytes(cls, data: bytes) -> PairTable:
        first = data.find(b"\n")
        second = data.find(b"\n", first + 1)
        third = data.find(b"\n", second + 1)
        if data[:first] != MAGIC or third < 0:
            raise ValueError("not a word-pair table of this version (rebuild: scripts/build_lm_pairs.py)")
        header = json.loads(data[first + 1 : second])
        words = data[second + 1 : third].decode("ascii").split(" ")
        n, top = int(header["words"]), int(header["top"])
        body = memoryview(data)[third + 1 :]
        sizes = (n, 2 * n, 2 * n, 2 * n * top, n * top, 4 * (n + 1))
        if len(words) != n or len(body) < sum(sizes):
            raise ValueError("word-pair table: truncated or inconsistent")
        parts, at = [], 0
        for size in sizes:
            parts.append(body[at : at + size])
            at += size
        parts.append(body[at:])
        floors, rows_raw, columns_raw, listed_raw, units, offsets_raw, synonyms_raw = parts
        rows, columns, listed = _array("h", rows_raw), _array("h", columns_raw), _array("H", listed_raw)
        offsets, synonyms = _array("I", offsets_raw), _array("H", synonyms_raw)
        if array("H", [1]).tobytes() != b"\x01\x00":  # the file is little-endian
            for part in (rows, columns, listed, offsets, synonyms):
                part.byteswap()
        if offsets.itemsize != 4 or offsets[-1] != len(synonyms):
            raise ValueError("word-pair table: truncated or inconsistent")
        return cls(
            numbers={w: i for i, w in enumerate(words)},
            top=top,
            step=float(header["step"]),
            floors=floors,
            rows=rows,
            columns=columns,
            listed=listed,
            units=units,
            offsets=offsets,
            synonyms=synonyms,
            source=str(header["source"]),
        )

    def units_of(self, a: int, b: int) -> int:
        """bits(b|a) in units of :attr:`step`; when ``b`` is not listed after ``a``, the larger of the floor of
        ``a`` and the additive fit."""
        lo = a * self.top
        at = bisect_left(self.listed, b, lo, lo + self.top)
        if at < lo + self.top and self.listed[at] == b:
            return self.units[at]
        fit = self.rows[a] + self.columns[b]
        floor = self.floors[a]
        return fit if fit > floor else floor

    def bits(self, first: str, second: str) -> float | None:
        """bits(second|first), or None when either word is not in the table."""
        a, b = self.numbers.get(first), self.numbers.get(second)
        if a is None or b is None:
            return None
        return self.units_of(a, b) * self.step


def _array(code: str, raw: memoryview) -> array[int]:
    found = array(code)
    found.frombytes(raw)
    return found


def load(path: Path) -> PairTable:
    return PairTable.from_bytes(path.read_bytes())


@dataclass
class GainCounts:
    """A text's judged words: how many, and their summed gain (bits)."""

    words: int = 0
    gain: float = 0.0


class SynonymGain:
    """Computes the synonym gain of a text's words (one per analyzer: it memoizes per word and per triple)."""

    def __init__(self, table: PairTable) -> None:
        self.table = table
        #: The words judged: the table's, but for function words.
        self._content = frozenset(i for w, i in table.numbers.items() if w not in FUNCTION_WORDS)
        #: (a, b, c) numbers (c -1 when missing) -> gain in units.
        self._memo: dict[tuple[int, int, int], int] = {}

    def add(self, toks: BlockTokens, counts: GainCounts) -> None:
        """Add the gains of one block's words to ``counts``."""
        words, raws, parts = toks.words, toks.raws, toks.parts
        n = len(words)
        if n < 2:
            return
        table = self.table
        numbers = table.numbers
        ids = [numbers.get(w, -1) for w in words]
        content = self._content
        memo, units_of, step, offsets, synonyms = self._memo, table.units_of, table.step, table.offsets, table.synonyms
        for i in range(1, n):
            b = ids[i]
            if b not in content or ids[i - 1] < 0 or not raws[i].islower():
                continue
            # Only white space on one line joins two words (see BlockTokens.adjacent).
            gap = parts[2 * i]
            if gap != " " and (not gap.isspace() or "\n" in gap):
                continue
            a = ids[i - 1]
            c = -1
            if i + 1 < n:
                gap = parts[2 * i + 2]
                if gap == " " or (gap.isspace() and "\n" not in gap):
                    c = ids[i + 1]
            key = (a, b, c)
            gain = memo.get(key)
            if gain is None:
                gain = 0
                rivals = synonyms[offsets[b] : offsets[b + 1]]
                if rivals:
                    own = units_of(a, b) + (units_of(b, c) if c >= 0 else 0)
                    for s in rivals:
                        other = units_of(a, s) + (units_of(s, c) if c >= 0 else 0)
                        if own - other > gain:
                            gain = own - other
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[key] = gain
            counts.words += 1
            counts.gain += min(gain * step, MAX_GAIN)
