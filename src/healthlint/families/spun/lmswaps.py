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
of being a swap. Only :mod:`.deep` imports this, with the ``deep`` extra installed.
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

from .model import SpinModel, regression_of
from .swaps import FUNCTION_WORDS

if TYPE_CHECKING:
    from .lexicon.lookups import Lexicon
    from .lm import LanguageModel, Scores

SWAP_MODEL_FILE = "deep_swap_model.json"
#: A synonym must be at least this common (Zipf) to be offered as the original.
MIN_SYNONYM_ZIPF = 3.0
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
        best = int(np.argmin(synonym_bits))
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
        found.append(WordSwap(start, end, word, _matching_case(synonym, word), features))
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
