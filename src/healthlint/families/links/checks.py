"""The check every HL5xx rule runs: its share of the article's one link analysis.

The analysis (:func:`healthlint.families.links.analysis.analyse`) runs once per article for
all rules and is imported on first use, so loading the plugin and registering its rules
costs nothing when no HL5 rule runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Article, Hit, RuleContext

if TYPE_CHECKING:
    from healthlint.families.links.analysis import Analysis

PLUGIN = "links"


def analysis_of(article: Article, ctx: RuleContext) -> Analysis:
    from healthlint.families.links.analysis import analyse

    result = ctx.shared("links.analysis", lambda: analyse(article, ctx.options(PLUGIN), ctx.config.trusted()))
    ctx.metrics.update(result.metrics)
    return result


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    """The hits of ``ctx.rule``; a crash in the part of the analysis that serves it is re-raised (HL002)."""
    result = analysis_of(article, ctx)
    name = ctx.rule.name
    if name in result.errors:
        raise result.errors[name]
    yield from result.hits.get(name, ())
