"""Swapped words, found by the language model: a word far less likely in its context than one of its synonyms.

A spinner replaces a word with a thesaurus synonym, one word at a time. At the swapped word the language
model (:mod:`.lm`), reading the text before it, usually gives the original much more probability than the
word that is there: "chronic ache in the lower ..." predicts "back" far better than "again". For every
content word of the text, each one-word thesaurus synonym that the model's vocabulary holds as a single
token is scored at the word's position (an exact probability, from the final hidden state); the likeliest
one is the candidate original. The word's own surprisal covers all its tokens. The web pair counts add the
right-hand context the causal model cannot see ("again pain" is rare on the web, "back pain" common).

A small logistic regression over these features (``data/deep_swap_model.json``, fitted by
``scripts/train_deep_swaps.py`` on thesaurus substitutions over clean text) gives each word a probability
of being a swap. The flagged words become phrase findings (:func:`phrase_swaps`): adjacent swapped words
together, with the content word whose web pair with the original argues for the swap, the span rewritten as
the suggestion. Only :mod:`.deep` imports this, with the ``deep`` extra installed.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from healthlint.resources import read_data

from .lexicon.units import BIGRAM_CUTOFF
from .model import SpinModel, regression_of
from .swaps import FUNCTION_WORDS

if TYPE_CHECKING:
    from .lexicon.lookups import Lexicon
    from .lm import LanguageModel, Scores

SWAP_MODEL_FILE = "deep_swap_model.json"
#: A synonym must be at least this common (Zipf) to be offered as the original.
MIN_SYNONYM_ZIPF = 3.0
#: How many of a word's likeliest synonyms are kept as candidate originals.
CANDIDATES = 5
#: The features of a word, in the order of the swap model's weights.
FEATURES = (
    "gain",
    "word_bits",
    "synonym_bits",
    "word_zipf",
    "synonym_zipf",
    "word_tokens",
    "right_gain",
    "left_gain",
)
#: A word of letters only, not part of a contraction, hyphenated compound or longer token.
_WORD = re.compile(rb"(?<![A-Za-z'\-])[A-Za-z]+(?![A-Za-z'\-])")


@dataclass(frozen=True)
class WordSwap:
    """A content word and its likeliest one-word synonym in context, with the features of the swap model."""

    start: int  # character offsets in the scored text
    end: int
    word: str
    synonym: str
    features: dict[str, float]
    #: The likeliest one-token synonyms at the word's position, best first, with their surprisal in bits
    #: (the first is :attr:`synonym`): where the probable original is chosen once the word is flagged.
    candidates: tuple[tuple[str, float], ...] = ()


def _pair_log(lex: Lexicon, first: str, second: str) -> float:
    return math.log10(lex.bigram(first, second) + 1.0) if first and second else 0.0


def _neighbour(text: str, at: int, step: int) -> str:
    """The lowercase word right before (step -1) or after (step 1) ``text[at]``, across spaces only."""
    i = at
    while 0 <= i < len(text) and text[i] == " ":
        i += step
    j = i
    while 0 <= j < len(text) and text[j].isalpha():
        j += step
    word = text[j + 1 : i + 1] if step < 0 else text[i:j]
    return word.lower() if word.isascii() else ""


def _matching_case(synonym: str, word: str) -> str:
    return synonym.capitalize() if word[:1].isupper() else synonym


def word_swaps(text: str, scores: Scores, lm: LanguageModel, lex: Lexicon) -> list[WordSwap]:
    """Every content word of ``text`` with a one-token thesaurus synonym, and how much likelier that is there."""
    if not scores.spans:
        return []
    data = text.encode("utf-8")
    # Character offset of each byte (the model's spans are byte offsets into the UTF-8).
    char_at = np.cumsum(np.frombuffer(data + b"\0", dtype=np.uint8) & 0xC0 != 0x80) - 1
    starts = np.array([s for s, _ in scores.spans])
    ends = np.array([e for _, e in scores.spans])
    vocabulary = lm.vocabulary
    found: list[WordSwap] = []
    for m in _WORD.finditer(data, scores.spans[0][0], scores.spans[-1][1]):
        word = m.group().decode()
        lower = word.lower()
        if len(word) < 3 or lower in FUNCTION_WORDS or not (word.islower() or word.istitle()):
            continue
        # The word's tokens; the first must start at the word (a leading space belongs to it).
        first = int(np.searchsorted(ends, m.start(), side="right"))
        last = int(np.searchsorted(starts, m.end(), side="left"))
        if first >= len(starts) or first >= last or starts[first] > m.start():
            continue
        if data[starts[first] : m.start()] not in (b"", b" "):
            continue
        word_zipf = lex.zipf(lower)
        if word_zipf <= 0:
            continue
        prefix = " " if starts[first] < m.start() else ""
        candidates = [
            (s, token)
            for s in lex.synonyms(lower)
            if s.isalpha()
            and lex.zipf(s) >= MIN_SYNONYM_ZIPF
            and (token := vocabulary.get(prefix + _matching_case(s, word))) is not None
        ]
        if not candidates:
            continue
        synonym_bits = lm.bits_of(scores, first, [t for _, t in candidates])
        ranked = np.argsort(synonym_bits, kind="stable")[:CANDIDATES]
        best = int(ranked[0])
        synonym = candidates[best][0]
        word_bits = float(scores.bits[first:last].sum())
        start, end = int(char_at[m.start()]), int(char_at[m.end()])
        text_start = int(char_at[starts[first]]) if prefix else start
        after, before = _neighbour(text, end, 1), _neighbour(text, text_start - 1, -1)
        features = {
            "gain": word_bits - float(synonym_bits[best]),
            "word_bits": word_bits,
            "synonym_bits": float(synonym_bits[best]),
            "word_zipf": word_zipf,
            "synonym_zipf": lex.zipf(synonym),
            "word_tokens": float(last - first),
            "right_gain": _pair_log(lex, synonym, after) - _pair_log(lex, lower, after),
            "left_gain": _pair_log(lex, before, synonym) - _pair_log(lex, before, lower),
        }
        kept = tuple((_matching_case(candidates[i][0], word), float(synonym_bits[i])) for i in ranked)
        found.append(WordSwap(start, end, word, _matching_case(synonym, word), features, kept))
    return found


#: Extents of a phrase finding (see :func:`phrase_swaps`): the swapped run alone, or with the neighbouring
#: content word whose web pair with the original argues for the swap.
EXTENTS = ("run", "pair")
#: A rewrite whose score is within this many bits of the best (half as likely, or likelier) is offered beside it.
CLOSE_BITS = 1.0
#: At most this many rewrites are offered beside the suggestion.
ALTERNATIVES = 2
#: A pair missing from the web pair counts was seen less often than their cut-off: count it as half of it.
_UNSEEN_PAIR = 0.5
#: Characters that join letters into one longer token (a contraction, a hyphenated compound).
_JOINERS = "'-\u2019"


@dataclass(frozen=True)
class PhraseSwap:
    """A run of adjacent swapped words (and, by its extent, the word it was judged against), with the run
    rewritten: every swapped word replaced by its probable original, the other words kept, so that the
    suggestion replaces exactly ``text[start:end]``."""

    start: int  # character offsets in the scored text
    end: int
    text: str
    suggestion: str
    #: The swapped words and their originals, in order.
    words: tuple[WordSwap, ...]
    originals: tuple[str, ...]
    #: Other rewrites of the span nearly as likely (within :data:`CLOSE_BITS`), best first.
    alternatives: tuple[str, ...]
    probability: float

    @property
    def detail(self) -> str:
        """Why, in words: how much likelier the language model finds each original than the word there."""
        parts = []
        for word, original in zip(self.words, self.originals, strict=True):
            bits = dict(word.candidates).get(original, word.features["synonym_bits"])
            ratio = 2.0 ** (word.features["word_bits"] - bits)
            # An original chosen for its fit with the next word may be no likelier from the left alone.
            parts.append(
                f"{original!r} {ratio:,.0f} times likelier than {word.word!r}"
                if ratio >= 1.5
                else f"{original!r} for {word.word!r}, which the web pairs prefer before the next word"
            )
        detail = "the language model finds " + " and ".join(parts) + " here"
        if self.alternatives:
            detail += "; or " + " or ".join(repr(a) for a in self.alternatives)
        return detail


def right_bits(lex: Lexicon, word: str, after: str) -> float:
    """Surprisal of the word on the right given ``word``, in bits, from the web counts (0 without one): the
    right-hand context the causal model cannot see, on the scale of its own surprisal."""
    if not after:
        return 0.0
    count = lex.count(word.lower())
    if count <= 0:
        return 0.0
    pair = max(float(lex.bigram(word.lower(), after)), _UNSEEN_PAIR * BIGRAM_CUTOFF)
    return -math.log2(min(pair / count, 1.0))


def _content_word(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.lower() not in FUNCTION_WORDS


def _spaces_only(gap: str) -> bool:
    return bool(gap) and not gap.strip(" ")


def _neighbour_span(text: str, at: int, step: int) -> tuple[int, int] | None:
    """The span of the whole word of letters after (step 1) or before (step -1) offset ``at`` across one or more
    spaces (None when there is none: punctuation, a line break or a hyphen in between)."""
    if step > 0:
        i = at
        while i < len(text) and text[i] == " ":
            i += 1
        j = i
        while j < len(text) and text[j].isalpha():
            j += 1
        whole = j == len(text) or not (text[j].isalnum() or text[j] in _JOINERS)
        return (i, j) if at < i < j and whole else None
    i = at
    while i > 0 and text[i - 1] == " ":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    whole = j == 0 or not (text[j - 1].isalnum() or text[j - 1] in _JOINERS)
    return (j, i) if j < i < at and whole else None


def _scored(run: list[WordSwap], after: str, lex: Lexicon, *, right_context: bool) -> list[list[tuple[float, str]]]:
    """Each swapped word's candidate originals with a score in bits (the model's surprisal, plus with
    ``right_context`` that of the next word given the candidate, from the web counts), best first. Right to left,
    so that a swapped word's right context is its swapped neighbour's best original."""
    scored: list[list[tuple[float, str]]] = []
    for swap in reversed(run):
        candidates = swap.candidates or ((swap.synonym, swap.features["synonym_bits"]),)
        ranked = sorted(
            ((bits + (right_bits(lex, c, after) if right_context else 0.0), c) for c, bits in candidates),
            key=lambda scored_candidate: scored_candidate[0],
        )
        scored.append(ranked)
        after = ranked[0][1].lower()
    return scored[::-1]


def _rewrite(text: str, start: int, end: int, words: list[WordSwap], originals: list[str]) -> str:
    out, at = [], start
    for word, original in zip(words, originals, strict=True):
        out += [text[at : word.start], original]
        at = word.end
    return "".join([*out, text[at:end]])


def phrase_swaps(
    text: str,
    flagged: list[tuple[WordSwap, float]],
    lex: Lexicon,
    *,
    extent: str = "pair",
    right_context: bool = True,
) -> list[PhraseSwap]:
    """The flagged words of ``text`` (with their probability) as phrase findings.

    Words separated by spaces alone form one run. With ``extent = "pair"`` the run takes in the content word
    next to it, on either side, when the web pair of that word with the run's original is more common than with
    the word there: the swap was judged from that pair ("again ache" is one mistake for "back ache").
    """
    if extent not in EXTENTS:
        raise ValueError(f"extent {extent!r}: expected one of {', '.join(EXTENTS)}")
    runs: list[list[tuple[WordSwap, float]]] = []
    for swap, p in sorted(flagged, key=lambda f: f[0].start):
        if runs and _spaces_only(text[runs[-1][-1][0].end : swap.start]):
            runs[-1].append((swap, p))
        else:
            runs.append([(swap, p)])
    found: list[PhraseSwap] = []
    for run in runs:
        words = [w for w, _ in run]
        right = _neighbour_span(text, words[-1].end, 1)
        after = text[right[0] : right[1]].lower() if right else ""
        scored = _scored(words, after if after.isascii() else "", lex, right_context=right_context)
        originals = [ranked[0][1] for ranked in scored]
        start, end = words[0].start, words[-1].end
        if extent == "pair":
            left = _neighbour_span(text, start, -1)
            before = text[left[0] : left[1]].lower() if left else ""
            if (
                left
                and _content_word(before)
                and not (found and found[-1].end > left[0])
                and _pair_log(lex, before, originals[0].lower()) > _pair_log(lex, before, words[0].word.lower())
            ):
                start = left[0]
            if (
                right
                and _content_word(after)
                and _pair_log(lex, originals[-1].lower(), after) > _pair_log(lex, words[-1].word.lower(), after)
            ):
                end = right[1]
        # Another rewrite is offered when one word's next candidate is nearly as likely as its best.
        close = sorted(
            (ranked[1][0] - ranked[0][0], i, ranked[1][1])
            for i, ranked in enumerate(scored)
            if len(ranked) > 1 and ranked[1][0] - ranked[0][0] <= CLOSE_BITS
        )[:ALTERNATIVES]
        alternatives = tuple(
            _rewrite(text, start, end, words, [c if n == i else o for n, o in enumerate(originals)])
            for _, i, c in close
        )
        found.append(
            PhraseSwap(
                start,
                end,
                text[start:end],
                _rewrite(text, start, end, words, originals),
                tuple(words),
                tuple(originals),
                alternatives,
                max(p for _, p in run),
            )
        )
    return found


@dataclass(frozen=True)
class SwapModel:
    """A logistic regression over :data:`FEATURES` (the page model's form), and the probability from which a word
    is reported on any page (``report``) and on a page the stage judges or suspects spun (``report_spun``)."""

    regression: SpinModel
    report: float
    report_spun: float

    def probability(self, features: dict[str, float]) -> float:
        return self.regression.probability_of([features[name] for name in FEATURES])


@functools.cache
def swap_model() -> SwapModel:
    data = json.loads(read_data(SWAP_MODEL_FILE, __package__))
    if list(data["features"]) != list(FEATURES):
        raise ValueError(f"{SWAP_MODEL_FILE} was fitted on other features: rebuild it (scripts/train_deep_swaps.py)")
    return SwapModel(regression_of(data), float(data["report"]), float(data["report_spun"]))
