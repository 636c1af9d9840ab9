"""The one analysis per article that the HL1 rules share, and the process-wide analyzer behind it.

Importing this module is cheap: the analysis and its word index load when a rule first runs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from .options import PLUGIN
from .result import Evidence
from .settings import settings_for

if TYPE_CHECKING:
    from healthlint import Fix, Hit
    from healthlint.article import Article
    from healthlint.rules import RuleContext

    from .analysis import Analyzer
    from .result import Analysis
    from .settings import Settings

#: The deeper stage's word findings (listed only with ``deep = true``).
LM_SWAP = "HL109"


@functools.cache
def analyzer() -> Analyzer:
    """One per process: it memoizes answers about words and word pairs across articles."""
    from .analysis import Analyzer

    return Analyzer()


def analysis(article: Article, ctx: RuleContext) -> Analysis:
    def run() -> Analysis:
        options = ctx.options(PLUGIN)
        settings = settings_for(options, ctx.config)
        result = analyzer().analyze(article, settings)
        if options.deep:
            result.deep_stage = "not-judged"
            if result.spin_probability is not None or _short(result):
                _deepen(article, ctx, result, settings)
        ctx.metrics["spun"] = result.metrics()
        return result

    return ctx.shared("spun.analysis", run)


def _short(result: Analysis) -> bool:
    """A text too short for the page model that the deeper stage judges, with its short tiers."""
    from .deep import short_tiers
    from .model import spin_model

    return result.english and short_tiers().min_words <= result.words < spin_model().min_words


def _deepen(article: Article, ctx: RuleContext, result: Analysis, settings: Settings) -> None:
    """``deep = true``: the stacked model's probability and tiers replace the page model's (when it can run),
    and the swapped words it finds are listed for HL109 where ``swap-findings`` says so. A text too short for
    the page model (:func:`_short`) is judged too: the stacked model reads the page model's probability all the
    same, and the short tiers (``data/deep_short_tiers.json``) apply."""
    from .deep import read, short_tiers, stacked_model, swapped_words
    from .model import spin_model

    mode = ctx.options(PLUGIN).swap_findings
    wanted = mode != "never" and ctx.is_selected(LM_SWAP)
    short = result.spin_probability is None
    page = spin_model().probability(result, min_words=0) if short else result.spin_probability or 0.0
    reading = read(article, page, analyzer().lex, whole=wanted and mode == "always")
    if isinstance(reading, str):
        # Incomplete: the result cache must not keep the light verdict once the model is fetched.
        # One message for long and short texts alike: a run's notices are told apart by their text, and one cause
        # must be one notice.
        light = f"HL101/HL107 use the page model alone (which judges no text under {spin_model().min_words} words)"
        ctx.notice(f"{reading}; {light}", code="HL101")
        result.deep_stage = "unavailable"
        return
    result.deep = True
    result.deep_stage = "judged-short" if short else "judged"
    # The page model gives a short text nothing (what the verdict family's weights were fitted on) ...
    result.page_probability = 0.0 if short else result.spin_probability
    result.page_suspected = not short and result.suspected
    result.spin_probability = reading.probability
    if short:
        # ... and the short tiers were chosen for texts of 50-79 words: a site's thresholds are set for longer ones
        # (a threshold of 1 still switches its tier off).
        tiers = short_tiers()
        result.suspect_threshold = _unless_off(settings.suspect_threshold, tiers.suspect)
        result.model_threshold = _unless_off(settings.model_threshold, tiers.verdict)
    else:
        model = stacked_model()
        result.suspect_threshold = settings.suspect_threshold or model.suspect
        result.model_threshold = settings.model_threshold or model.verdict
    flagged = result.verdict or result.suspected
    if not wanted or (mode == "verdict" and not flagged):
        return
    from .lmswaps import swap_model  # numpy: only once read() has found the extra installed

    threshold = swap_model().report_spun if flagged else swap_model().report
    for swap in swapped_words(reading, analyzer().lex, threshold=threshold):
        if result.shows(swap.block, swap.start, swap.end):
            continue  # an HL105 swap or a listed phrase already shows it
        phrase = swap.phrase
        result.lm_swaps.append(
            Evidence("lmswap", swap.block, swap.start, swap.end, phrase.text, phrase.suggestion, phrase.detail, 0.0)
        )


def _unless_off(setting: float | None, tier: float) -> float:
    """``tier``, or 1 when a site's threshold switches the tier off."""
    return 1.0 if setting is not None and setting >= 1.0 else tier


def listed_phrases(article: Article, ctx: RuleContext, *, strong: bool) -> Iterator[Evidence]:
    """The spinner phrases of the list found in the article: the strong ones, or the others."""
    for ev in analysis(article, ctx).phrases:
        if ev.phrase is not None and (ev.phrase.strength == "strong") is strong:
            yield ev


def hit(ev: Evidence, message: str, suggestion: str, fix: Fix | None = None) -> Hit:
    return ev.block.hit(ev.start, ev.end, message, suggestion=suggestion, fix=fix)


def article_hit(article: Article, message: str, suggestion: str, key: str) -> Hit:
    """A finding about the whole article (HL101, HL107): on the opening words of its first block.

    ``key`` is its baseline identity: neither the opening words nor the figures of the message.
    """
    first = next((b for b in article.blocks if b.text.strip()), None)
    if first is None:
        hit = article.line_hit(article.body_start_line, message, suggestion=suggestion)
    else:
        end = first.text.find(" ", 40)
        hit = first.hit(0, end if end > 0 else len(first.text), message, suggestion=suggestion)
    return replace(hit, key=key)
