"""What the other families found in an article, as the inputs of the weight-of-evidence model, and the model.

Each input is read from the article's metrics and its findings, the same way at run time (``plugin.py``)
and when fitting (``scripts/train_gate_model.py``, which reads the JSON report): findings are counted per
1,000 words, so a long article is not withheld for being long. Rates count for as much as the text they are
measured on, as the page spin model's do: the word-pair rates are shrunk towards clean prose's by
``PRIOR_PAIRS`` pairs, and the findings per 1,000 words are counted over ``PRIOR_WORDS`` more words, so one
odd pair or one finding in a ten-word text is no rate. The weights, the scaling and the threshold are package
data (``data/gate_model.json``) written by the script.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from healthlint.families.spun.model import PRIOR_PAIRS, PRIOR_WORDS, shrunk_rate, spin_model
from healthlint.resources import read_data

#: Findings counted per 1,000 words, by the input they count: the families' moderate evidence (their errors
#: withhold an article already).
COUNTED: Mapping[str, str] = {
    "HL303": "appeal_to_research",
    "HL305": "overclaim",
    "HL306": "claim_suggestion",
    "HL404": "long_sentence",
    "HL701": "missing_space",
    "HL702": "page_chrome",
    "HL703": "page_chrome",
    "HL517": "spam_sentence",
    "HL104": "spin_phrase",
    "HL105": "spin_phrase",
    "HL108": "spin_phrase",
}
#: The suspected-spin finding (the page spin model's lower tier).
SUSPECTED_SPIN = "HL107"
#: The spam-sentence findings: the links family's ``spam_score`` metric (the highest score of their sentences) counts
#: only while one of them is left (a suppression comment can remove them).
SPAM_SENTENCES = ("HL517", "HL519")
#: Every code whose findings or metrics the model reads: when one of them does not run, the model is not applied.
INPUT_CODES = (*sorted(COUNTED), SUSPECTED_SPIN)
#: The model's inputs, in the order of its weights.
FEATURES = (
    "spin_logit",
    "odd_pair_rate",
    "unlisted_pair_rate",
    "suspected_spin",
    "spam_score",
    "appeal_to_research",
    "overclaim",
    "claim_suggestion",
    "long_sentence",
    "missing_space",
    "page_chrome",
    "spam_sentence",
    "spin_phrase",
    "reading_grade",
    "log_words",
)
#: The inputs that are evidence of a fault in the article: their weights are fitted >= 0, so more of a fault never
#: lowers the probability (the length and the reading grade are not faults and keep either sign).
FAULTS = tuple(name for name in FEATURES if name not in ("reading_grade", "log_words"))
#: How the message names an input that weighed for withholding, and the codes an editor looks at for it.
READING: Mapping[str, tuple[str, str]] = {
    "spin_logit": ("the spin model's probability", "HL1"),
    "odd_pair_rate": ("odd word pairs", "HL1"),
    "unlisted_pair_rate": ("word pairs rare on the web", "HL1"),
    "suspected_spin": ("suspected spin", "HL107"),
    "spam_score": ("a sentence that reads like spam", "HL517"),
    "appeal_to_research": ("appeals to uncited research", "HL303"),
    "overclaim": ("overclaiming", "HL305"),
    "claim_suggestion": ("claims worth a source", "HL306"),
    "long_sentence": ("long sentences", "HL404"),
    "missing_space": ("words missing a space", "HL701"),
    "page_chrome": ("page chrome", "HL702, HL703"),
    "spam_sentence": ("spam-like sentences", "HL517"),
    "spin_phrase": ("spinner phrases", "HL104, HL105, HL108"),
    "reading_grade": ("a high reading grade", "HL401"),
    "log_words": ("the article's length", ""),
}
#: Probabilities are clipped before their log-odds are taken.
_EDGE = 1e-4


def features(
    metrics: Mapping[str, Any], findings: Iterable[str], inputs: Mapping[str, float] | None = None
) -> list[float]:
    """The model's inputs from an article's metrics and the codes of its findings.

    ``inputs`` replaces fitted inputs by other values when fitting (the script's out-of-fold ``spin_probability``,
    ``spam_score`` and ``spam_units``).
    """
    inputs = inputs or {}
    words = max(int(metrics.get("words") or 0), 1)
    # a finding counts over the article's words and PRIOR_WORDS more of clean prose, which has next to none
    per_1000 = 1000.0 / (words + PRIOR_WORDS)
    spun = metrics.get("spun") or {}
    values = dict.fromkeys(FEATURES, 0.0)
    # with ``deep = true`` the page model's own probability, which the weights were fitted on
    page = spun.get("page_spin_probability", spun.get("spin_probability"))
    p = min(max(float(inputs.get("spin_probability", page or 0.0)), _EDGE), 1 - _EDGE)
    values["spin_logit"] = math.log(p / (1 - p))
    pairs = float(spun.get("word_pairs") or 0)
    priors = spin_model().priors

    def shrunk(rate: str, prior: str) -> float:
        """A share of the article's word pairs, shrunk towards clean prose's by PRIOR_PAIRS pairs (as the page
        spin model's signals are)."""
        return shrunk_rate(float(spun.get(rate) or 0.0) * pairs, pairs, priors[prior], PRIOR_PAIRS)

    values["odd_pair_rate"] = shrunk("odd_pair_rate", "odd_rate")
    values["unlisted_pair_rate"] = shrunk("unlisted_pair_rate", "unlisted_rate")
    spam_left = False
    for code in findings:
        if code in COUNTED:
            values[COUNTED[code]] += per_1000
        if code == SUSPECTED_SPIN:
            values["suspected_spin"] = 1.0
        spam_left = spam_left or code in SPAM_SENTENCES
    if spam_left:
        values["spam_score"] = float(metrics.get("spam_score") or 0.0)
    if "page_suspected" in spun:
        # with ``deep = true`` HL107 is the stacked model's; the weights were fitted on the page model's tier
        values["suspected_spin"] = float(bool(spun["page_suspected"]))
    if "spin_probability" in inputs:
        values["suspected_spin"] = float(inputs["spin_probability"] >= float(inputs.get("suspect", 1.0)))
    if "spam_score" in inputs:
        values["spam_score"] = float(inputs["spam_score"])
        values["spam_sentence"] = float(inputs["spam_units"]) * per_1000
    values["reading_grade"] = float((metrics.get("readability") or {}).get("grade") or 0.0)
    values["log_words"] = math.log(words)
    return [values[name] for name in FEATURES]


@dataclass(frozen=True)
class Model:
    """A logistic regression on standardised inputs, and the probability from which it withholds."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    def pushes(self, x: list[float]) -> list[tuple[float, str]]:
        """Each input's contribution to the log-odds, largest first."""
        terms = zip(self.weights, x, self.mean, self.scale, FEATURES, strict=True)
        return sorted(((w * (v - m) / s, name) for w, v, m, s, name in terms), reverse=True)

    def signs(self, x: list[float]) -> list[str]:
        """The inputs that weigh for withholding because the article has more of them than usual, largest first
        (an input with a negative weight that pushes up by being low is no sign an editor can act on)."""
        weight = dict(zip(FEATURES, self.weights, strict=True))
        return [name for push, name in self.pushes(x) if push > 0 and weight[name] > 0]

    def probability(self, x: list[float]) -> float:
        z = self.bias + sum(push for push, _ in self.pushes(x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.cache
def shipped_model() -> Model:
    data = json.loads(read_data("gate_model.json", __package__))
    if tuple(data["features"]) != FEATURES:
        raise ValueError("data/gate_model.json was fitted on other inputs: run scripts/train_gate_model.py --write")

    def floats(key: str) -> tuple[float, ...]:
        return tuple(float(v) for v in data[key])

    return Model(floats("mean"), floats("scale"), floats("weights"), float(data["bias"]), float(data["threshold"]))
