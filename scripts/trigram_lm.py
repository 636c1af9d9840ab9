"""A text's words scored by a real trigram language model: CMU's generic US-English 3-gram model with backoff.

Measurement code (wave 13, see bench/README.md, "A trigram language model for the light path (wave 13)"). The model
is the file ``pocketsphinx/model/en-us/en-us.lm.bin`` of PyPI's ``pocketsphinx`` 5.1.1 (Carnegie Mellon
University, BSD-style licence in the wheel's LICENSE), read with ``pocketsphinx.NGramModel.readfile`` (into memory,
about 30 ms). ``lm.prob([w, h1, h2])`` is log P(w | h2 h1) in LogMath units (base 1.0001), the word first, then its
history, nearest first; an unknown word gives about -2^29 (an unknown word in the history backs off).

The model was built for speech: lowercase words, no punctuation. A block's words are read as *runs*: a run breaks
where anything but white space, a comma, a hyphen or a quote stands between two words (a full stop, a bracket, a
line break, a number), and starts with ``<s>``.

Per text, over its *judged* words (lowercase as written, four letters or more, not function words, Zipf 3 or more
in the word index, known to the model; the deep stage judged content words likewise):

- **excess**: the word's trigram surprisal in its run minus its unigram surprisal (bits): how much less likely
  the word is where it stands than anywhere; sum, count and the 90th percentile;
- **synonym gain with both sides**: for the word ``b`` at ``a1 a2 _ c1 c2`` (the run's words; fewer at its ends),
  ``score(x) = log P(x | a1 a2) + log P(c1 | a2 x) + log P(c2 | x c1)``; the gain is the best near-synonym's score
  minus ``b``'s (bits), floored at 0, over :data:`MAX_SYNONYMS` near-synonyms (``Lexicon.close_synonyms``, single
  lowercase words the model knows, at most :data:`SYNONYM_ZIPF100_BELOW` Zipf x 100 rarer than ``b``, the commonest
  first, as scripts/lm_pairs.py chose them); sum, the 90th percentile, and how many words gain more than 3 and 6
  bits;
- **out of vocabulary**: every content word (four letters or more, not a function word, any case) counted by its
  word-index Zipf band (:data:`ZIPF_BANDS`), with how many of them the model does not know; the page signal is
  the unknown share beyond what clean prose's share in each band predicts.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from healthlint.families.spun.swaps import FUNCTION_WORDS
from healthlint.families.spun.tokens import BlockTokens

#: Bits of one LogMath unit (base 1.0001).
BITS = math.log2(1.0001)
#: log P at or below this: the word is not in the model's vocabulary.
UNKNOWN = -(1 << 28)
MAX_SYNONYMS = 8
SYNONYM_ZIPF100_BELOW = 50
#: Upper ends (Zipf x 100) of the Zipf bands of the out-of-vocabulary count; the last band is everything above.
ZIPF_BANDS = (1, 200, 250, 300, 350, 400, 450, 500)
#: Characters that may stand between two words of one run (besides white space on one line).
RUN_GAP = frozenset(" \t,-'\"’“”")


def model_path() -> str:
    import pocketsphinx

    return os.path.join(pocketsphinx.get_model_path(), "en-us", "en-us.lm.bin")


def open_model(path: str | None = None) -> Any:
    import pocketsphinx

    return pocketsphinx.NGramModel.readfile(path or model_path())


def quantile90(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


@dataclass
class TrigramCounts:
    """What one text gives the candidate signals."""

    judged: int = 0
    excess: float = 0.0
    excess_q90: float = 0.0
    gain_words: int = 0
    gain: float = 0.0
    gain_q90: float = 0.0
    gain_over3: int = 0
    gain_over6: int = 0
    #: Per Zipf band: content words, and those the model does not know.
    band_words: list[int] = field(default_factory=lambda: [0] * (len(ZIPF_BANDS) + 1))
    band_unknown: list[int] = field(default_factory=lambda: [0] * (len(ZIPF_BANDS) + 1))

    def as_counts(self) -> dict[str, Any]:
        return {
            "tg_judged": self.judged,
            "tg_excess": self.excess,
            "tg_excess_q90": self.excess_q90,
            "tg_gain_words": self.gain_words,
            "tg_gain": self.gain,
            "tg_gain_q90": self.gain_q90,
            "tg_gain_over3": self.gain_over3,
            "tg_gain_over6": self.gain_over6,
            "tg_band_words": tuple(self.band_words),
            "tg_band_unknown": tuple(self.band_unknown),
        }


def runs(toks: BlockTokens) -> Iterator[list[int]]:
    """The token numbers of each run of a block (see the module's docstring)."""
    parts, n = toks.parts, len(toks)
    run: list[int] = []
    for i in range(n):
        if run:
            gap = parts[2 * i]
            if not all(ch in RUN_GAP for ch in gap):
                yield run
                run = []
        run.append(i)
    if run:
        yield run


class TrigramScorer:
    """Scores texts with the model (one per process: it memoizes each word's near-synonyms and unigram)."""

    def __init__(self, lm: Any, lex: Any) -> None:
        self.lm, self.lex = lm, lex
        self._unigram: dict[str, int] = {}
        self._rivals: dict[str, tuple[str, ...]] = {}

    def unigram(self, word: str) -> int:
        found = self._unigram.get(word)
        if found is None:
            found = self._unigram[word] = self.lm.prob([word])
        return found

    def known(self, word: str) -> bool:
        return self.unigram(word) > UNKNOWN

    def rivals(self, word: str) -> tuple[str, ...]:
        found = self._rivals.get(word)
        if found is None:
            zipf100 = self.lex.zipf100
            floor = zipf100(word) - SYNONYM_ZIPF100_BELOW
            usable = [
                s
                for s in self.lex.close_synonyms(word)
                if s.isalpha() and s.islower() and zipf100(s) >= floor and self.known(s)
            ]
            usable.sort(key=lambda s: (-zipf100(s), s))
            found = self._rivals[word] = tuple(usable[:MAX_SYNONYMS])
        return found

    def add(self, toks: BlockTokens, counts: TrigramCounts, excesses: list[float], gains: list[float]) -> None:
        words, raws = toks.words, toks.raws
        zipf100 = self.lex.zipf100
        prob: Callable[[list[str]], int] = self.lm.prob
        bands = ZIPF_BANDS
        for run in runs(toks):
            seq = ["<s>", "<s>"] + [words[i] for i in run]
            for j, i in enumerate(run):
                w = words[i]
                if len(w) < 4 or w in FUNCTION_WORDS:
                    continue
                z = zipf100(w)
                band = next((k for k, top in enumerate(bands) if z < top), len(bands))
                counts.band_words[band] += 1
                if not self.known(w):
                    counts.band_unknown[band] += 1
                    continue
                if z < 300 or not raws[i].islower():
                    continue
                at = j + 2
                a2, a1 = seq[at - 1], seq[at - 2]
                history = [a2] if a1 == "<s>" and a2 == "<s>" else [a2, a1]
                own = prob([w, *history])
                counts.judged += 1
                excess = (self.unigram(w) - own) * BITS
                counts.excess += excess
                excesses.append(excess)
                rivals = self.rivals(w)
                if not rivals:
                    continue
                c1 = seq[at + 1] if at + 1 < len(seq) else None
                c2 = seq[at + 2] if at + 2 < len(seq) else None

                def score(x: str, first: int, history: list[str] = history, c1: Any = c1, c2: Any = c2) -> int:
                    total = first
                    if c1 is not None:
                        total += prob([c1, x, history[0]])
                        if c2 is not None:
                            total += prob([c2, c1, x])
                    return total

                base = score(w, own)
                best = max(score(s, prob([s, *history])) for s in rivals)
                gain = max(0.0, (best - base) * BITS)
                counts.gain_words += 1
                counts.gain += gain
                counts.gain_over3 += gain > 3.0
                counts.gain_over6 += gain > 6.0
                gains.append(gain)

    def score_text(self, blocks: list[str]) -> TrigramCounts:
        counts = TrigramCounts()
        excesses: list[float] = []
        gains: list[float] = []
        for text in blocks:
            if text.strip():
                self.add(BlockTokens(text), counts, excesses, gains)
        counts.excess_q90 = quantile90(excesses)
        counts.gain_q90 = quantile90(gains)
        return counts
