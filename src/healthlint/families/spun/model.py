"""The learned page model: the counts of one analysis combined into the probability that the text is spun.

Its signals need no phrase list (the listed phrases are the rules' evidence, not the model's,
so one listed phrase in a clean article does not tip the whole article): the share of adjacent
common-word pairs the web pair counts do not list, overall and between two content words; the
share of odd pairs (one near-synonym away from a listed pair); the share of uncommon real words
("indolence", "heftiness") and of unknown ones among the content words; the thesaurus swaps,
garbled words and non-words found; and the *demotion* of the distinct common content words: how much more common
(Zipf, up to 3) each word's commonest near-synonym is, as where a word-for-word spinner has put "individuals" for
"people"; and the *synonym gain* of the common content words read from a trigram language model (:mod:`.trigram`:
how many bits likelier a near-synonym would be where each word stands, as "pressure" where a spinner wrote "blood
strain"), its 90th percentile per text. Every rate is shrunk towards clean prose's with a prior of a
few dozen pairs or words, so that a 90-word text needs more evidence per word than a 900-word
one; length itself is not a signal.

The weights are a logistic regression fitted by ``scripts/train_spun_model.py`` on the labelled
real pages of the development set and clean health prose, with simulated thesaurus spinning as
extra training data; ``data/spun_model.json`` holds them, the priors, the two thresholds
(suspected spun, HL107; spun, HL101) and the out-of-fold figures they were chosen with.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from healthlint.resources import read_data

if TYPE_CHECKING:
    from .result import Analysis

#: The file of weights in ``data/``.
MODEL_FILE = "spun_model.json"

#: The signals, in the order of the weights.
SIGNALS = (
    "unlisted_rate",
    "content_unlisted_rate",
    "odd_rate",
    "uncommon_rate",
    "unknown_rate",
    "swap_surprise",
    "garbled_surprise",
    "nonwords_per_100",
    "demotion",
    "trigram_q90",
)

#: Prior weight of the clean-prose rates: pairs for the pair shares, words for the word shares (and the demotion).
PRIOR_PAIRS = 30.0
PRIOR_WORDS = 60.0


def page_counts(a: Analysis) -> dict[str, float]:
    """What the signals are computed from (each distinct swap or word counted once)."""
    return {
        "words": a.words,
        "pairs": a.pairs,
        "odd_pairs": a.odd_pairs,
        "unlisted_pairs": a.unlisted_pairs,
        "content_pairs": a.content_pairs,
        "content_unlisted_pairs": a.content_unlisted_pairs,
        "content_words": a.content_words,
        "uncommon_words": a.uncommon_words,
        "unknown_words": a.unknown_words,
        "graded_words": a.graded_words,
        "demotion": a.demotion,
        "trigram_words": a.trigram_words,
        "trigram_q90": a.trigram_q90,
        "swap_surprise": a.model_swap_surprise,
        "garbled_surprise": a.garbled_surprise,
        "nonwords": len({e.key for e in a.nonwords}),
    }


def shrunk_rate(hits: float, total: float, prior_rate: float, weight: float) -> float:
    """``hits`` of ``total`` as a rate, shrunk towards clean prose's ``prior_rate`` as if ``weight`` more items of
    clean prose had been counted: a rate measured on a few pairs or words counts for little."""
    return (hits + weight * prior_rate) / (total + weight)


def page_signals(c: dict[str, float], priors: dict[str, float]) -> list[float]:
    """The model's inputs from :func:`page_counts`; ``priors`` are clean prose's rates (in the model file)."""

    def shrunk(hits: float, total: float, prior: str, weight: float) -> float:
        return shrunk_rate(hits, total, priors[prior], weight)

    per_100 = 100.0 / (c["words"] + 100.0)
    return [
        shrunk(c["unlisted_pairs"], c["pairs"], "unlisted_rate", PRIOR_PAIRS),
        shrunk(c["content_unlisted_pairs"], c["content_pairs"], "content_unlisted_rate", PRIOR_PAIRS),
        shrunk(c["odd_pairs"], c["pairs"], "odd_rate", PRIOR_PAIRS),
        shrunk(c["uncommon_words"], c["content_words"], "uncommon_rate", PRIOR_WORDS),
        shrunk(c["unknown_words"], c["words"], "unknown_rate", PRIOR_WORDS),
        min(c["swap_surprise"], 10.0),
        min(c["garbled_surprise"], 10.0),
        math.log1p(c["nonwords"] * per_100),
        shrunk(c["demotion"], c["graded_words"], "demotion", PRIOR_WORDS),
        shrunk(c["trigram_q90"] * c["trigram_words"], c["trigram_words"], "trigram_q90", PRIOR_WORDS),
    ]


@dataclass(frozen=True)
class SpinModel:
    """A logistic regression over standardized signals, with its thresholds."""

    priors: dict[str, float]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    #: Probability from which a text is suspected spun (HL107, warning) ...
    suspect: float
    #: ... and judged spun (HL101, error).
    verdict: float
    #: Shorter texts are not judged.
    min_words: int

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpinModel:
        if list(data["signals"]) != list(SIGNALS):
            raise ValueError(f"{MODEL_FILE} was trained on other signals: rebuild it (scripts/train_spun_model.py)")
        return cls(
            priors={k: float(v) for k, v in data["priors"].items()},
            mean=tuple(data["mean"]),
            scale=tuple(data["scale"]),
            weights=tuple(data["weights"]),
            bias=float(data["bias"]),
            suspect=float(data["suspect"]),
            verdict=float(data["verdict"]),
            min_words=int(data["min_words"]),
        )

    def probability(self, a: Analysis, min_words: int | None = None) -> float:
        """The chance that the analysed text is spun (0 for texts not English or shorter than ``min_words``, by
        default the model's own minimum; the deeper stage reads the page model on shorter texts too)."""
        if not a.english or a.words < (self.min_words if min_words is None else min_words):
            return 0.0
        return self.probability_of(page_signals(page_counts(a), self.priors))

    def probability_of(self, signals: list[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, signals, self.mean, self.scale, strict=True)
        )
        # Clipped so that a probability is never 1: a threshold of 1 switches a tier off.
        return 1.0 / (1.0 + math.exp(-max(min(z, 25.0), -25.0)))


def regression_of(data: dict[str, Any], suspect: float = 1.0, verdict: float = 1.0) -> SpinModel:
    """A logistic regression of another model file in this form (``mean``, ``scale``, ``weights``, ``bias``)."""
    mean, scale, weights = (tuple(float(v) for v in data[key]) for key in ("mean", "scale", "weights"))
    return SpinModel({}, mean, scale, weights, float(data["bias"]), suspect, verdict, 0)


@functools.cache
def spin_model() -> SpinModel:
    """The shipped model (read once per process)."""
    return SpinModel.from_json(json.loads(read_data(MODEL_FILE, __package__)))
