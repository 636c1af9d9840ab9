"""The learned spin model: page signals of an analysis combined into the probability that the text is spun.

The signals (:func:`page_signals`) need no phrase list (the listed phrases are the rules'
evidence, not the model's); counts are turned into -log10 chances under clean prose of the same
length (as in the list-free score), so short texts need more evidence per word. The weights are
a logistic regression fitted by ``scripts/train_spun_model.py`` on clean health prose, the same
prose run through a simulated thesaurus spinner, and the labelled real pages of the development set; the file
``data/spun_model.json`` holds them with the two thresholds (suspected spun, HL107; spun, HL101)
and the out-of-fold figures they were chosen with.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from healthlint.resources import read_data

from .result import poisson_surprise

if TYPE_CHECKING:
    from .result import Analysis

#: The file of weights in ``data/``.
MODEL_FILE = "spun_model.json"
#: Odd-pair share of clean prose, and how much more it varies than a binomial (see result.py).
CLEAN_ODD_RATE = 0.117
CLEAN_ODD_DISPERSION = 1.93

#: The signals, in the order of the weights.
SIGNALS = (
    "odd_rate",
    "odd_z",
    "unlisted_rate",
    "displaced_surprise",
    "mean_log_ratio",
    "swap_surprise",
    "garbled_surprise",
    "nonwords_per_100",
)
#: Distinct displaced words (see :mod:`.wordchoice`) per judged content word in clean prose (the even half of
#: the clean corpora: 289 of 56,497).
CLEAN_DISPLACED_RATE = 0.005


def page_signals(a: Analysis) -> list[float]:
    """The model's inputs. Rates are shrunk towards clean prose's on short texts (a prior of a few
    pairs or words), so that a 90-word text needs more evidence than a 900-word one. Length itself
    is not a signal: the spun pages of the development set are shorter than its clean ones, which
    says nothing about spinning."""
    words = a.words
    per_100 = 100.0 / (words + 100)
    n = a.pairs
    odd_z = (a.odd_pairs - n * CLEAN_ODD_RATE) / math.sqrt(
        CLEAN_ODD_DISPERSION * max(n, 1) * CLEAN_ODD_RATE * (1 - CLEAN_ODD_RATE)
    )
    choice = a.choice
    return [
        (a.odd_pairs + 20 * CLEAN_ODD_RATE) / (n + 20),
        max(min(odd_z, 6.0), -6.0),
        (a.unlisted_pairs + 4.0) / (n + 20),
        poisson_surprise(choice.displaced, CLEAN_DISPLACED_RATE * choice.judged),
        choice.total_log_ratio / (choice.judged + 20),
        a.swap_surprise,
        a.garbled_surprise,
        math.log1p(len({e.key for e in a.nonwords}) * per_100),
    ]


@dataclass(frozen=True)
class SpinModel:
    """A logistic regression over standardized signals, with its thresholds."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    #: Probability from which a text is suspected spun (HL107, warning) ...
    suspect: float
    #: ... and judged spun (HL101, error).
    verdict: float
    min_words: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpinModel:
        if list(data["signals"]) != list(SIGNALS):
            raise ValueError(f"{MODEL_FILE} was trained on other signals: rebuild it (scripts/train_spun_model.py)")
        return cls(
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
            suspect=float(data["suspect"]),
            verdict=float(data["verdict"]),
            min_words=int(data["min_words"]),
        )

    def probability(self, signals: list[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, signals, self.mean, self.scale, strict=True)
        )
        # Clipped so that a probability is never 1: a threshold of 1 switches a tier off.
        return 1.0 / (1.0 + math.exp(-max(min(z, 25.0), -25.0)))


@functools.cache
def spin_model() -> SpinModel:
    """The shipped model (read once per process)."""
    return SpinModel.from_json(json.loads(read_data(MODEL_FILE, __package__)))
