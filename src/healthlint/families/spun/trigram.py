"""The *synonym gain* of a text's words, read from a trigram language model: a signal of the page model.

A word-for-word spinner puts a near-synonym where the writer's word stood ("blood strain" for "blood pressure",
"commence to lower" for "start to lower"). A language model reads the spun word as a surprise where it stands *and*
one of its near-synonyms as the likely word there. The model is CMU's generic US-English 3-gram model with backoff
that the ``pocketsphinx`` wheel ships (``pocketsphinx/model/en-us/en-us.lm.bin``, Carnegie Mellon University,
BSD-style licence; 27 MB). It is not read with pocketsphinx: :mod:`.lmstore` rewrites the file once per machine into
a store in the data cache that opens in about a millisecond and is read lazily, to the same integers.

The model was built for speech: lowercase words, no punctuation. A block's words are read as *runs*: a run breaks
where anything but white space, a comma, a hyphen or a quote stands between two words (a full stop, a bracket, a
line break, a number) and starts with ``<s>``. A word is judged when it is written in lowercase, has four letters or
more, is not a function word, has Zipf 3 or more in the word index and is known to the model. For the word ``b`` at
``a1 a2 _ c1 c2`` (the run's words; fewer at its ends)::

    score(x) = log P(x | a1 a2) + log P(c1 | a2 x) + log P(c2 | x c1)
    gain(b)  = max(0, max over s of score(s) - score(b))          (bits)

over its near-synonyms ``s`` (:meth:`Lexicon.close_synonyms`: the :data:`MAX_SYNONYMS` commonest single lowercase
words the model knows, at most :data:`SYNONYM_ZIPF100_BELOW` Zipf x 100 rarer than ``b``: a spinner's replacement
is rarer than the writer's word). The page model reads the 90th percentile of a text's gains (:func:`quantile90`:
the few words that gain most, where a spinner has been), shrunk towards clean prose's like the other signals.

The page model was fitted with this signal, and without it finds next to nothing (its weight is the largest), so the
model is required: a missing package or file stops the run at configuration (:func:`missing`, a clear error naming
the file), and a file that cannot be read makes the analysis raise :class:`TrigramModelError` (HL002 names it).
"""

from __future__ import annotations

import math
import os
import threading
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lexicon.lookups import Lexicon
    from .lmstore import TrigramStore
    from .tokens import BlockTokens

#: Bits of one LogMath unit of the model's log probabilities (base 1.0001).
BITS = math.log2(1.0001)
#: A log probability at or below this: the word is not in the model's vocabulary (the model says about -2^29).
UNKNOWN = -(1 << 28)
MAX_SYNONYMS = 8
SYNONYM_ZIPF100_BELOW = 50
#: Judged words: Zipf x 100 at least this, four letters or more.
MIN_ZIPF100 = 300
MIN_LENGTH = 4
#: Characters that may stand between two words of one run (besides white space on one line).
RUN_GAP = frozenset(" \t,-'\"’“”")
#: Gains remembered per (a1, a2, b, c1, c2) before the memo starts over.
MEMO_LIMIT = 200_000
#: The model file inside the pocketsphinx package.
MODEL_PARTS = ("model", "en-us", "en-us.lm.bin")
#: Set to a path to read another model file of this format (tests; measurements).
MODEL_OVERRIDE: str | None = None


class TrigramModelError(RuntimeError):
    """The trigram model cannot be read (the message says which file and why)."""


def model_path() -> str | None:
    """The model file's path (None when ``pocketsphinx`` is not installed)."""
    if MODEL_OVERRIDE is not None:
        return MODEL_OVERRIDE
    import importlib.util

    spec = importlib.util.find_spec("pocketsphinx")
    if spec is None or spec.origin is None:
        return None
    return os.path.join(os.path.dirname(spec.origin), *MODEL_PARTS)


_opening = threading.Lock()
_opened: list[TrigramStore | str] = []  # the model or why it cannot be read, once known


def language_model() -> TrigramStore | str:
    """The model, opened once per process, or why it cannot be (a message)."""
    with _opening:
        if not _opened:
            _opened.append(_open())
        return _opened[0]


def forget() -> None:
    """Open the model again on the next call (tests and measurements that change :data:`MODEL_OVERRIDE`)."""
    with _opening:
        _opened.clear()


def _reset_in_child() -> None:
    # A fork taken while another thread held the lock (a threaded host) must not leave the child a lock no one frees.
    global _opening
    _opening = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_reset_in_child)


def missing() -> str | None:
    """Why the model cannot be read, as far as a cheap look tells (no package, no file); None when it is there."""
    path = model_path()
    if path is None:
        return "the spun page model's trigram signal needs pocketsphinx, which is not installed"
    if not os.path.isfile(path):
        return f"the spun page model's trigram signal has no model file at {path}"
    return None


def _open() -> TrigramStore | str:
    reason = missing()
    if reason is not None:
        return reason
    path = model_path()
    assert path is not None  # missing() said so
    from .lmstore import StoreError, load_or_build

    try:
        return load_or_build(path)
    except (OSError, StoreError) as exc:
        return f"the spun page model's trigram signal could not read {path} ({exc})"


def unavailable() -> str | None:
    """Why the model cannot be used here (None when it is read; reads it if need be)."""
    found = language_model()
    return found if isinstance(found, str) else None


def quantile90(values: list[float]) -> float:
    """The 90th percentile of the gains (the value at rank ``int(0.9 n)`` of the sorted values; 0 for none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def runs(toks: BlockTokens) -> list[list[int]]:
    """The token numbers of each run of a block (see the module's docstring)."""
    parts = toks.parts
    out: list[list[int]] = []
    run: list[int] = []
    for i in range(len(toks.raws)):
        if run:
            gap = parts[2 * i]
            if gap != " " and not all(ch in RUN_GAP for ch in gap):
                out.append(run)
                run = []
        run.append(i)
    if run:
        out.append(run)
    return out


#: The words around a pair as the model reads them: two before it and two after (``"<s>"`` where its run starts,
#: ``""`` past its end).
Context = tuple[str, str, str, str]


def context(toks: BlockTokens, runs_of_block: list[list[int]], second: int) -> Context:
    """The :data:`Context` of the pair of tokens ``second - 1`` and ``second`` (one run holds both)."""
    words = toks.words
    for run in runs_of_block:
        if run[0] <= second <= run[-1]:
            seq = ["<s>", "<s>", *(words[i] for i in run), "", ""]
            at = second - run[0] + 2  # the second word's place in seq
            return seq[max(at - 3, 0)], seq[at - 2], seq[at + 1], seq[at + 2]
    return "<s>", "<s>", "", ""


def pair_score(lm: TrigramStore, around: Context, first: str, second: str) -> int:
    """log P of a pair in its context (LogMath units): the pair's two words and the two after it, each given the
    two words before it (fewer at the run's start; nothing after its end)."""
    a1, a2, c1, c2 = around
    prob = lm.prob
    total = int(prob([first, a2, a1] if a2 != "<s>" or a1 != "<s>" else [first, a2]))
    total += int(prob([second, first, a2]))
    if c1:
        total += int(prob([c1, second, first]))
        if c2:
            total += int(prob([c2, c1, second]))
    return total


def likeliest_pair(candidates: list[str], around: Context) -> str | None:
    """Of candidate pairs (``"first second"``, in the caller's order of preference), the one the model finds likeliest
    in ``around``; the first candidate without the model."""
    if not candidates:
        return None
    lm = language_model()
    if isinstance(lm, str) or len(candidates) == 1:
        return candidates[0]
    best: int | None = None
    found = candidates[0]
    for pair in candidates:
        first, second = pair.split(" ", 1)
        # an unknown word around the pair lowers every candidate alike: the comparison still holds
        try:
            score = pair_score(lm, around, first, second)
        except DAMAGE as exc:
            raise damaged(lm, exc) from None
        if best is None or score > best:
            best, found = score, pair
    return found


#: What reading a store whose arrays were damaged after it was opened raises (a number out of range).
DAMAGE = (IndexError, ValueError, OverflowError)


def damaged(lm: TrigramStore, exc: Exception) -> TrigramModelError:
    """The error of a store found damaged while it is read (HL002 names the file). A file whose checksum no longer
    matches is deleted, so that the next run builds it again."""
    where = lm.path or "(in memory)"
    if lm.path is not None and not lm.verify():
        try:
            lm.path.unlink(missing_ok=True)
        except OSError:
            return TrigramModelError(
                f"the spun page model's trigram store {where} is damaged ({exc}); delete it (`healthlint cache clear`)"
            )
        return TrigramModelError(
            f"the spun page model's trigram store {where} was damaged ({exc}); it is deleted and the next run builds "
            "it again"
        )
    return TrigramModelError(f"the spun page model's trigram store {where} cannot be read ({exc})")


class SynonymGain:
    """The synonym gain of a text's words (one per analyzer: it memoizes per word and per context)."""

    def __init__(self, lex: Lexicon) -> None:
        # Imported here: the plugin's configure step imports this module for :func:`missing` alone.
        from .swaps import FUNCTION_WORDS

        self.lex = lex
        self.function_words = FUNCTION_WORDS
        self._lm: TrigramStore | None = None  # the model once read
        self._unigram: dict[str, int] = {}
        self._rivals: dict[str, tuple[str, ...]] = {}
        self._rival_ids: dict[str, tuple[int, ...]] = {}  # the rivals' numbers in the model
        self._memo: dict[tuple[str, str, str, str, str], float] = {}

    def model(self) -> TrigramStore:
        """The language model (read on the first call).

        :raises TrigramModelError: when it cannot be read.
        """
        if self._lm is None:
            found = language_model()
            if isinstance(found, str):
                raise TrigramModelError(found)
            self._lm = found
        return self._lm

    def _known(self, word: str) -> bool:
        found = self._unigram.get(word)
        if found is None:
            if len(self._unigram) >= MEMO_LIMIT:
                self._unigram.clear()
            found = self._unigram[word] = self.model().prob([word])
        return found > UNKNOWN

    def rivals(self, word: str) -> tuple[str, ...]:
        """The near-synonyms a word is compared with (see the module's docstring); none for a word not judged."""
        found = self._rivals.get(word)
        if found is None:
            self.model()
            found = ()
            zipf100 = self.lex.zipf100
            own = zipf100(word)
            if len(word) >= MIN_LENGTH and word not in self.function_words and own >= MIN_ZIPF100 and self._known(word):
                floor = own - SYNONYM_ZIPF100_BELOW
                ranked = sorted(
                    (-z, s)
                    for s in self.lex.close_synonyms(word)
                    if (z := zipf100(s)) >= floor and s.isalpha() and s.islower()
                )
                # The model is asked in that order, until MAX_SYNONYMS are known: the same words as asking it about
                # every one and keeping the first MAX_SYNONYMS (about half the questions; each is a hash probe into
                # the store, a page fault the first time).
                found = tuple(islice((s for _, s in ranked if self._known(s)), MAX_SYNONYMS))
            if len(self._rivals) >= MEMO_LIMIT:
                self._rivals.clear()
            self._rivals[word] = found
        return found

    def add(self, toks: BlockTokens, gains: list[float]) -> None:
        """Append the gain (bits) of each judged word of one block to ``gains``.

        :raises TrigramModelError: when the model cannot be read, or its store turns out damaged.
        """
        lm = self.model()
        try:
            self._add_runs(toks, gains)
        except DAMAGE as exc:
            raise damaged(lm, exc) from None

    def _add_runs(self, toks: BlockTokens, gains: list[float]) -> None:
        lm = self.model()
        best_of, word_id = lm.best_of, lm.word_id
        words, raws = toks.words, toks.raws
        rivals_memo, rivals_of, rival_ids, memo = self._rivals, self.rivals, self._rival_ids, self._memo
        keep = gains.append
        for run in runs(toks):
            seq = ["<s>", "<s>", *(words[i] for i in run), "", ""]
            end = len(run) + 2
            ids: list[int] | None = None
            for j, i in enumerate(run):
                w = words[i]
                # A word not judged (see the module's docstring), or with no near-synonym to compare, counts nothing.
                rivals = rivals_memo.get(w)
                if rivals is None:
                    rivals = rivals_of(w)
                if not rivals or not raws[i].islower():
                    continue
                at = j + 2
                a2, a1, c1, c2 = seq[at - 1], seq[at - 2], seq[at + 1], seq[at + 2]
                key = (a1, a2, w, c1, c2)
                gain = memo.get(key)
                if gain is None:
                    if ids is None:
                        ids = [word_id(x) for x in seq]
                    found = rival_ids.get(w)
                    if found is None:
                        if len(rival_ids) >= MEMO_LIMIT:
                            rival_ids.clear()
                        found = rival_ids[w] = tuple(word_id(x) for x in rivals)
                    # score(x) = log P(x | a1 a2) + log P(c1 | a2 x) + log P(c2 | x c1) (one word of history for the
                    # first word of a run); the store reads the terms' shared lookups once (TrigramStore.best_of).
                    right = (at + 1 < end) + (at + 2 < end)
                    base, best = best_of(
                        ids[at], found, -1 if at == 2 else ids[at - 2], ids[at - 1], ids[at + 1], ids[at + 2], right
                    )
                    gain = (best - base) * BITS
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    memo[key] = gain
                keep(gain)
