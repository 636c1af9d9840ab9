"""Spam in text whose links are gone: a measured classifier of sentences and short blocks.

Every sentence of every block that carries a cue is a *unit* (:mod:`spamfeatures` says which, and
measures it: how it reads, how it sits on the page, how it fits the article). A logistic model turns
its features into a probability; the weights, the feature scaling and the threshold are package data
(``data/spam_blocks.json``), fitted by ``scripts/train_spam_blocks.py`` on the labelled development
pages and cross-validated with the pages of one host or network on the same side of every split.
"""

from __future__ import annotations

import functools
import json
import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass

from healthlint import Hit, RuleContext
from healthlint.article import Article
from healthlint.families.links.checks import PLUGIN, analysis_of
from healthlint.families.links.spamfeatures import CUE_NAMES, FEATURES, Unit, units
from healthlint.resources import read_data
from healthlint.rules import rules_in
from healthlint.text.domains import DomainSet

#: Spam is confirmed (HL519, an error) on an article with this many units at the threshold in its body: two sentences
#: that read like junk independently of each other; or with one selling unit whose score reaches the model's fitted
#: one-unit tier (:attr:`Model.tier`; bench/README.md, scripts/train_spam_blocks.py); or with one unit that puts other
#: pages' headlines into its body as a teaser (:attr:`Unit.teaser`: "READ MORE: <headline>", a list of related posts).
CONFIRM_UNITS = 2
#: A unit sells when it holds selling words or sales superlatives: only such a unit confirms spam alone. A teaser
#: that points elsewhere without selling ("Read more from <a news service>!") reads as junk as confidently, and
#: careful publishers carry it.
SELLING = tuple(FEATURES.index(name) for name in ("offer_words", "hype_words"))
#: The body ends here (the share of the article's blocks before a unit): what follows is where publishers put their
#: own back matter (about the company, contacts, legal statements, related links), which reads like junk to the
#: model but is no injection; a spun spam footer there is HL510's.
BODY_END = 0.8
_POSITION = FEATURES.index("position")


def sells(features: list[float]) -> bool:
    return any(features[i] > 0 for i in SELLING)


def _in_body(unit: Unit) -> bool:
    return unit.features[_POSITION] < BODY_END


def _sure_pitch(unit: Unit, probability: float, tier: float) -> bool:
    """A unit of the body that confirms spam on its own: it :func:`sells` and reaches the one-unit ``tier``."""
    return probability >= tier and _in_body(unit) and sells(unit.features)


def _body_teaser(unit: Unit) -> bool:
    """A unit of the body that confirms spam on its own: a teaser of other pages' headlines (:attr:`Unit.teaser`)."""
    return unit.teaser and _in_body(unit)


def confirmed(found: list[tuple[Unit, float]], tier: float) -> bool:
    """Whether the spam units of an article confirm an injection: :data:`CONFIRM_UNITS` of them in its body, or one
    there that :func:`sells` with a probability at or above ``tier``, or one there that is a teaser of other pages'
    headlines."""
    return (
        sum(_in_body(unit) for unit, _ in found) >= CONFIRM_UNITS
        or any(_sure_pitch(*f, tier) for f in found)
        or any(_body_teaser(unit) for unit, _ in found)
    )


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    #: A unit at or above this probability is reported (HL517, warning level).
    threshold: float
    #: A selling unit of the body at or above this probability confirms spam alone (HL519; infinite: none does).
    tier: float = math.inf

    @functools.cached_property
    def _raw(self) -> tuple[float, tuple[float, ...]]:
        """Bias and weights on unscaled features: one product per feature when scoring."""
        weights = tuple(w / s for w, s in zip(self.weights, self.scale, strict=True))
        return self.bias - sum(w * m for w, m in zip(weights, self.mean, strict=True)), weights

    def probability(self, features: list[float]) -> float:
        bias, weights = self._raw
        z = bias + sum(map(operator.mul, weights, features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def cues(self, features: list[float], top: int = 2) -> list[str]:
        """The features that raise this unit's score most, by name (for the message)."""
        pushes = sorted(
            (w * (x - m) / s, name)
            for w, x, m, s, name in zip(self.weights, features, self.mean, self.scale, FEATURES, strict=True)
        )
        return [CUE_NAMES[name] for push, name in reversed(pushes[-top:]) if push > 0]

    def as_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "mean": [round(m, 6) for m in self.mean],
            "scale": [round(s, 6) for s in self.scale],
            "threshold": round(self.threshold, 6),
            "tier": round(self.tier, 6) if math.isfinite(self.tier) else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Model:
        if list(data["features"]) != list(FEATURES):  # type: ignore[call-overload]
            raise ValueError("spam_blocks.json was fitted on other features: run scripts/train_spam_blocks.py")

        def floats(key: str) -> tuple[float, ...]:
            return tuple(float(v) for v in data[key])  # type: ignore[attr-defined]

        tier = data.get("tier")
        return cls(
            floats("weights"),
            float(data["bias"]),  # type: ignore[arg-type]
            floats("mean"),
            floats("scale"),
            float(data["threshold"]),  # type: ignore[arg-type]
            math.inf if tier is None else float(tier),  # type: ignore[arg-type]
        )


@functools.cache
def shipped_model() -> Model:
    return Model.from_json(json.loads(read_data("spam_blocks.json", __package__)))


@functools.cache
def _codes() -> dict[str, str]:
    """The code of each link rule by its name (the analysis files its hits by name)."""
    return {rule.name: rule.code for rule in rules_in("healthlint.families.links")}


def scored(
    article: Article, model: Model | None = None, trusted: DomainSet | None = None, site: tuple[str, ...] = ()
) -> list[tuple[Unit, float]]:
    """Each unit of ``article`` with the model's spam probability (``trusted`` and ``site`` as :func:`units` takes)."""
    model = model or shipped_model()
    return [(unit, model.probability(unit.features)) for unit in units(article, trusted, site)]


def spam_units(article: Article, ctx: RuleContext) -> list[tuple[Unit, float]]:
    """The units at or above the shipped threshold that no other rule reports: computed once for HL517 and HL519.
    The JSON metric ``spam_score`` is the highest of their scores (0 when there is none)."""
    found = ctx.shared("links.spam_units", lambda: _spam_units(article, ctx))
    ctx.metrics["spam_score"] = round(max((p for _, p in found), default=0.0), 4)
    return found


def _spam_units(article: Article, ctx: RuleContext) -> list[tuple[Unit, float]]:
    # Junk another link rule reports (a teaser block, a spun footer) is reported once; a rule that does not run
    # (HL516 is opt-in) reports nothing. Page chrome (HL702, HL703) is not spam whether or not its rules run.
    analysis = analysis_of(article, ctx)
    codes = _codes()
    taken = {
        line
        for name, hits in analysis.hits.items()
        if ctx.is_selected(codes.get(name, name))
        for hit in hits
        for line in range(hit.line, (hit.end_line or hit.line) + 1)
    }
    taken |= analysis.chrome_lines
    model = shipped_model()
    site = tuple(ctx.options(PLUGIN).site_domains)
    found = []
    for unit, probability in scored(article, model, ctx.config.trusted(), site):
        span = unit.block.span(unit.start, unit.end)
        if probability >= model.threshold and taken.isdisjoint(range(span.line, span.end_line + 1)):
            found.append((unit, probability))
    return found


def _hits(units_found: list[tuple[Unit, float]], confirmed: bool) -> Iterator[Hit]:
    model = shipped_model()
    by_two = sum(_in_body(unit) for unit, _ in units_found) >= CONFIRM_UNITS
    for unit, probability in units_found:
        cues = model.cues(unit.features)
        why = f" ({', '.join(cues)})" if cues else ""
        also = ""
        if confirmed and by_two:
            also = f", one of {len(units_found)} such sentences in this article"
        elif confirmed and _sure_pitch(unit, probability, model.tier):
            also = f", a sales pitch sure enough to confirm spam on its own (from {model.tier:.2f})"
        elif confirmed and _body_teaser(unit):
            also = ", a teaser that puts other pages' headlines into the article's body"
        elif confirmed:
            also = ", in an article that another sentence confirms as spam"
        yield unit.block.hit(
            unit.start,
            unit.end,
            f"Reads like spam or page junk left behind by a stripped link{why}{also}: "
            f"spam score {probability:.2f}, reported from {model.threshold:.2f}",
        )


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    """HL517: each unit whose spam probability reaches the shipped threshold, unless HL519 confirms the page's."""
    found = spam_units(article, ctx)
    if ctx.is_selected("HL519") and confirmed(found, shipped_model().tier):
        return
    yield from _hits(found, confirmed=False)


def check_confirmed(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    """HL519: every spam unit of an article whose body holds at least :data:`CONFIRM_UNITS` of them, one sure sales
    pitch or one teaser of other pages' headlines (:func:`confirmed`)."""
    found = spam_units(article, ctx)
    if confirmed(found, shipped_model().tier):
        yield from _hits(found, confirmed=True)
